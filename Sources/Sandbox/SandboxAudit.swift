import Core
import Foundation
import GRDB

/// The audit of writes: every write the sandbox accepts appends one row to `audit` in its own transaction,
/// so the change and its record commit together or not at all. ClientToken replays and refused requests
/// change nothing and record nothing.
enum AuditTable {
    /// Migration v3. `sequence` is SQLite's rowid (rows are never deleted, so it only grows; AUTOINCREMENT
    /// would cost a write to sqlite_sequence per insert). `time` is the write's own timestamp text, whose
    /// fixed width makes text order time order.
    static func create(_ db: Database) throws {
        try db.create(table: "audit") { table in
            table.primaryKey("sequence", .integer)
            table.column("time", .text).notNull()
            table.column("backend", .text).notNull()
            table.column("catalog", .text).notNull()
            table.column("operation", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("contextId", .text)
            table.column("clientToken", .text)
            table.column("outcome", .text).notNull()
            table.column("actor", .text).notNull()
            table.column("processId", .integer).notNull()
            table.column("command", .text).notNull()
            table.column("recipe", .text)
            table.column("parameters", .text)
        }
        try db.create(index: "audit_by_engagement", on: "audit", columns: ["engagementId", "sequence"])
        try db.create(index: "audit_by_time", on: "audit", columns: ["time"])
    }

    /// For the query interface of `entries`.
    struct Record: TableRecord {
        static let databaseTableName = "audit"
    }
}

extension SandboxService {
    /// The same store with another audit context for the writes made through the returned service, e.g. a
    /// server's per-request context or a recipe started from a session; `caller`, when given, is who those
    /// writes are recorded as (`CreatedBy`, `ModifiedBy`), else this service's caller.
    public func withAudit(_ audit: AuditContext, caller: String? = nil) -> SandboxService {
        SandboxService(store: store, region: region, audit: audit, caller: caller ?? self.caller)
    }

    /// The audited writes in the order they were made: all of them, those of one engagement (an id, or an
    /// ARN in the form the sandbox issues), and those made at or after `since` (ISO 8601, compared at
    /// microsecond precision).
    public func auditEntries(engagement: String? = nil, since: String? = nil) async throws(ServiceError) -> [AuditEntry] {
        let earliest = try since.map { text throws(ServiceError) in try Self.auditTime(since: text) }
        let arn = engagement.flatMap(EngagementARN.init)
        var request = AuditTable.Record.all()
        if let arn {
            request = request.filter(Column("engagementId") == arn.id && Column("catalog") == arn.catalog)
        } else if let engagement {
            request = request.filter(Column("engagementId") == engagement)
        }
        if let earliest { request = request.filter(Column("time") >= earliest) }
        let query = request.order(Column("sequence"))
        return try await perform(writing: false) { db in try Row.fetchAll(db, query).map(AuditEntry.init(row:)) }
    }

    /// `since` as the audit writes times, so that comparing text compares instants.
    private static func auditTime(since text: String) throws(ServiceError) -> String {
        guard let microseconds = SandboxTime.microseconds(of: Timestamp(text)) else {
            let problem = ISO8601Components.problem(with: text) ?? "is not an ISO 8601 date-time"
            throw ServiceError(code: "ValidationException", message: "--since \(ServiceError.excerpt(text)) \(problem)")
        }
        return SandboxTime.text(microseconds)
    }

    /// Appends the audit row of an accepted write; called inside the write's transaction, after every check
    /// that could refuse it. One cached statement, so auditing costs one row insert per write.
    /// `engagementId` names the resource written, an opportunity's id when `resourceType` is `opportunity`.
    func recordWrite(_ db: Database, _ operation: String, _ outcome: AuditOutcome, catalog: String, engagementId: String,
                     contextId: String? = nil, clientToken: String?, at microseconds: Int64, resourceType: AuditResource = .engagement,
                     actor: String? = nil, event: String? = nil) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit (time, backend, catalog, operation, engagementId, contextId, clientToken, outcome, actor, processId, command, recipe, parameters, resourceType, event)
            VALUES (?, 'sandbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                SandboxTime.text(microseconds), catalog, operation, engagementId, contextId, clientToken, outcome.rawValue,
                actor ?? audit.actor, audit.processId, audit.command, audit.recipe, audit.parametersText, resourceType.rawValue,
                event ?? SandboxEvents.detailType(operation: operation, resource: resourceType, outcome: outcome),
            ])
    }
}
