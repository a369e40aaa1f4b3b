import EngageTestSupport
import Foundation

/// engage started in the background, its standard error read line by line, so a test can wait for a line
/// and then send a signal. Killed when dropped, whatever the test did.
final class RunningEngage {
    let process = Process()
    let stderr: LineReader

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = engageBinary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        stderr = LineReader(pipe.fileHandleForReading)
        try process.run()
    }

    /// Sends `number` and waits for the process to end; true when the signal ended it.
    func stop(with number: Int32) -> Bool {
        kill(process.processIdentifier, number)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == number
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
