import Core
import Foundation
import GRDB
@testable import Sandbox
import Testing

/// Many real `sandbox-worker` processes share one store file, as many `engage` processes do.
@Suite(.tags(.process), .serialized) struct SandboxProcessTests {
    let folder: URL
    let store: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-processes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = folder.appendingPathComponent("sandbox.sqlite").path
    }

    @Test(.timeLimit(.minutes(3))) func eightProcessesAppendWithReadModifyWriteAndLoseNothing() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let service = try SandboxService(path: store)
        let engagement = try await service.createEngagement(CreateEngagementRequest(catalog: "Sandbox", clientToken: "e", title: "Shared", description: "Eight writers")).id!
        for number in 1...5 {
            var context = try CreateEngagementContextRequest(wire: leadContextRequest, at: "")
            context.engagementIdentifier = engagement
            context.clientToken = "context-\(number)"
            _ = try await service.createEngagementContext(context)
        }
        let workers = try (0..<8).map { worker in try Worker(["append", store, engagement, "5", "w\(worker)", "\(worker)"]) }
        let outputs = workers.map { $0.finish() }
        for output in outputs {
            #expect(output.status == 0, "worker failed: \(output.stderr)")
            #expect(output.lines.count == 5)
        }
        let read = try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: engagement))
        var appended: [String] = []
        for context in read.contexts ?? [] {
            guard case .lead(let lead)? = context.payload else { continue }
            appended += lead.interactions.map(\.sourceId).filter { $0.hasPrefix("w") }
        }
        let expected = (0..<8).flatMap { worker in (0..<5).map { "w\(worker)-\($0)" } }
        #expect(appended.sorted() == expected.sorted(), "every acknowledged append is present exactly once")
        let retried = outputs.flatMap(\.lines).contains { !$0.hasSuffix("attempts 1") }
        #expect(retried, "with eight writers some appends must have met a conflict and retried")
    }

    @Test(.timeLimit(.minutes(3))) func eightProcessesCreatingAtOnceAllSucceed() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try SandboxService(path: store)
        let workers = try (0..<8).map { _ in try Worker(["burst", store, "40"]) }
        let outputs = workers.map { $0.finish() }
        #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.stderr))")
        let acknowledged = Set(outputs.flatMap(\.lines).map { String($0.dropFirst(3)) })
        #expect(acknowledged.count == 320)
        #expect(try storedEngagementIds(store) == acknowledged)
    }

    @Test(.timeLimit(.minutes(3))) func aWriterKilledMidBurstLeavesAConsistentStoreWithEveryAcknowledgedWrite() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try SandboxService(path: store)
        var acknowledged: Set<String> = []
        for round in 1...3 {
            let victim = try Worker(["burst", store, "100000"])
            let steady = try Worker(["burst", store, "30"])
            victim.waitForLines(20 * round)
            kill(victim.process.processIdentifier, SIGKILL)
            let killed = victim.finish()
            #expect(killed.status == SIGKILL)
            let survivor = steady.finish()
            #expect(survivor.status == 0)
            acknowledged.formUnion((killed.lines + survivor.lines).map { String($0.dropFirst(3)) })
        }
        #expect(try integrityCheck(store) == ["ok"])
        let stored = try storedEngagementIds(store)
        #expect(acknowledged.isSubset(of: stored), "missing: \(acknowledged.subtracting(stored).prefix(5))")
        #expect(acknowledged.count >= 150)
        let reopened = try SandboxService(path: store)
        let listed = try await reopened.listEngagements(ListEngagementsRequest(catalog: "Sandbox", maxResults: 1))
        #expect(listed.engagementSummaryList.count == 1)
    }

    @Test(.timeLimit(.minutes(3))) func processesOpeningANewStoreAtOnceAllWrite() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 1...5 {
            let fresh = folder.appendingPathComponent("new-\(round).sqlite").path
            let workers = try (0..<16).map { _ in try Worker(["burst", fresh, "2"]) }
            let outputs = workers.map { $0.finish() }
            #expect(outputs.allSatisfy { $0.status == 0 }, "round \(round): \(outputs.map(\.stderr).filter { !$0.isEmpty })")
            let acknowledged = Set(outputs.flatMap(\.lines).map { String($0.dropFirst(3)) })
            #expect(acknowledged.count == 32)
            #expect(try storedEngagementIds(fresh) == acknowledged)
        }
    }

    @Test(.timeLimit(.minutes(3))) func aStoreWhoseWriteLockIsHeldAnswersReadsWhileHeldAndWritesOnlyAfterItsRelease() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try await SandboxService(path: store).createEngagement(
            CreateEngagementRequest(catalog: "Sandbox", clientToken: "before", title: "Held", description: "d")).id!
        let holder = try LockHolder(store: store)
        let events = EventLog()
        let service = try SandboxService(path: store)
        let read = try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        events.record("read")
        #expect(read.title == "Held")
        // The write says when it meets the lock still held after SQLite's own busy timeout (2 s) and backs off
        // to try again; the stream ends with the write, so a write that ended without retrying ends the wait too.
        let (retries, retried) = AsyncStream.makeStream(of: Void.self)
        let write = Task.detached {
            defer { retried.finish() }
            return try await SandboxStore.$busyRetryObserver.withValue({ _ = retried.yield() }) {
                let created = try await service.createEngagement(CreateEngagementRequest(catalog: "Sandbox", clientToken: "during", title: "After", description: "d"))
                events.record("written")
                return created
            }
        }
        // The lock stays held until the write is in the retry loop, which alone can wait it out, then released.
        var waiting = retries.makeAsyncIterator()
        let wasRetrying = await waiting.next() != nil
        events.record("released")
        holder.release()
        let created = try await write.value
        #expect(wasRetrying, "the write met the held lock past SQLite's busy timeout and retried")
        #expect(events.order == ["read", "released", "written"], "a read needs no write lock; the write waits for it")
        #expect(holder.finish() == 0)
        #expect(try storedEngagementIds(store).contains(created.id!))
    }
}

