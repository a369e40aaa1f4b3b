import ArgumentParser
import Core
import Foundation
import RecipeRunner
import Sandbox
import Scripting

/// `engage run RECIPE|FILE|- [ARG...] [--param k=v]... [--dry-run] [--output text|json]`: runs a recipe or a
/// plain Lua script with the engage globals against the service.
struct RunScript: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe or a Lua script with the engage globals: operations, builders, enums, helpers.",
        discussion: """
            A recipe is a Lua file whose chunk returns recipe{ description = …, params = {…}, run = \
            function(p) … end }: its parameters are checked before anything is sent (exit 2 naming the \
            one at fault), `engage run RECIPE --help` explains them, and running the same command again \
            after a failure or a kill finishes the job without repeating a write. A recipe is named by its \
            path or by its name on the search path (./Recipes, then $ENGAGE_RECIPES_PATH); `engage \
            recipes` lists them.

            A plain script gets the words after FILE in its `arg` table as the standalone lua sets it \
            (arg[0] is FILE) and in its `...`. Options may come before or after FILE. An uncaught error \
            prints file:line: message and a traceback on stderr and exits 1.

            Examples:
              engage run lead-intake --param csv=Recipes/samples/leads.csv
              engage run lead-intake --param csv=leads.csv --dry-run
              engage run export --param format=csv --param out=engagements.csv --output json
              echo 'print(#Industry)' | engage run -
            """
    )

    @Argument(help: "The recipe (a path, or a name on the search path), or - to read a script from standard input.")
    var file: String

    @Argument(parsing: .allUnrecognized, help: "Arguments for a plain script (its arg table); after FILE every argument but engage's own options is the script's, and after -- all are.")
    var arguments: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp("A recipe parameter, name=value; repeat for each.", valueName: "name=value"))
    var parameters: [String] = []

    @Flag(help: "Write nothing: run on a throw-away copy of the store (over HTTP: read the service, answer writes locally), list every write in order and whether it would be accepted.")
    var dryRun = false

    @Option(help: "text, or json: one document on stdout with the result and a summary of the calls (print and log go to stderr).")
    var output: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "No log lines and no progress line.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Show each service call on stderr.")
    var verbose = false

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let options = self.options
        try await Self.run(
            file: file, arguments: arguments, parameters: parameters, dryRun: dryRun, json: output == .json, quiet: quiet,
            verbose: verbose, catalog: options.catalog
        ) { audit throws in try options.backend(audit: audit) }
    }

    /// `engage run FILE [ARG...]` with none of engage's options: every option has its default, so the
    /// command runs without ArgumentParser's parse, whose first-use type lookups over the whole binary cost
    /// more than the rest of a short script's start.
    static func runWithDefaults(file: String, arguments: [String]) async throws {
        try await run(file: file, arguments: arguments, catalog: ServiceOptions.defaultCatalog) { audit in
            ServiceOptions.sandboxBackend(store: nil, region: nil, audit: audit)
        }
    }

    /// Runs the recipe or script `file` with these options; `backend` opens the backend for the run's audit context.
    private static func run(
        file: String, arguments: [String], parameters: [String] = [], dryRun: Bool = false, json: Bool = false, quiet: Bool = false,
        verbose: Bool = false, catalog: String, backend: @escaping @Sendable (AuditContext) throws -> Backend
    ) async throws {
        let source: [UInt8]
        let path: String
        if file == "-" {
            source = Array(FileHandle.standardInput.readDataToEndOfFile())
            path = "-"
        } else {
            let library = RecipeLibrary.fromEnvironment()
            guard let resolved = library.resolve(file) else {
                let hint = Suggestion.hint(for: file, among: library.names())
                let message = "no recipe or file '\(file)'\(hint); `engage recipes` lists the recipes on the search path"
                RecipeRun.reportProblem(json ? message : "engage: " + message, file: file, json: json)
                throw ExitCode(RecipeRun.usageStatus)
            }
            guard let data = FileManager.default.contents(atPath: resolved) else {
                let message = "cannot read the script \(resolved)"
                RecipeRun.reportProblem(json ? message : "engage: " + message, file: resolved, json: json)
                throw ExitCode(1)
            }
            (source, path) = (Array(data), resolved)
        }
        var request = RecipeRunRequest(name: file == "-" ? "-" : path, path: path, source: source, chunkName: file == "-" ? "=stdin" : "@" + path)
        let isRecipe = RecipeLibrary.declaresRecipe(source)
        // A recipe's --help is its own; a plain script's --help is one of its arguments.
        request.wantsHelp = isRecipe && arguments.contains { $0 == "--help" || $0 == "-h" }
        request.scriptArguments = arguments
        request.parameters = parameters
        request.dryRun = dryRun
        request.json = json
        request.quiet = quiet
        request.verbose = verbose
        request.catalog = catalog
        let status = await RecipeRun.run(request) { recipe, parameters in
            let opened = try backend(AuditContext(command: "run", recipe: recipe, parameters: parameters))
            if verbose { FileHandle.standardError.write(Data("engage: on \(opened.place), catalog \(catalog)\n".utf8)) }
            // A dry run over HTTP pretends its writes in a new sandbox store, audited as the run's own.
            let stores = DryRunStores(
                local: opened.local,
                open: { path throws(ServiceError) in try SandboxService(path: path, region: opened.region, audit: AuditContext(command: "run")) },
                files: SandboxService.storeFiles(at:))
            return RunBackend(service: opened.service, journal: opened.journal, region: opened.region, dryRunStores: stores, sandbox: opened.sandboxReach)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Whether a command line asks `run` for json output, so that an error in the command line itself (no
    /// FILE, a bad option) is reported as a JSON document too.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        guard arguments.first == _commandName else { return false }
        return arguments.contains("--output=json") || zip(arguments, arguments.dropFirst()).contains { $0 == ("--output", "json") }
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
            if word.hasPrefix("-"), word != "-", let takesValue = ownOptions[name] {
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

    /// This command's options, each with whether it takes a value. Written out, since deriving them from
    /// ArgumentParser's description of the command (`optionsFromHelp`) slows every start (docs/performance.md);
    /// a test requires the two to agree, so an option added to `ServiceOptions` must be added here.
    static let ownOptions: [String: Bool] = [
        "--param": true, "--dry-run": false, "--output": true, "--quiet": false, "-q": false, "--verbose": false, "-v": false,
        "--store": true, "--catalog": true, "--endpoint-url": true, "--aws": false, "--profile": true, "--region": true,
        "--max-attempts": true, "--max-rps": true, "--yes": false,
    ]

    /// The options as ArgumentParser describes the command: what `ownOptions` must say.
    static func optionsFromHelp() -> [String: Bool] {
        guard let description = try? JSONValue(parsing: _dumpHelp()),
            let arguments = description["command"]?["arguments"]?.arrayValue
        else { return [:] }
        var options: [String: Bool] = [:]
        for argument in arguments {
            let kind = argument["kind"]?.stringValue
            guard kind == "option" || kind == "flag" else { continue }
            for name in argument["names"]?.arrayValue ?? [] {
                guard let word = name["name"]?.stringValue, word != "help", word != "h" else { continue }
                switch name["kind"]?.stringValue {
                case "long": options["--" + word] = kind == "option"
                case "short": options["-" + word] = kind == "option"
                default: break
                }
            }
        }
        return options
    }
}
