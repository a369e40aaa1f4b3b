import Foundation
import GRDB

// The helpers below are small copies of those in EngageCommandTests (runProgram, engageBinary, LineReader,
// the serve child): SwiftPM does not let one test target import another.

/// How a child process ended and what it printed.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
    /// Ended by a signal (a crash, a trap, our SIGKILL), not by exiting.
    let crashed: Bool
}

/// Runs a program to its end and collects what it printed.
func runProgram(_ executable: URL, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
    }
    let errors = LineReader(stderr.fileHandleForReading)
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                         stderr: errors.text(), crashed: process.terminationReason == .uncaughtSignal)
}

/// Runs the real `engage` binary.
func runEngage(_ arguments: [String], input: String? = nil) throws -> CommandResult {
    try runProgram(engageBinary, arguments, input: input.map { Data($0.utf8) })
}

/// The `engage` executable beside the test bundle in the build folder.
let engageBinary: URL = {
    var folder = Bundle.main.bundleURL
    while folder.path != "/" {
        let candidate = folder.appendingPathComponent("engage")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    fatalError("no engage binary found beside \(Bundle.main.bundleURL.path)")
}()

let shell = URL(fileURLWithPath: "/bin/sh")

struct ReliabilityError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads a pipe line by line on another thread, so a test can wait for the line it needs while the child
/// keeps writing, and a child filling a pipe never blocks.
final class LineReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var collected: [String] = []
    private var partial = ""
    private var ended = false

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            var pending = Data()
            while case let chunk = handle.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    condition.withLock { collected.append(line) }
                    condition.broadcast()
                }
            }
            condition.withLock {
                partial = String(decoding: pending, as: UTF8.self)
                ended = true
            }
            condition.broadcast()
        }
    }

    /// The complete lines read so far.
    var lines: [String] { condition.withLock { collected } }

    /// Line `index` (from 0) once it has been written, or nil after `limit` or at the end of the pipe.
    func line(at index: Int, within limit: Duration) -> String? {
        let deadline = Date() + TimeInterval(limit.components.seconds)
        condition.lock()
        defer { condition.unlock() }
        while collected.count <= index {
            guard !ended, condition.wait(until: deadline) else { return nil }
        }
        return collected[index]
    }

    /// Everything, once the pipe has ended (the writer exited).
    func text() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return collected.map { $0 + "\n" }.joined() + partial
    }
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
