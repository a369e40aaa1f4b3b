import Core
import Foundation
import GRDB

/// The sandbox's notion of now: the real time plus an offset kept in the store, so that every process
/// sharing the store sees the same clock. `engage sandbox clock` and Lua's `sandbox.clock` show and move
/// it, so that rules about dates (an invitation's expiry, a target close date in the past) can be tried
/// without waiting. It only moves forward, or back to the real time.
enum SandboxClockTable {
    /// Migration v7: one row, the offset in microseconds.
    static func create(_ db: Database) throws {
        try db.create(table: "sandboxClock", options: .withoutRowID) { table in
            table.column("id", .integer).notNull().primaryKey().check { $0 == 1 }
            table.column("offsetMicros", .integer).notNull()
        }
    }
}

extension SandboxService {
    /// Now on the sandbox's clock, in microseconds since the epoch.
    func now(_ db: Database) throws -> Int64 {
        let offset = try Int64.fetchOne(db.cachedStatement(sql: "SELECT offsetMicros FROM sandboxClock WHERE id = 1")) ?? 0
        return SandboxTime.nowMicroseconds() + offset
    }

    /// A write's timestamp: now, or a microsecond after the resource's last write when the clock has not
    /// moved past it, so a resource's modification time strictly increases.
    func nextModification(_ db: Database, after last: Int64) throws -> Int64 {
        max(try now(db), last + 1)
    }

    /// The sandbox's clock as it reads now.
    public func clock() async throws(ServiceError) -> SandboxClockReading {
        try await perform(writing: false) { db in try self.reading(db) }
    }

    /// Moves the sandbox's clock forward by `microseconds` (0 or more).
    public func advanceClock(byMicroseconds microseconds: Int64) async throws(ServiceError) -> SandboxClockReading {
        guard microseconds >= 0 else {
            throw .requestValidation([ValidationExceptionError(
                fieldName: "by", message: "the sandbox's clock only moves forward; reset it to go back to the real time", code: .valueOutOfRange)])
        }
        return try await setClock { current in current + microseconds }
    }

    /// Sets the sandbox's clock back to the real time.
    public func resetClock() async throws(ServiceError) -> SandboxClockReading {
        try await setClock { _ in 0 }
    }

    private func setClock(_ change: @escaping (Int64) -> Int64) async throws(ServiceError) -> SandboxClockReading {
        try await perform { db in
            let current = try Int64.fetchOne(db, sql: "SELECT offsetMicros FROM sandboxClock WHERE id = 1") ?? 0
            let offset = change(current)
            let real = SandboxTime.nowMicroseconds()
            try self.recordExpiries(db, after: real + current, through: real + offset)
            try db.execute(
                sql: "INSERT INTO sandboxClock (id, offsetMicros) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET offsetMicros = excluded.offsetMicros",
                arguments: [offset])
            try self.recordWrite(db, "MoveClock", .updated, catalog: "AWS", engagementId: "clock", clientToken: nil, at: SandboxTime.nowMicroseconds() + offset,
                                 resourceType: .settings, actor: Self.controlActor)
            return try self.reading(db)
        }
    }

    /// The `Engagement Invitation Expired` events of the pending invitations whose expiry the move passes,
    /// each dated at its expiry: a move is the moment the sandbox sees them expire.
    private func recordExpiries(_ db: Database, after start: Int64, through end: Int64) throws {
        guard end > start else { return }
        let rows = try Row.fetchAll(
            db, sql: "SELECT catalog, id FROM invitation WHERE status = 'PENDING' AND invitedMicros + ? > ? AND invitedMicros + ? <= ? ORDER BY invitedMicros",
            arguments: [InvitationRow.lifetimeMicros, start, InvitationRow.lifetimeMicros, end])
        for row in rows {
            guard let invitation = try InvitationRow.find(db, catalog: row["catalog"], id: row["id"]) else { continue }
            try recordWrite(
                db, "MoveClock", .updated, catalog: invitation.catalog, engagementId: invitation.id, clientToken: nil, at: invitation.expiresMicros,
                resourceType: .invitation, actor: Self.controlActor, event: SandboxEvents.invitationExpired)
        }
    }

    private func reading(_ db: Database) throws -> SandboxClockReading {
        let offset = try Int64.fetchOne(db, sql: "SELECT offsetMicros FROM sandboxClock WHERE id = 1") ?? 0
        return SandboxClockReading(now: SandboxTime.text(SandboxTime.nowMicroseconds() + offset), aheadByMicroseconds: offset)
    }
}
