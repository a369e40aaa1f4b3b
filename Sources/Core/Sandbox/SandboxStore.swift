import Foundation
import GRDB

/// The sandbox's SQLite file: schema migrations, and writes that are one `BEGIN IMMEDIATE` transaction
/// each, retried with jittered backoff when other processes hold the write lock.
final class SandboxStore: Sendable {
    let database: DatabaseQueue
    /// How long a write keeps retrying a busy store before it gives up with a ThrottlingException.
    static let busyRetryLimit: Duration = .seconds(120)

    /// Opens (creating when needed) the store at `path`; `:memory:` gives a private in-memory store.
    init(path: String) throws {
        let configuration = Self.configuration(inMemory: path == ":memory:")
        if path != ":memory:" {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        database = path == ":memory:" ? try DatabaseQueue(configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
        try Self.withFileLock(path: path) { try Self.migrator.migrate(database) }
    }

    /// The connection settings: WAL so readers never wait for the writer, synchronous FULL so an
    /// acknowledged write survives a power cut, and a busy timeout before the retry loop below takes over.
    static func configuration(inMemory: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(2)
        configuration.label = "engage-sandbox"
        if !inMemory { configuration.journalMode = .wal }
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }

    /// Runs `body` in one IMMEDIATE transaction; an error thrown by `body` rolls everything back.
    func write<Result: Sendable>(_ body: @escaping @Sendable (Database) throws -> Result) async throws -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        while true {
            do {
                return try writeOnce(body)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                attempt += 1
                guard clock.now - start < Self.busyRetryLimit else {
                    throw ServiceError.throttling("the sandbox store stayed locked by other processes for \(Self.busyRetryLimit); try again")
                }
                let ceiling = min(200, 5 << min(attempt, 6))
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...ceiling)))
            }
        }
    }

    /// One attempt, on the calling thread: GRDB's synchronous API runs the closure in place, which spares
    /// two thread hand-offs per operation; the busy timeout bounds how long it can block.
    private func writeOnce<Result>(_ body: (Database) throws -> Result) throws -> Result {
        try database.writeWithoutTransaction { db in
            var result: Result?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Reads in one transaction (a consistent snapshot), on the calling thread.
    func read<Result>(_ body: (Database) throws -> Result) throws -> Result {
        try database.read(body)
    }

    /// Several processes may open a new store at once; a lock file next to it lets one migrate at a time.
    private static func withFileLock(path: String, _ body: () throws -> Void) throws {
        guard path != ":memory:" else { return try body() }
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
                table.column("catalog", .text).notNull()
                table.column("id", .text).notNull()
                table.column("title", .text).notNull()
                table.column("description", .text).notNull()
                table.column("createdMicros", .integer).notNull()
                table.column("createdBy", .text).notNull()
                table.column("memberCount", .integer).notNull()
                table.primaryKey(["catalog", "id"])
            }
            try db.create(index: "engagement_by_creation", on: "engagement", columns: ["catalog", "createdMicros", "id"])
            try db.create(table: "context") { table in
                table.column("catalog", .text).notNull()
                table.column("engagementId", .text).notNull()
                table.column("contextId", .text).notNull()
                table.column("position", .integer).notNull()
                table.column("type", .text).notNull()
                table.column("payload", .text).notNull()
                // When this context was last written. An engagement's ModifiedAt is the latest of these (or
                // its creation), so a write touches the context's row alone.
                table.column("modifiedMicros", .integer).notNull()
                table.primaryKey(["catalog", "engagementId", "contextId"])
                table.foreignKey(["catalog", "engagementId"], references: "engagement", columns: ["catalog", "id"])
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
        return migrator
    }()
}

/// A row of `engagement`.
struct EngagementRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "engagement"
    var catalog: String
    var id: String
    var title: String
    var description: String
    var createdMicros: Int64
    var createdBy: String
    var memberCount: Int
}

/// A row of `context`: the payload is the context's JSON as the service returns it.
struct ContextRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "context"
    var catalog: String
    var engagementId: String
    var contextId: String
    var position: Int
    var type: String
    var payload: String
    var modifiedMicros: Int64
}

/// A row of `idempotency`: the SHA-256 of the first request made with a client token, and the response
/// it got.
struct IdempotencyRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "idempotency"
    var catalog: String
    var operation: String
    var clientToken: String
    var requestDigest: Data
    var response: String
}
