import Core
import Foundation
import Scripting

/// What `engage run` asks for: the file, its arguments and parameters, and how to run it.
public struct RecipeRunRequest: Sendable {
    /// The file as named on the command line, its resolved path and its bytes.
    public var name: String
    public var path: String
    public var source: [UInt8]
    /// `@path` for a file, `=stdin` for standard input.
    public var chunkName: String
    /// Words for the script's `arg` table.
    public var scriptArguments: [String] = []
    /// `--param name=value` words, in order.
    public var parameters: [String] = []
    public var wantsHelp = false
    public var dryRun = false
    public var json = false
    public var quiet = false
    public var verbose = false
    public var catalog = "Sandbox"

    public init(name: String, path: String, source: [UInt8], chunkName: String) {
        (self.name, self.path, self.source, self.chunkName) = (name, path, source, chunkName)
    }
}

/// Runs a recipe (a file whose chunk returns `recipe{...}`) or a plain script: parameters checked before
/// anything is sent, writes safe to repeat, a dry run on a throw-away copy of the store, progress on a
/// terminal, and with `--output json` one document on standard output.
public enum RecipeRun {
    /// Exit statuses: 0 done (in a dry run: every write would be accepted), 1 failed, 2 a usage problem
    /// (a parameter, an option that does not fit) found before anything ran.
    public static let usageStatus: Int32 = 2

