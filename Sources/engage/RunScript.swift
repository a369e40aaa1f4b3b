import ArgumentParser
import Core
import Foundation
import Scripting

/// `engage run FILE|- [ARG...]`: runs a Lua script with the engage globals against the service.
struct RunScript: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script (a recipe) with the engage globals: operations, builders, enums, helpers.",
        discussion: """
            Arguments after FILE go to the script's `arg` table as the standalone lua sets it (arg[0] is \
            FILE) and to its `...`. Options may come before or after FILE. An uncaught error prints \
            file:line: message and a traceback on stderr and exits 1.

            Examples:
              engage run Recipes/lead-intake.lua leads.csv
              echo 'print(#Industry)' | engage run -
            """
    )

    @Argument(help: "The Lua script, or - to read it from standard input.")
    var file: String

    @Argument(parsing: .allUnrecognized, help: "Arguments for the script (its arg table).")
    var arguments: [String] = []

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let source: String
        if file == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read the script \(file)") }
            source = String(decoding: data, as: UTF8.self)
        }
        let engine = ScriptEngine(service: try options.service(), catalog: options.catalog)
        let chunkName = file == "-" ? "=stdin" : "@" + file
        if case .failed(let message) = await engine.run(source, chunkName: chunkName, scriptName: file, arguments: arguments) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(1)
        }
    }
}
