import ArgumentParser
import Core
import Foundation
import Sandbox

/// `engage sandbox clock [--advance D | --reset]`: shows and moves the sandbox's notion of now.
struct SandboxClock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "Show the sandbox's clock, or move it forward to try what dates decide (expiry, dates in the past).",
        discussion: """
            The sandbox dates every write and judges every date rule (a target close date in the past, an \
            invitation's expiry) by its own clock: the real time unless you move it. Moving it is kept in \
            the store, so every process and engage serve on that store see the same time. It only moves \
            forward, or back to the real time with --reset.

            Examples:
              engage sandbox clock
              engage sandbox clock --advance 16d
              engage sandbox clock --advance 1d12h
              engage sandbox clock --reset
            """
    )

    @Option(help: ArgumentHelp("Move the clock forward by this much: whole numbers with d, h, m or s, e.g. 16d or 1d12h.", valueName: "duration"))
    var advance: String?

    @Flag(help: "Set the clock back to the real time.")
    var reset = false

    @Option(help: "text prints the time and how far ahead it is; json prints {\"Now\": …, \"AheadBySeconds\": …}.")
    var output: OutputFormat = .text

    @OptionGroup var options: ServiceOptions

    func validate() throws {
        try options.requireSandbox(for: "engage sandbox clock")
        if advance != nil, reset { throw ValidationError("--advance and --reset each move the clock; give one of them") }
        if let advance, SandboxClockReading.microseconds(in: advance) == nil {
            throw ValidationError("--advance '\(advance)' is not a duration; write whole numbers with d, h, m or s, e.g. 16d or 1d12h")
        }
    }

    func run() async throws {
        let reading: SandboxClockReading
        do throws(ServiceError) {
            if let advance, let microseconds = SandboxClockReading.microseconds(in: advance) {
                reading = try await options.openSandbox(audit: SandboxCommand.audit).advanceClock(byMicroseconds: microseconds)
            } else if reset {
                reading = try await options.openSandbox(audit: SandboxCommand.audit).resetClock()
            } else {
                reading = try await options.readSandboxIfPresent(audit: SandboxCommand.audit).clock()
            }
        } catch {
            throw SandboxCommand.fail(error)
        }
        switch output {
        case .json: print(reading.json.serialized(pretty: true))
        case .text: print("\(reading.now)  (\(reading.aheadText))")
        }
    }
}
