import Core
import Foundation
import GRDB

/// The tables of engagement invitations (migration v8): each invitation with its payload as sent, and the
/// partners who joined an engagement by accepting one.
enum InvitationTables {
    static func create(_ db: Database) throws {
        try db.create(table: "invitation", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("id", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("sender", .text).notNull()
            table.column("receiver", .text).notNull()
            // The Invitation member of CreateEngagementInvitation as sent: message, receiver and payload.
            table.column("invitation", .text).notNull()
            // PENDING, ACCEPTED or REJECTED; EXPIRED is read from the clock, never stored.
            table.column("status", .text).notNull()
            table.column("invitedMicros", .integer).notNull()
            table.column("rejectionReason", .text)
            table.primaryKey(["catalog", "id"])
        }
        try db.create(table: "engagementMember", options: .withoutRowID) { table in
            table.column("catalog", .text).notNull()
            table.column("engagementId", .text).notNull()
            table.column("accountId", .text).notNull()
            table.column("joinedMicros", .integer).notNull()
            table.primaryKey(["catalog", "engagementId", "accountId"])
        }
    }
}

/// A row of `invitation`.
struct InvitationRow {
    var catalog: String
    var id: String
    var engagementId: String
    var sender: String
    var receiver: String
    var invitation: JSONValue
    var status: String
    var invitedMicros: Int64
    var rejectionReason: String?

    /// How long an invitation waits for an answer: 15 days after it was sent.
    static let lifetimeMicros: Int64 = 15 * 86_400_000_000

    var expiresMicros: Int64 { invitedMicros + Self.lifetimeMicros }

    /// The status at `now`: a pending invitation past its expiry is EXPIRED.
    func status(at now: Int64) -> String { status == "PENDING" && now >= expiresMicros ? "EXPIRED" : status }

    var payloadType: String? { invitation["Payload"]?.objectValue?.keys.first }

    init(catalog: String, id: String, engagementId: String, sender: String, receiver: String, invitation: JSONValue, invitedMicros: Int64) {
        (self.catalog, self.id, self.engagementId, self.sender, self.receiver) = (catalog, id, engagementId, sender, receiver)
        (self.invitation, self.status, self.invitedMicros) = (invitation, "PENDING", invitedMicros)
    }

    init(row: Row) throws {
        (catalog, id, engagementId, sender, receiver) = (row["catalog"], row["id"], row["engagementId"], row["sender"], row["receiver"])
        invitation = try JSONValue(parsing: row["invitation"] as String)
        (status, invitedMicros, rejectionReason) = (row["status"], row["invitedMicros"], row["rejectionReason"])
    }

    static func find(_ db: Database, catalog: String, id: String) throws -> InvitationRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM invitation WHERE catalog = ? AND id = ?", arguments: [catalog, id]).map(InvitationRow.init(row:))
    }

    static func all(_ db: Database, catalog: String) throws -> [InvitationRow] {
        try Row.fetchAll(db, sql: "SELECT * FROM invitation WHERE catalog = ?", arguments: [catalog]).map(InvitationRow.init(row:))
    }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO invitation (catalog, id, engagementId, sender, receiver, invitation, status, invitedMicros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [catalog, id, engagementId, sender, receiver, invitation.serialized(), status, invitedMicros])
    }

    func saveStatus(_ db: Database) throws {
        try db.execute(sql: "UPDATE invitation SET status = ?, rejectionReason = ? WHERE catalog = ? AND id = ?",
                       arguments: [status, rejectionReason, catalog, id])
    }
}
