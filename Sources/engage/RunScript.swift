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

    @Argument(parsing: .allUnrecognized, help: "Arguments for the script (its arg table); after FILE every argument but engage's own options is the script's, and after -- all are.")
    var arguments: [String] = []

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let source: Data
        if file == "-" {
            source = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read the script \(file)") }
            source = data
        }
        let engine = ScriptEngine(service: try options.service(audit: AuditContext(command: "run")), catalog: options.catalog)
        let chunkName = file == "-" ? "=stdin" : "@" + file
        if case .failed(let message) = await engine.run(script: Array(source), chunkName: chunkName, scriptName: file, arguments: arguments) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// A `run` command line split as the standalone `lua` splits its own: engage's options (those of this
    /// command, such as `--store PATH` or `--catalog=AWS`) wherever they stand, FILE, and the script's
    /// arguments, which are every other word after FILE (`--help` and `-x` included) and every word after
    /// `--`. Nil when there is no FILE, so that `engage run --help` is run's own help.
    static func split(_ words: [String]) -> (engage: [String], file: String, script: [String])? {
        var engage: [String] = []
        var file: String?
        var script: [String] = []
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            index += 1
            if word == "--" {
                guard file != nil else { return nil }
                script += words[index...]
                break
            }
            let name = String(word.prefix { $0 != "=" })
            if word.hasPrefix("--"), let takesValue = ownOptions[name] {
                engage.append(word)
                if takesValue, !word.contains("="), index < words.endIndex {
                    engage.append(words[index])
                    index += 1
                }
            } else if file == nil {
                guard word == "-" || !word.hasPrefix("-") else { return nil }
                file = word
            } else {
                script.append(word)
            }
        }
        return file.map { (engage, $0, script) }
    }

    /// This command's long options, each with whether it takes a value, read from ArgumentParser's own
    /// description of the command so that options added to `ServiceOptions` are known here too.
    static let ownOptions: [String: Bool] = {
        guard let description = try? JSONValue(parsing: _dumpHelp()),
            let arguments = description["command"]?["arguments"]?.arrayValue
        else { return [:] }
        var options: [String: Bool] = [:]
        for argument in arguments {
            let kind = argument["kind"]?.stringValue
            guard kind == "option" || kind == "flag" else { continue }
            for name in argument["names"]?.arrayValue ?? [] where name["kind"]?.stringValue == "long" {
                if let long = name["name"]?.stringValue, long != "help" { options["--" + long] = kind == "option" }
            }
        }
        return options
    }()
}