    /// Runs `request`; `openService` opens the backend for a recipe name and its parameters (nil for a plain
    /// script), which the audit log records. Returns the exit status.
    public static func run(
        _ request: RecipeRunRequest,
        openService: @Sendable (_ recipe: String?, _ parameters: JSONValue?) throws -> any EngagementService
    ) async -> Int32 {
        let isRecipe = RecipeLibrary.declaresRecipe(request.source)
        var recipeName = ((request.path as NSString).lastPathComponent as NSString).deletingPathExtension
        var parameters: JSONValue?
        // One state for the whole run: a recipe's chunk declares it with the gate shut, the backend is
        // connected once its parameters are known, then `run` goes in the same state.
        let gate = GatedService()
        let engine = ScriptEngine(service: gate, catalog: request.catalog)
        if isRecipe {
            let declaration: RecipeDeclaration
            switch await engine.declareRecipe(script: request.source, chunkName: request.chunkName, scriptName: request.name) {
            case .success(let declared): declaration = declared
            case .failure(let error): return fail(request, recipeName, nil, error.description)
            }
            recipeName = declaration.name ?? recipeName
            if request.wantsHelp {
                print(RecipeParameters.help(for: declaration, recipe: recipeName, path: request.path), terminator: "")
                return 0
            }
            do {
                parameters = try RecipeParameters.resolve(request.parameters, for: declaration, recipe: recipeName)
            } catch {
                return fail(request, recipeName, nil, error.description, status: usageStatus)
            }
        } else if !request.parameters.isEmpty {
            return fail(request, recipeName, nil, "\(request.name) is a plain script: it declares no recipe, so it takes no --param (its arguments come in arg)", status: usageStatus)
        }

        let backend: any EngagementService
        do {
            backend = try openService(isRecipe ? recipeName : nil, parameters)
        } catch {
            return fail(request, recipeName, parameters, "\(error)")
        }
        var target = backend
        var copyPath: String?
        if request.dryRun {
            guard let sandbox = backend as? SandboxService else {
                return fail(request, recipeName, parameters, "--dry-run works on the sandbox backend", status: usageStatus)
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("engage-dry-run-\(UUID().uuidString).sqlite").path
            copyPath = path
            do {
                target = try await sandbox.snapshot(to: path)
            } catch {
                SandboxService.removeStore(at: path)
                return fail(request, recipeName, parameters, error.description)
            }
        }
        defer { if let copyPath { SandboxService.removeStore(at: copyPath) } }

        gate.connect(to: target)
        let calls = RunCalls(verbose: request.verbose, recordsWrites: request.dryRun)
        let progress = !request.quiet && !request.verbose && ProgressLine.isWanted ? ProgressLine(recipe: recipeName, calls: calls) : nil
        var logLine: (@Sendable (String) -> Void)?
        if let progress { logLine = { @Sendable text in progress.log(text) } }
        await engine.routeOutput(printToStandardError: request.json, quiet: request.quiet, logLine: logLine)
        await engine.observeCalls { call in calls.record(call) }
        await engine.setDryRun(request.dryRun)
        if let progress { calls.onCall = { @Sendable in progress.draw(force: false) } }

        let outcome: ScriptEngine.Outcome
        if isRecipe, let parameters {
            let session = RecipeSession(recipe: recipeName, parameters: parameters, catalog: request.catalog, journal: target as? any RunJournal)
            if let progress { session.onProgress = { @Sendable done, total in progress.items(done: done, total: total) } }
            outcome = await engine.runDeclaredRecipe(parameters: parameters, session: session)
        } else {
            outcome = await engine.run(script: request.source, chunkName: request.chunkName, scriptName: request.name, arguments: request.scriptArguments)
        }
        progress?.finish()
        return report(request, recipeName: isRecipe ? recipeName : nil, parameters: parameters, outcome: outcome, calls: calls)
    }

    /// A recipe file's declaration, read by running its chunk with every service call refused.
    public static func declaration(of source: [UInt8], path: String, chunkName: String? = nil) async -> Result<RecipeDeclaration, RecipeLoadError> {
        let engine = ScriptEngine(service: GatedService())
        return await engine.declareRecipe(script: source, chunkName: chunkName ?? "@" + path, scriptName: path)
    }

    private static func report(_ request: RecipeRunRequest, recipeName: String?, parameters: JSONValue?, outcome: ScriptEngine.Outcome, calls: RunCalls) -> Int32 {
        let writes = calls.writes
        let refused = writes.filter { $0.refusal != nil }.count
        var failure: String?
        var result: JSONValue = .null
        switch outcome {
        case .failed(let message): failure = message
        case .returned(let values): result = values.count > 1 ? .array(values) : values.first ?? .null
        }
        let status: Int32 = failure != nil || refused > 0 ? 1 : 0
        if request.json {
            var document: JSONValue.Members = [
                "recipe": recipeName.map(JSONValue.string) ?? .null, "file": .string(request.path),
                "parameters": parameters ?? [:], "dryRun": .bool(request.dryRun), "ok": .bool(status == 0), "result": result,
                "calls": .array(calls.calls.map { call in
                    ["operation": .string(call.operation), "count": .integer(Int64(call.tally.count)),
                     "failures": .integer(Int64(call.tally.failures)), "conflicts": .integer(Int64(call.tally.conflicts))]
                }),
            ]
            if request.dryRun { document["writes"] = .array(writes.map(writeDocument)) }
            if let failure { document["error"] = .string(failure) }
            print(JSONValue.object(document).serialized(pretty: true))
            return status
        }
        if let failure { FileHandle.standardError.write(Data((failure + "\n").utf8)) }
        if recipeName != nil, failure == nil { printResult(result) }
        if request.dryRun { print(dryRunText(writes, refused: refused, catalog: request.catalog), terminator: "") }
        return status
    }

    private static func writeDocument(_ write: RunCalls.Write) -> JSONValue {
        var members: JSONValue.Members = ["operation": .string(write.operation), "target": .string(write.target), "summary": .string(write.summary), "accepted": .bool(write.refusal == nil)]
        if let refusal = write.refusal { members["error"] = refusal.wire }
        return .object(members)
    }

    /// A recipe's return value in text mode: strings and numbers as they are, tables as indented JSON.
    private static func printResult(_ result: JSONValue) {
        switch result {
        case .null: return
        case .string(let text): print(text)
        case .array, .object: print(result.serialized(pretty: true))
        default: print(result.serialized())
        }
    }

    private static func dryRunText(_ writes: [RunCalls.Write], refused: Int, catalog: String) -> String {
        var lines = ["dry run on a throw-away copy of the sandbox, catalog \(catalog): \(writes.count) write\(writes.count == 1 ? "" : "s"), " + (refused == 0 ? "every one would be accepted" : "\(refused) would be refused") + "; nothing was written"]
        for (index, write) in writes.enumerated() {
            lines.append("  \(index + 1). \(write.operation) \(write.target)  \(write.summary)")
            if let refusal = write.refusal { lines.append("     refused: \(refusal.description.replacingOccurrences(of: "\n", with: "\n     "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func fail(_ request: RecipeRunRequest, _ recipe: String, _ parameters: JSONValue?, _ message: String, status: Int32 = 1) -> Int32 {
        if request.json {
            let document: JSONValue = ["recipe": .string(recipe), "file": .string(request.path), "parameters": parameters ?? [:], "dryRun": .bool(request.dryRun), "ok": false, "error": .string(message)]
            print(document.serialized(pretty: true))
        } else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        return status
    }
}
