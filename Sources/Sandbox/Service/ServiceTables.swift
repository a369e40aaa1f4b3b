import Core
import Foundation
import GRDB

/// The tables of the rest of the service (migration v6): tags on any resource the sandbox issues an ARN
/// for, and the selling-system settings of each catalog.
enum ServiceTables {
    static func create(_ db: Database) throws {
        // Keyed by the resource's ARN as the sandbox issues it; ListTagsForResource answers in key order.
        try db.create(table: "tag", options: .withoutRowID) { table in
            table.column("resourceArn", .text).notNull()
            table.column("key", .text).notNull()
            table.column("value", .text).notNull()
            table.primaryKey(["resourceArn", "key"])
        }
        try db.create(table: "sellingSystemSettings", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull().primaryKey()
            table.column("roleArn", .text)
        }
    }
}
