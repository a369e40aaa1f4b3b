import Core
import Foundation
import GRDB

/// The sandbox's SQLite file: schema migrations, and writes that are one `BEGIN IMMEDIATE` transaction
/// each, retried with jittered backoff when other processes hold the write lock.
final class SandboxStore: Sendable {
    let database: DatabaseQueue
    /// How long opening the store, a write or a read keeps retrying a busy store before it gives up with a
    /// ThrottlingException.
    static let busyRetryLimit: Duration = .seconds(120)

    /// Opens (creating when needed) the store at `path`; `:memory:` gives a private in-memory store. Opening,
    /// switching a new file to WAL and migrating wait for other processes like writes do.
    init(path: String) throws {
        guard path != ":memory:" else {
            database = try DatabaseQueue(configuration: Self.configuration())
            try Self.migrator.migrate(database)
            return
        }
        // The folder is what comes before the last slash; a bare name lives in the current folder. (Foundation's
        // deletingLastPathComponent traps on some one-letter names on Linux.)
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try Self.createFolder(String(path[..<slash]))
        }
        var backoff = BusyBackoff()
        while true {
            do {
                let database = try DatabaseQueue(path: path, configuration: Self.configuration())
                try Self.prepare(database, path: path)
                self.database = database
                return
            } catch let error as DatabaseError where BusyBackoff.isBusy(error) {
                usleep(UInt32(try backoff.nextDelayMicroseconds()))
            }
        }
    }

    /// The settings of every connection the sandbox opens: synchronous FULL, so an acknowledged write
    /// survives a power cut, and a busy timeout before the retry loops take over. WAL is a property of
    /// the file, set once by `prepare`; GRDB's own WAL set-up is not used because it lowers synchronous
    /// to NORMAL.
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(2)
        configuration.label = "engage-sandbox"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        return configuration
    }

    /// Makes a file ready: WAL (so readers never wait for the writer) and the current schema. A store that
    /// is already ready is only read, so opening it never needs the write lock.
    private static func prepare(_ database: DatabaseQueue, path: String) throws {
        // One read transaction, so the probe sees one state of a file that other processes may be creating.
        // Reading sqlite_master first makes SQLite reload a schema another process changed since this
        // connection last looked; otherwise a table created meanwhile is still "no such table".
        let isReady = { (db: Database) throws -> Bool in
            try transaction(db, .deferred) { db in
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                return try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" && migrator.hasCompletedMigrations(db)
            }
        }
        if try database.inDatabase(isReady) { return }
        try withFileLock(path: path) {
            // Another process may have prepared the file while this one waited for the lock.
            if try database.inDatabase(isReady) { return }
            try database.inDatabase { db in
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw DatabaseError(message: "could not switch \(path) to write-ahead logging")
                }
            }
            try migrator.migrate(database)
        }
    }

    /// Runs `body` in one IMMEDIATE transaction; an error thrown by `body` rolls everything back.
    func write<Result>(_ body: (Database) throws -> Result) async throws -> Result {
        try await retryingWhileBusy {
            // GRDB's synchronous API runs the closure in place, which spares two thread hand-offs per
            // operation; the busy timeout bounds how long it can block.
            try database.writeWithoutTransaction { db in try Self.transaction(db, .immediate, body) }
        }
    }

    /// Reads in one deferred transaction (a consistent snapshot), on the calling thread. GRDB's `read`
    /// would also switch the connection to query-only and back around it: three more statements per read.
    func read<Result>(_ body: (Database) throws -> Result) async throws -> Result {
        try await retryingWhileBusy {
            try database.inDatabase { db in try Self.transaction(db, .deferred, body) }
        }
    }

    /// Called each time a read or write met a store still busy after SQLite's own timeout and backs off to
    /// try again. Task-local, so it sees only the calls made inside `withValue`: a test waits on it to know
    /// a call is in the retry loop, where a fixed pause could only hope so.
    @TaskLocal static var busyRetryObserver: (@Sendable () -> Void)?

    /// `attempt` until it does not fail with SQLITE_BUSY: SQLite hands its locks out unfairly, so waiting
    /// processes back off with jitter instead of queueing.
    private func retryingWhileBusy<Result>(_ attempt: () throws -> Result) async throws -> Result {
        var backoff = BusyBackoff()
        while true {
            do {
                return try attempt()
            } catch let error as DatabaseError where BusyBackoff.isBusy(error) {
                Self.busyRetryObserver?()
                try await Task.sleep(for: .microseconds(try backoff.nextDelayMicroseconds()))
            }
        }
    }

    /// `body` in one transaction of `kind`, committed when it returns and rolled back when it throws.
    private static func transaction<Result>(_ db: Database, _ kind: Database.TransactionKind, _ body: (Database) throws -> Result) throws -> Result {
        var result: Result?
        try db.inTransaction(kind) {
            result = try body(db)
            return .commit
        }
        return result!
    }

    /// Several processes may open a new store at once; a lock file next to it lets one migrate at a time.
    private static func withFileLock(path: String, _ body: () throws -> Void) throws {
        let descriptor = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        try body()
    }

    private static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: engagements, contexts, idempotency") { db in
            try db.create(table: "engagement") { table in
                table.primaryKey("key", .integer)
                table.column("catalog", .text).notNull()
                table.column("id", .text).notNull()
                table.column("title", .text).notNull()
                table.column("description", .text).notNull()
                table.column("createdMicros", .integer).notNull()
                table.column("createdBy", .text).notNull()
                table.column("memberCount", .integer).notNull()
                table.uniqueKey(["catalog", "id"])
            }
            try db.create(index: "engagement_by_creation", on: "engagement", columns: ["catalog", "createdMicros", "id"])
            // A context's key is its engagement's key * 8 + its number (1...5): an engagement's contexts are
            // one range of the table's own B-tree, so no separate index is kept, written or searched.
            try db.create(table: "context") { table in
                table.primaryKey("key", .integer)
                table.column("type", .text).notNull()
                table.column("payload", .text).notNull()
                // When this context was last written. An engagement's ModifiedAt is the latest of these (or
                // its creation), so a write touches the context's row alone.
                table.column("modifiedMicros", .integer).notNull()
            }
            // Small rows keyed by the token: kept in the primary-key B-tree alone, one page write per insert.
            try db.create(table: "idempotency", options: .withoutRowID) { table in
                table.column("catalog", .text).notNull()
                table.column("operation", .text).notNull()
                table.column("clientToken", .text).notNull()
                table.column("requestDigest", .blob).notNull()
                table.column("response", .text).notNull()
                table.primaryKey(["catalog", "operation", "clientToken"])
            }
        }
        // What recipe runs have finished, item by item (see SandboxService+RunJournal.swift).
        migrator.registerMigration("v2: recipe run journal") { db in
            try db.create(table: "runJournal", options: .withoutRowID) { table in
                table.column("run", .text).notNull()
                table.column("item", .text).notNull()
                table.column("result", .text).notNull()
                table.column("finishedAt", .text).notNull()
                table.primaryKey(["run", "item"])
            }
        }
        migrator.registerMigration("v3: audit of writes", migrate: AuditTable.create)
        // Who wrote each context last, for the engagement's ModifiedBy; NULL in contexts written before.
        migrator.registerMigration("v4: context writers") { db in
            try db.alter(table: "context") { table in table.add(column: "modifiedBy", .text) }
        }
        migrator.registerMigration("v5: opportunities, associations, tasks, sandbox controls", migrate: OpportunityTables.create)
        migrator.registerMigration("v6: tags, selling-system settings", migrate: ServiceTables.create)
        migrator.registerMigration("v7: the sandbox's clock", migrate: SandboxClockTable.create)
        migrator.registerMigration("v8: engagement invitations and members", migrate: InvitationTables.create)
        migrator.registerMigration("v9: resource snapshots and their jobs", migrate: SnapshotTables.create)
        return migrator
    }()
}