/// The order in which things happened, recorded from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [String] = []

    func record(_ event: String) { lock.withLock { events.append(event) } }

    var order: [String] { lock.withLock { events } }
}

/// The `sqlite3` shell holding a store's write lock (`BEGIN IMMEDIATE`) until `release()`.
final class LockHolder: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(store: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [store]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            seen.append(chunk)
        }
    }

    func release() { input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8)) }

    func finish() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The store's own verdict on its file, read with a plain SQLite connection.
func integrityCheck(_ path: String) throws -> [String] {
    try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
}

func storedEngagementIds(_ path: String) throws -> Set<String> {
    try DatabaseQueue(path: path).read { db in try String.fetchSet(db, sql: "SELECT id FROM engagement") }
}

let leadContextRequest: JSONValue = [
    "Catalog": "Sandbox", "EngagementIdentifier": "eng-00000000000000", "ClientToken": "replaced-per-context", "Type": "Lead",
    "Payload": ["Lead": [
        "Customer": ["CompanyName": "Acme", "Address": ["CountryCode": "US"]],
        "Interactions": [[
            "SourceType": "Event", "SourceId": "seed", "SourceName": "Summit", "CustomerAction": "Met",
            "Contact": ["BusinessTitle": "CTO", "Email": "cto@acme.example", "FirstName": "Ada", "LastName": "Lee"],
        ]],
    ]],
]

/// A `sandbox-worker` child process whose stdout lines are collected as they arrive.
final class Worker: @unchecked Sendable {
    let process = Process()
    private let stdout = Pipe()
    private let stderr = Pipe()
    /// Guards `buffer`; signalled when a chunk arrives and when the process ends.
    private let arrivals = NSCondition()
    private var buffer = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = workerBinary
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.arrivals.withLock { self.buffer.append(data) }
            self.arrivals.broadcast()
        }
        process.terminationHandler = { [weak self] _ in
            guard let self else { return }
            self.arrivals.withLock { self.arrivals.broadcast() }
        }
        try process.run()
    }

    /// Blocks until at least `count` lines arrived or the process ended; each arrival wakes it.
    func waitForLines(_ count: Int) {
        arrivals.lock()
        defer { arrivals.unlock() }
        while buffer.reduce(0, { $0 + ($1 == 0x0A ? 1 : 0) }) < count && process.isRunning {
            arrivals.wait()
        }
    }

    /// Waits for the process to end and returns its status, its whole stdout lines and its stderr.
    func finish() -> (status: Int32, lines: [String], stderr: String) {
        process.waitUntilExit()
        stdout.fileHandleForReading.readabilityHandler = nil
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        let text = arrivals.withLock { () -> String in
            buffer.append(rest)
            return String(decoding: buffer, as: UTF8.self)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if !text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, lines, errors)
    }
}

let workerBinary: URL = {
    var folder = Bundle.main.bundleURL
    while folder.path != "/" {
        let candidate = folder.appendingPathComponent("sandbox-worker")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    fatalError("no sandbox-worker binary found beside \(Bundle.main.bundleURL.path)")
}()
