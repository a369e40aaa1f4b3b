import Core
import Foundation
import GRDB

/// The tables of resource snapshots and their jobs (migration v9).
enum SnapshotTables {
    static func create(_ db: Database) throws {
        // Immutable: rows are only ever inserted. Revisions count from 1 per engagement, resource and template.
        try db.create(table: "snapshot", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("resourceType", .text).notNull()
            table.column("resourceId", .text).notNull()
            table.column("template", .text).notNull()
            table.column("revision", .integer).notNull()
            table.column("createdBy", .text).notNull()
            table.column("createdMicros", .integer).notNull()
            table.column("payload", .text).notNull()
            table.primaryKey(["catalog", "engagementId", "resourceType", "resourceId", "template", "revision"])
        }
        try db.create(table: "snapshotJob", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("id", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("resourceType", .text).notNull()
            table.column("resourceId", .text).notNull()
            table.column("template", .text).notNull()
            table.column("status", .text).notNull()
            table.column("createdMicros", .integer).notNull()
            table.column("lastSuccessMicros", .integer)
            table.primaryKey(["catalog", "id"])
        }
    }
}

/// A row of `snapshotJob`.
struct SnapshotJobRow {
    var catalog: String
    var id: String
    var engagementId: String
    var resourceType: String
    var resourceId: String
    var template: String
    var status: String
    var createdMicros: Int64
    var lastSuccessMicros: Int64?

    init(row: Row) {
        (catalog, id, engagementId, resourceType, resourceId) = (row["catalog"], row["id"], row["engagementId"], row["resourceType"], row["resourceId"])
        (template, status, createdMicros, lastSuccessMicros) = (row["template"], row["status"], row["createdMicros"], row["lastSuccessMicros"])
    }

    init(catalog: String, id: String, engagementId: String, resourceType: String, resourceId: String, template: String, createdMicros: Int64) {
        (self.catalog, self.id, self.engagementId, self.resourceType, self.resourceId) = (catalog, id, engagementId, resourceType, resourceId)
        (self.template, self.status, self.createdMicros) = (template, "Stopped", createdMicros)
    }

    static func find(_ db: Database, catalog: String, id: String) throws -> SnapshotJobRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM snapshotJob WHERE catalog = ? AND id = ?", arguments: [catalog, id]).map(SnapshotJobRow.init(row:))
    }

    static func all(_ db: Database, catalog: String) throws -> [SnapshotJobRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM snapshotJob WHERE catalog = ?", arguments: [catalog]).map(SnapshotJobRow.init(row:))
    }

    /// The running jobs of one resource.
    static func running(_ db: Database, catalog: String, resourceId: String) throws -> [SnapshotJobRow] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM snapshotJob WHERE catalog = ? AND resourceId = ? AND status = 'Running'"), arguments: [catalog, resourceId]
        ).map(SnapshotJobRow.init(row:))
    }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO snapshotJob (catalog, id, engagementId, resourceType, resourceId, template, status, createdMicros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [catalog, id, engagementId, resourceType, resourceId, template, status, createdMicros])
    }

    func save(_ db: Database) throws {
        try db.execute(sql: "UPDATE snapshotJob SET status = ?, lastSuccessMicros = ? WHERE catalog = ? AND id = ?",
                       arguments: [status, lastSuccessMicros, catalog, id])
    }
}
