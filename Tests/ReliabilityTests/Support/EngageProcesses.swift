import EngageTestSupport
import Foundation
import GRDB

let shell = URL(fileURLWithPath: "/bin/sh")

struct ReliabilityError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A scratch folder with a store path in it, removed by `remove()`.
struct Scratch {
    let folder: URL

    init(_ name: String) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-reliability-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }

    /// Writes `contents` to `name` in the folder and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    func remove() {
        _ = try? runProgram(URL(fileURLWithPath: "/bin/chmod"), ["-R", "u+rwx", folder.path])
        try? FileManager.default.removeItem(at: folder)
    }
}

/// `engage serve` as a child process on 127.0.0.1 and a port it picks, on a given store, with alice's key.
/// Killed when dropped, whatever the test did.
final class ServeProcess: @unchecked Sendable {
    static let alice = (key: "AKIDALICE", secret: "alice/secret+key", identity: "alice")

    let process = Process()
    let port: Int
    private let log: LineReader

    init(store: String, in scratch: Scratch) throws {
        let credentials = try scratch.file("team.json", #"""
            {"AccessKeys": [{"AccessKeyId": "\#(Self.alice.key)", "SecretAccessKey": "\#(Self.alice.secret)", "Identity": "\#(Self.alice.identity)"}]}
            """#)
        process.executableURL = engageBinary
        process.arguments = ["serve", "--port", "0", "--store", store, "--credentials-file", credentials]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        log = LineReader(stderr.fileHandleForReading)
        try process.run()
        let first = log.line(at: 0, within: .seconds(60))
        guard let first, let match = first.firstMatch(of: #/listening on http://[^ ]+:(\d+) /#), let port = Int(match.1) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ReliabilityError("engage serve's first line names no port: \(first ?? "nothing within a minute") \(log.lines)")
        }
        self.port = port
    }

    deinit { _ = kill9() }

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    /// What the server wrote to stderr: the banner and one line per request.
    var lines: [String] { log.lines }

    /// The access log's lines (one per request after the banner) whose status is a 5xx; all of them once stopped.
    var serverErrors: [String] {
        lines.dropFirst().filter { $0.split(separator: " ").dropFirst(3).first?.hasPrefix("5") == true }
    }

    /// The server's resident set size in kB, from /proc/PID/status.
    func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else {
            throw ReliabilityError("no VmRSS in /proc/\(pid)/status")
        }
        return kilobytes
    }

    /// SIGTERM, then the exit status; SIGKILL if it takes more than `limit`.
    func stop(within limit: Duration = .seconds(20)) -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        return kill9()
    }

    /// SIGKILL (when still running) and the way it ended, once every line it wrote has been read.
    @discardableResult
    func kill9() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        _ = log.text()
        return process.terminationStatus
    }
}

/// Direct reads of a store file, as a user would check it with sqlite3.
enum StoreFile {
    /// `PRAGMA integrity_check`'s lines: `["ok"]` for a sound file.
    static func integrity(of store: String) throws -> [String] {
        try DatabaseQueue(path: store).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The ids of the engagements of a catalog.
    static func engagementIds(in store: String, catalog: String = "Sandbox") throws -> [String] {
        try DatabaseQueue(path: store).read { db in
            try String.fetchAll(db, sql: "SELECT id FROM engagement WHERE catalog = ? ORDER BY key", arguments: [catalog])
        }
    }

    /// Every table's rows as `sqlite3 .dump` prints them: equal content gives equal text, whatever the WAL holds.
    static func dump(_ store: String) throws -> String {
        let dump = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, ".dump"])
        guard dump.status == 0 else { throw ReliabilityError("sqlite3 could not dump \(store): \(dump.stderr)") }
        return dump.stdout
    }
}

/// A reproducible random sequence (SplitMix64), so a failing seed can be run again.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
