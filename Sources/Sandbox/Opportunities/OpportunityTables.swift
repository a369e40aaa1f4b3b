import Core
import Foundation
import GRDB

/// The tables of the opportunity lifecycle (migration v5). An opportunity is kept as the members the
/// partner gave (and the review members AWS sets) in one JSON text, beside the columns listing filters and
/// sorts on; what relates it to other things is kept in rows of its own.
enum OpportunityTables {
    static func create(_ db: Database) throws {
        // The audit's `engagementId` column names the resource written; this says which kind it is.
        try db.alter(table: "audit") { table in table.add(column: "resourceType", .text).notNull().defaults(to: "engagement") }
        try db.create(table: "opportunity") { table in
            table.primaryKey("key", .integer)
            table.column("catalog", .text).notNull()
            table.column("id", .text).notNull()
            table.column("createdMicros", .integer).notNull()
            table.column("modifiedMicros", .integer).notNull()
            table.column("createdBy", .text).notNull()
            table.column("origin", .text).notNull()
            // The opportunity's members as GetOpportunity returns them, less those the sandbox derives.
            table.column("record", .text).notNull()
            // What AWS's side holds once the opportunity is submitted (GetAwsOpportunitySummary), as JSON.
            table.column("awsSummary", .text)
            table.column("engagementId", .text)
            table.uniqueKey(["catalog", "id"])
        }
        try db.create(table: "opportunityAssociation", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("opportunityId", .text).notNull()
            table.column("entityType", .text).notNull()
            table.column("entityId", .text).notNull()
            table.column("createdMicros", .integer).notNull()
            table.primaryKey(["catalog", "opportunityId", "entityType", "entityId"])
        }
        try db.create(table: "engagementResource", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("resourceType", .text).notNull()
            table.column("resourceId", .text).notNull()
            table.column("createdBy", .text).notNull()
            table.column("createdMicros", .integer).notNull()
            table.primaryKey(["catalog", "engagementId", "resourceType", "resourceId"])
        }
        try db.create(table: "task", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("id", .text).notNull()
            table.column("operation", .text).notNull()
            table.column("startedMicros", .integer).notNull()
            // The task's answer as the Start operation gave it; its List summary is the same members.
            table.column("answer", .text).notNull()
            table.primaryKey(["catalog", "id"])
        }
        // What `engage sandbox solutions add` and `engage sandbox users add` gave, beside the seeded ones.
        try db.create(table: "sandboxSolution", options: .withoutRowID) { table in
            table.column("id", .text).notNull().primaryKey()
            table.column("name", .text).notNull()
            table.column("status", .text).notNull()
            table.column("category", .text).notNull()
            table.column("created", .text).notNull()
        }
        try db.create(table: "sandboxUser", options: .withoutRowID) { table in
            table.column("email", .text).notNull().primaryKey()
            table.column("firstName", .text).notNull()
            table.column("lastName", .text).notNull()
            table.column("businessTitle", .text).notNull()
        }
    }
}

/// A row of `opportunity`.
struct OpportunityRow {
    var key: Int64 = 0
    var catalog: String
    var id: String
    var createdMicros: Int64
    var modifiedMicros: Int64
    var createdBy: String
    var origin: String
    /// The members GetOpportunity returns that the partner (or AWS's review) gave, in the model's order.
    var record: JSONValue.Members
    var awsSummary: JSONValue.Members?
    var engagementId: String?

    init(catalog: String, id: String, createdMicros: Int64, createdBy: String, origin: String, record: JSONValue.Members) {
        (self.catalog, self.id, self.createdMicros, self.modifiedMicros) = (catalog, id, createdMicros, createdMicros)
        (self.createdBy, self.origin, self.record) = (createdBy, origin, record)
    }

    init(row: Row) throws {
        key = row["key"]
        catalog = row["catalog"]
        id = row["id"]
        createdMicros = row["createdMicros"]
        modifiedMicros = row["modifiedMicros"]
        createdBy = row["createdBy"]
        origin = row["origin"]
        record = try JSONValue(parsing: row["record"] as String).objectValue ?? [:]
        let summary: String? = row["awsSummary"]
        awsSummary = try summary.map { try JSONValue(parsing: $0).objectValue ?? [:] }
        engagementId = row["engagementId"]
    }

    static func find(_ db: Database, catalog: String, id: String) throws -> OpportunityRow? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM opportunity WHERE catalog = ? AND id = ?"), arguments: [catalog, id])
            .map(OpportunityRow.init(row:))
    }

    static func all(_ db: Database, catalog: String) throws -> [OpportunityRow] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM opportunity WHERE catalog = ?"), arguments: [catalog]).map(OpportunityRow.init(row:))
    }

    mutating func insert(_ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO opportunity (catalog, id, createdMicros, modifiedMicros, createdBy, origin, record, awsSummary, engagementId)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                catalog, id, createdMicros, modifiedMicros, createdBy, origin, JSONValue.object(record).serialized(),
                awsSummary.map { JSONValue.object($0).serialized() }, engagementId,
            ])
        key = db.lastInsertedRowID
    }

    func save(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE opportunity SET modifiedMicros = ?, record = ?, awsSummary = ?, engagementId = ? WHERE catalog = ? AND id = ?")
            .execute(arguments: [
                modifiedMicros, JSONValue.object(record).serialized(), awsSummary.map { JSONValue.object($0).serialized() }, engagementId, catalog, id,
            ])
    }

    /// `LifeCycle.ReviewStatus`; a record without one is Pending Submission.
    var reviewStatus: String { record["LifeCycle"]?["ReviewStatus"]?.stringValue ?? "Pending Submission" }
    var stage: String? { record["LifeCycle"]?["Stage"]?.stringValue }
    var companyName: String? { record["Customer"]?["Account"]?["CompanyName"]?.stringValue }
    var targetCloseDate: String? { record["LifeCycle"]?["TargetCloseDate"]?.stringValue }
}

/// A row of `opportunityAssociation`: an entity related to an opportunity.
struct OpportunityAssociation: Hashable {
    var entityType: String
    var entityId: String

    static func all(_ db: Database, catalog: String, opportunityId: String) throws -> [OpportunityAssociation] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT entityType, entityId FROM opportunityAssociation WHERE catalog = ? AND opportunityId = ? ORDER BY createdMicros, entityId"),
            arguments: [catalog, opportunityId]
        ).map { OpportunityAssociation(entityType: $0[0], entityId: $0[1]) }
    }
}
