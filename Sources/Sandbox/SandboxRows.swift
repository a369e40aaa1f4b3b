import Core
import Foundation
import GRDB

// The sandbox's hot reads and writes as cached SQL statements: the query interface would build and
// prepare the same SQL on every call (its cost is in docs/performance.md). Arguments are always bound,
// never spliced into the SQL.

extension EngagementRow {
    static func find(_ db: Database, catalog: String, id: String) throws -> EngagementRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM engagement WHERE catalog = ? AND id = ?"), arguments: [catalog, id])
    }

    /// Inserts the engagement and returns its key.
    func insertRow(_ db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO engagement (catalog, id, title, description, createdMicros, createdBy, memberCount)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [catalog, id, Self.bytes(title), Self.bytes(description), createdMicros, createdBy, memberCount])
        return db.lastInsertedRowID
    }

    /// An engagement's key and creation time with the census of its contexts, read in one statement.
    struct Census {
        let key: Int64
        let createdMicros: Int64
        let contextCount: Int
        let lastNumber: Int
        /// The engagement's ModifiedAt: its creation, or the latest write to one of its contexts.
        let modifiedMicros: Int64
    }

    static func census(_ db: Database, catalog: String, id: String) throws -> Census? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT engagement.key, engagement.createdMicros, COUNT(context.key), MAX(context.key), MAX(context.modifiedMicros)
            FROM engagement LEFT JOIN context ON \(ContextRow.ofEngagementSQL)
            WHERE engagement.catalog = ? AND engagement.id = ?
            """), arguments: [catalog, id]), let key: Int64 = row[0]
        else { return nil }
        let created: Int64 = row[1]
        let lastKey: Int64? = row[3]
        let lastModified: Int64? = row[4]
        return Census(
            key: key, createdMicros: created, contextCount: row[2], lastNumber: lastKey.map { Int($0 % ContextRow.slotsPerEngagement) } ?? 0,
            modifiedMicros: modifiedMicros(created: created, lastContextWrite: lastModified))
    }

    /// An engagement's `ModifiedAt`: its creation, or the latest write to one of its contexts. The one
    /// place it is derived; nothing stores it.
    static func modifiedMicros(created: Int64, lastContextWrite: Int64?) -> Int64 {
        max(created, lastContextWrite ?? created)
    }

    /// This engagement's `ModifiedAt` and `ModifiedBy`, read from its latest context write: its creation
    /// and creator when it has none, or when the context was written before writers were recorded.
    func lastModification(_ db: Database) throws -> (micros: Int64, by: String) {
        let last = try ContextRow.lastWrite(db, engagementKey: key)
        return (Self.modifiedMicros(created: createdMicros, lastContextWrite: last?.micros), last?.by ?? createdBy)
    }
}

extension ContextRow {
    /// The context numbered `number` of an engagement.
    static func find(_ db: Database, engagementKey: Int64, number: Int) throws -> ContextRow? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM context WHERE key = ?"), arguments: [key(engagement: engagementKey, number: number)])
    }

    /// An engagement's contexts in creation order.
    static func all(_ db: Database, engagementKey: Int64) throws -> [ContextRow] {
        try fetchAll(db.cachedStatement(sql: "SELECT * FROM context WHERE key BETWEEN ? AND ? ORDER BY key"), arguments: range(engagementKey))
    }

    /// When the engagement's contexts were last written, and by whom; nil when it has none.
    static func lastWrite(_ db: Database, engagementKey: Int64) throws -> (micros: Int64, by: String?)? {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT modifiedMicros, modifiedBy FROM context WHERE key BETWEEN ? AND ? ORDER BY modifiedMicros DESC LIMIT 1"),
            arguments: range(engagementKey))
        return row.map { ($0[0], $0[1]) }
    }

    /// The context types of an engagement, each once, in the order they first appear.
    static func types(_ db: Database, engagementKey: Int64) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT type FROM context WHERE key BETWEEN ? AND ? GROUP BY type ORDER BY MIN(key)"), arguments: range(engagementKey))
    }

    private static func range(_ engagementKey: Int64) -> StatementArguments {
        [key(engagement: engagementKey, number: 0), key(engagement: engagementKey, number: Int(slotsPerEngagement) - 1)]
    }

    func insertRow(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO context (key, type, payload, modifiedMicros, modifiedBy) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [key, type, payload, modifiedMicros, modifiedBy])
    }

    func savePayload(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE context SET payload = ?, modifiedMicros = ?, modifiedBy = ? WHERE key = ?")
            .execute(arguments: [payload, modifiedMicros, modifiedBy, key])
    }
}

extension IdempotencyRow {
    static func find(_ db: Database, catalog: String, operation: String, clientToken: String) throws -> IdempotencyRow? {
        try fetchOne(
            db.cachedStatement(sql: "SELECT * FROM idempotency WHERE catalog = ? AND operation = ? AND clientToken = ?"),
            arguments: [catalog, operation, clientToken])
    }

    /// Inserts the row unless its token is already stored; true when it was inserted.
    func insertIfNew(_ db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO idempotency (catalog, operation, clientToken, requestDigest, response) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """).execute(arguments: [catalog, operation, clientToken, requestDigest, response])
        return db.changesCount > 0
    }
}