/// A row of `engagement`; `key` is SQLite's rowid.
struct EngagementRow: FetchableRecord, TableRecord {
    static let databaseTableName = "engagement"
    var key: Int64
    var catalog: String
    var id: String
    var title: String
    var description: String
    var createdMicros: Int64
    var createdBy: String
    var memberCount: Int

    init(key: Int64 = 0, catalog: String, id: String, title: String, description: String, createdMicros: Int64, createdBy: String, memberCount: Int) {
        (self.key, self.catalog, self.id, self.title, self.description) = (key, catalog, id, title, description)
        (self.createdMicros, self.createdBy, self.memberCount) = (createdMicros, createdBy, memberCount)
    }

    init(row: Row) throws {
        self.init(
            key: row["key"], catalog: row["catalog"], id: row["id"], title: Self.text(row["title"]), description: Self.text(row["description"]),
            createdMicros: row["createdMicros"], createdBy: row["createdBy"], memberCount: row["memberCount"])
    }
}

extension EngagementRow {
    /// Title and Description are bound as their UTF-8 bytes: GRDB binds and reads Swift strings as C strings,
    /// which would cut them at the first NUL, and the model allows NUL in both.
    static func bytes(_ text: String) -> Data { Data(text.utf8) }

    static func text(_ bytes: Data) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// A row of `context`: the payload is the context's JSON as the service returns it.
struct ContextRow: FetchableRecord {
    /// Context numbers per engagement that the key scheme leaves room for; the quota allows five.
    static let slotsPerEngagement: Int64 = 8
    /// SQL that holds when the `context` row is one of the `engagement` row's: its key is in the engagement's
    /// slots. Made of the constant above, never of input.
    static let ofEngagementSQL = "context.key BETWEEN engagement.key * \(slotsPerEngagement) AND engagement.key * \(slotsPerEngagement) + \(slotsPerEngagement - 1)"
    var key: Int64
    var type: String
    var payload: String
    var modifiedMicros: Int64
    /// Who wrote it last (the `caller` of the service that wrote it); nil for a context written before writers were recorded.
    var modifiedBy: String?

