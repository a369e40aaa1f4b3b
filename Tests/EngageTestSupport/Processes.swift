import Foundation

// What the test targets that run engage's real binaries share: SwiftPM does not let one test target
// import another, so this is a library target of its own.

/// How a child process ended and what it printed.
public struct CommandResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Ended by a signal (a crash, a trap, a SIGKILL), not by exiting.
    public let crashed: Bool
}

/// Runs the real `engage` binary with `arguments`.
public func runEngage(_ arguments: String...) throws -> CommandResult {
    try runEngage(arguments)
}

/// Runs engage with `arguments`, optional standard input and extra environment variables.
public func runEngage(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try runEngage(arguments, bytes: input.map { Data($0.utf8) }, environment: environment)
}

/// Runs engage with standard input given as bytes, which need not be UTF-8, in `directory` (else this process's).
public func runEngage(_ arguments: [String], bytes input: Data?, environment: [String: String] = [:],
                      in directory: URL? = nil) throws -> CommandResult {
    try runProgram(engageBinary, arguments, input: input, environment: environment, in: directory)
}

/// Runs a program to its end, in `directory` when given, and collects what it printed and how it ended.
public func runProgram(_ executable: URL, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
                       in directory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.currentDirectoryURL = directory
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        // A child that exits before reading its input closes the pipe: that must be an error here, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
    }
    let errors = LineReader(stderr.fileHandleForReading)
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text(),
                         crashed: process.terminationReason == .uncaughtSignal)
}

/// The `engage` executable beside the test bundle in the build folder.
public let engageBinary: URL = {
    var folder = Bundle.main.bundleURL
    while folder.path != "/" {
        let candidate = folder.appendingPathComponent("engage")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    fatalError("no engage binary found beside \(Bundle.main.bundleURL.path)")
}()

/// Reads a pipe line by line on another thread, so a test can wait for the line it needs while the child
/// keeps writing, and a child filling a pipe never blocks.
public final class LineReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var collected: [String] = []
    private var partial = ""
    private var ended = false

    public init(_ handle: FileHandle) {
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
    public var lines: [String] { condition.withLock { collected } }

    /// Line `index` (from 0) once it has been written, or nil after `limit` or at the end of the pipe.
    public func line(at index: Int, within limit: Duration) -> String? {
        let deadline = Date() + TimeInterval(limit.components.seconds)
        condition.lock()
        defer { condition.unlock() }
        while collected.count <= index {
            guard !ended, condition.wait(until: deadline) else { return nil }
        }
        return collected[index]
    }

    /// Everything, once the pipe has ended (the writer exited).
    public func text() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return collected.map { $0 + "\n" }.joined() + partial
    }
}
