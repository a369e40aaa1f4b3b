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
            INSERT INTO engagement (catalog, id, title, description, createdMicros, createdBy, modifiedMicros, modifiedBy, memberCount)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [catalog, id, title, description, createdMicros, createdBy, modifiedMicros, modifiedBy, memberCount])
    }

    /// Records a write: the engagement's new `ModifiedAt` and who made it.
    func saveModification(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE engagement SET modifiedMicros = ?, modifiedBy = ? WHERE catalog = ? AND id = ?")
            .execute(arguments: [modifiedMicros, modifiedBy, catalog, id])
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

    /// How many contexts the engagement has and the highest position used.
    static func census(_ db: Database, catalog: String, engagementId: String) throws -> (count: Int, lastPosition: Int) {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM context WHERE catalog = ? AND engagementId = ?"),
            arguments: [catalog, engagementId])
        return (row?[0] ?? 0, row?[1] ?? 0)
    }

    /// The context types of an engagement, each once, in the order they first appear.
    static func types(_ db: Database, catalog: String, engagementId: String) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT type FROM context WHERE catalog = ? AND engagementId = ? GROUP BY type ORDER BY MIN(position)"),
            arguments: [catalog, engagementId])
    }

    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO context (catalog, engagementId, contextId, position, type, payload) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [catalog, engagementId, contextId, position, type, payload])
    }

    func savePayload(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE context SET payload = ? WHERE catalog = ? AND engagementId = ? AND contextId = ?")
            .execute(arguments: [payload, catalog, engagementId, contextId])
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
