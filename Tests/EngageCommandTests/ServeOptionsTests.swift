import EngageTestSupport
import Foundation
import Testing

/// `engage serve`'s command line: the options other commands share that a server has no use for are
/// refused by name, with the reason, before anything starts (as `call` refuses `--profile` without a
/// transport), instead of being ignored while the local sandbox is served.
@Suite(.tags(.process)) struct ServeOptionsTests {
    @Test(arguments: [
        (["--aws"], "--aws chooses where a client sends requests"),
        (["--endpoint-url", "http://127.0.0.1:9"], "--endpoint-url chooses where a client sends requests"),
        (["--profile", "dev"], "--profile picks a client's credentials"),
        (["--max-rps", "5"], "--max-rps limits a client's requests"),
        (["--max-rps", "-1"], "--max-rps limits a client's requests"),
        (["--max-attempts", "2"], "--max-attempts sets a client's retries"),
        (["--yes"], "--yes confirms a client's writes to the AWS catalog"),
        (["--catalog", "AWS"], "--catalog sets a client's default catalog"),
        (["--catalog", "Sandbox"], "--catalog sets a client's default catalog"),
    ])
    func anOptionServeDoesNotUseIsRefusedByNameBeforeItStarts(options: [String], reason: String) throws {
        // A credentials file that does not exist: were the option ignored, serve would fail on it instead.
        let result = try runEngage(["serve", "--port", "0", "--credentials-file", "/nonexistent/team.json"] + options)
        #expect(result.status == 64, "\(options): \(result.stderr)")
        #expect(result.stderr.contains(reason), "\(options): \(result.stderr)")
        #expect(result.stderr.contains("engage serve"), "\(options): \(result.stderr)")
        #expect(!result.stderr.contains("credentials file") && !result.stderr.contains("listening"), "\(options): \(result.stderr)")
    }

    @Test func theOptionsServeUsesAreInItsHelpAndTheOthersAreNot() throws {
        let help = try runEngage(["serve", "--help"])
        #expect(help.status == 0)
        // The options list, after the discussion (whose example names a client's --endpoint-url).
        let options = help.stdout.components(separatedBy: "OPTIONS:").last ?? ""
        for used in ["--host", "--port", "--store", "--region", "--credentials-file", "--idle-timeout", "--body-timeout", "--shutdown-timeout",
                     "--max-connections"] {
            #expect(options.contains(used), "\(used)")
        }
        for unused in ["--aws", "--endpoint-url", "--profile", "--max-rps", "--max-attempts", "--yes", "--catalog"] {
            #expect(!options.contains(unused), "\(unused)")
        }
    }
}
