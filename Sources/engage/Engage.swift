import ArgumentParser
import AWSTransport
import Core
import Foundation
import RecipeRunner

/// The `engage` command: explore and script the AWS Partner Central Selling API.
@main
struct Engage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engage",
        abstract: "Explore and script the AWS Partner Central Selling API (partnercentral-selling 2022-07-26).",
        discussion: """
            engage knows the service model: every structure, enum and constraint of the operations \
            CreateEngagement, GetEngagement, ListEngagements, CreateEngagementContext and \
            UpdateEngagementContext.

            Examples:
              engage                                     the REPL (TAB completes, help() explains)
              engage describe LeadCustomer               members, types, constraints
              engage describe Industry                   the 28 industries, one a line
              engage describe CountryCode --output json  the 249 country codes as JSON
              engage call CreateEngagement '{"Title": "Acme", "Description": "Pilot"}'
            """,
        subcommands: [REPLCommand.self, RunScript.self, Recipes.self, Call.self, Describe.self, Log.self, Types.self, Serve.self, SandboxCommand.self]
    )

    /// The exit status of a command line engage cannot use (EX_USAGE), as for every other usage error.
    static let usageStatus: Int32 = 64

    /// Parses and runs the command line as ArgumentParser does, with two differences: a first word that
    /// names no command is refused by name (ArgumentParser would call it an unexpected argument, or print
    /// the top-level help for `nosuch --help`), and `call --output json` and `run --output json` report a
    /// bad command line as an error document.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        // Bare `engage`, or only options, opens the REPL.
        if arguments.first.map({ $0.hasPrefix("--") && $0 != "--help" && $0 != "--version" }) ?? true { arguments.insert("repl", at: 0) }
        // `run` is a command: the check is skipped for it, since naming the commands costs a type-name
        // lookup per command at every start (docs/performance.md).
        if let word = arguments.first, word != "run", !word.hasPrefix("-"), !commandNames.contains(word) {
            let hint = Suggestion.hint(for: word, among: commandNames)
            FileHandle.standardError.write(Data("engage: unknown command '\(word)'\(hint)\nSee 'engage --help' for the commands.\n".utf8))
            Foundation.exit(usageStatus)
        }
        do {
            var command: ParsableCommand
            if arguments.first == "run", let split = RunScript.split(Array(arguments.dropFirst())) {
                guard !split.engage.isEmpty else {
                    try await RunScript.runWithDefaults(file: split.file, arguments: split.script)
                    await SharedHTTPClient.shutdown()
                    return
                }
                // The script's arguments never reach ArgumentParser, which would take `--help` for engage's.
                var run = try RunScript.parse(split.engage + [split.file])
                run.arguments = split.script
                command = run
            } else {
                command = try parseAsRoot(arguments)
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            await SharedHTTPClient.shutdown()
        } catch {
            await SharedHTTPClient.shutdown()
            let status = exitCode(for: error)
            if Call.wantsJSON(arguments), status != .success, !(error is ExitCode) {
                Call.report(ServiceError(code: "ValidationException", message: message(for: error)), as: .json)
                Foundation.exit(status.rawValue)
            }
            if RunScript.wantsJSON(arguments), status != .success, !(error is ExitCode) {
                RecipeRun.reportProblem(message(for: error), file: nil, json: true)
                Foundation.exit(status.rawValue)
            }
            exit(withError: error)
        }
    }

    /// Every word that names a subcommand: names and aliases from the configuration, and ArgumentParser's `help`.
    static var commandNames: [String] {
        configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"]
    }
}