    init(engagementKey: Int64, number: Int, type: String, payload: String, modifiedMicros: Int64, modifiedBy: String?) {
        key = Self.key(engagement: engagementKey, number: number)
        self.type = type
        self.payload = payload
        self.modifiedMicros = modifiedMicros
        self.modifiedBy = modifiedBy
    }

    init(row: Row) throws {
        key = row["key"]
        type = row["type"]
        payload = row["payload"]
        modifiedMicros = row["modifiedMicros"]
        modifiedBy = row["modifiedBy"]
    }

    static func key(engagement: Int64, number: Int) -> Int64 { engagement * slotsPerEngagement + Int64(number) }

    /// The context's id as the service shows it: "1", "2", …
    var contextId: String { String(key % Self.slotsPerEngagement) }
}

/// A row of `idempotency`: the SHA-256 of the first request made with a client token, and the response
/// it got.
struct IdempotencyRow: FetchableRecord {
    var catalog: String
    var operation: String
    var clientToken: String
    var requestDigest: Data
    var response: String

    init(catalog: String, operation: String, clientToken: String, requestDigest: Data, response: String) {
        (self.catalog, self.operation, self.clientToken, self.requestDigest, self.response) = (catalog, operation, clientToken, requestDigest, response)
    }

    init(row: Row) throws {
        self.init(catalog: row["catalog"], operation: row["operation"], clientToken: row["clientToken"], requestDigest: row["requestDigest"], response: row["response"])
    }
}

/// Jittered exponential backoff for a busy store, bounded by `SandboxStore.busyRetryLimit`.
struct BusyBackoff {
    private let clock = ContinuousClock()
    private let start = ContinuousClock.now
    private var attempt = 0

    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The pause before the next attempt, or a ThrottlingException once the limit has passed.
    mutating func nextDelayMicroseconds() throws(ServiceError) -> Int {
        attempt += 1
        guard clock.now - start < SandboxStore.busyRetryLimit else {
            throw .throttling("the sandbox store stayed locked by other processes for \(SandboxStore.busyRetryLimit); try again")
        }
        let ceilingMilliseconds = min(200, 5 << min(attempt, 6))
        return Int.random(in: 1...ceilingMilliseconds) * 1000
    }
}
