import EngageTestSupport
import Foundation
import Testing

/// engage's top-level command line: which words name commands, and what a word that names none does.
@Suite(.tags(.process)) struct CommandLineTests {
    @Test(arguments: [
        (["decribe", "Industry"], "engage: unknown command 'decribe' (did you mean 'describe'?)"),
        (["nosuch", "--help"], "engage: unknown command 'nosuch'\n"),
        (["cal", "CreateEngagement", "{}"], "engage: unknown command 'cal' (did you mean 'call'?)"),
        (["Run", "script.lua"], "engage: unknown command 'Run' (did you mean 'run'?)"),
    ])
    func anUnknownCommandIsNamedWithTheNearestAndExits64(arguments: [String], message: String) throws {
        let result = try runEngage(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        #expect(result.stderr.contains("See 'engage --help' for the commands."))
    }

    @Test func helpIsAKnownCommand() throws {
        let describe = try runEngage("help", "describe")
        #expect(describe.status == 0)
        #expect(describe.stdout.contains("Show a shape of the service model"))
    }
}
