import Foundation
import GRDB

// The sandbox's hot reads and writes as cached SQL statements: the query interface would build and
// prepare the same SQL on every call, which costs more than the write itself. Arguments are always bound,
// never spliced into the SQL.

extension EngagementRow {
    static func find(_ db: Database, catalog: String, id: String) throws -> EngagementRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM engagement WHERE catalog = ? AND id = ?"), arguments: [catalog, id])
    }

    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO engagement (catalog, id, title, description, createdMicros, createdBy, memberCount)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [catalog, id, title, description, createdMicros, createdBy, memberCount])
    }

    /// The engagement's `ModifiedAt`: its creation, or the latest write to one of its contexts.
    func modifiedMicros(_ db: Database) throws -> Int64 {
        max(createdMicros, try ContextRow.census(db, catalog: catalog, engagementId: id).lastModified ?? createdMicros)
    }
}

extension ContextRow {
    static func find(_ db: Database, catalog: String, engagementId: String, contextId: String) throws -> ContextRow? {
        try fetchOne(
            db.cachedStatement(sql: "SELECT * FROM context WHERE catalog = ? AND engagementId = ? AND contextId = ?"),
            arguments: [catalog, engagementId, contextId])
    }

    static func all(_ db: Database, catalog: String, engagementId: String) throws -> [ContextRow] {
        try fetchAll(
            db.cachedStatement(sql: "SELECT * FROM context WHERE catalog = ? AND engagementId = ? ORDER BY position"),
            arguments: [catalog, engagementId])
    }

    /// How many contexts the engagement has, the highest position used, and the latest write to one.
    static func census(_ db: Database, catalog: String, engagementId: String) throws -> (count: Int, lastPosition: Int, lastModified: Int64?) {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*), COALESCE(MAX(position), 0), MAX(modifiedMicros) FROM context WHERE catalog = ? AND engagementId = ?"),
            arguments: [catalog, engagementId])
        return (row?[0] ?? 0, row?[1] ?? 0, row?[2])
    }

    /// The context types of an engagement, each once, in the order they first appear.
    static func types(_ db: Database, catalog: String, engagementId: String) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT type FROM context WHERE catalog = ? AND engagementId = ? GROUP BY type ORDER BY MIN(position)"),
            arguments: [catalog, engagementId])
    }

    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO context (catalog, engagementId, contextId, position, type, payload, modifiedMicros) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [catalog, engagementId, contextId, position, type, payload, modifiedMicros])
    }

    func savePayload(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE context SET payload = ?, modifiedMicros = ? WHERE catalog = ? AND engagementId = ? AND contextId = ?")
            .execute(arguments: [payload, modifiedMicros, catalog, engagementId, contextId])
    }
}

extension IdempotencyRow {
    static func find(_ db: Database, catalog: String, operation: String, clientToken: String) throws -> IdempotencyRow? {
        try fetchOne(
            db.cachedStatement(sql: "SELECT * FROM idempotency WHERE catalog = ? AND operation = ? AND clientToken = ?"),
            arguments: [catalog, operation, clientToken])
    }

    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO idempotency (catalog, operation, clientToken, requestDigest, response) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [catalog, operation, clientToken, requestDigest, response])
    }
}
