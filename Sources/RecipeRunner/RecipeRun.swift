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

/// The backend a run talks to: the service, where its journal is (the sandbox keeps it in its store; for a
/// service over HTTP, which keeps none, a journal of its own), the region its ARNs name, the stores a
/// dry run works in, and what Lua's `sandbox` table acts on.
public struct RunBackend: Sendable {
    public var service: any EngagementService
    /// Nil: no journal, so a run again does every item again.
    public var journal: (any RunJournal)?
    public var region: String
    public var dryRunStores: DryRunStores
    public var sandbox: SandboxReach

    public init(service: any EngagementService, journal: (any RunJournal)?, region: String, dryRunStores: DryRunStores, sandbox: SandboxReach = .notGiven) {
        (self.service, self.journal, self.region, self.dryRunStores, self.sandbox) = (service, journal, region, dryRunStores, sandbox)
    }
}

/// The throw-away stores a dry run works in. RecipeRunner knows no SQLite: `engage` supplies the sandbox's.
public struct DryRunStores: Sendable {
    /// The backend's own store when it is on this machine: a dry run works on a snapshot of it. Nil for a
    /// service elsewhere, whose dry run reads from it and pretends its writes in a store `open` makes.
    public var local: (any LocalEngagementStore)?
    /// A new store at a path: the overlay that answers a dry run's writes to a service elsewhere.
    public var open: @Sendable (_ path: String) throws(ServiceError) -> any LocalEngagementStore
    /// The files a store at a path consists of, all removed when the dry run ends.
    public var files: @Sendable (_ path: String) -> [String]

    public init(
        local: (any LocalEngagementStore)?, open: @escaping @Sendable (_ path: String) throws(ServiceError) -> any LocalEngagementStore,
        files: @escaping @Sendable (_ path: String) -> [String]
    ) {
        (self.local, self.open, self.files) = (local, open, files)
    }
}

/// Runs a recipe (a file whose chunk returns `recipe{...}`) or a plain script: parameters checked before
/// anything is sent, writes safe to repeat, a dry run on a throw-away copy of the store, progress on a
/// terminal, and with `--output json` one document on standard output.
public enum RecipeRun {
    /// Exit statuses: 0 done (in a dry run: every write would be accepted), 1 failed, 2 a usage problem
    /// (a parameter, an option that does not fit) found before anything ran.
    public static let usageStatus: Int32 = 2

    /// Runs `request`; `openBackend` opens the backend for a recipe name and its parameters (nil for a plain
    /// script), which the audit log records. Returns the exit status.
    public static func run(
        _ request: RecipeRunRequest,
        openBackend: @Sendable (_ recipe: String?, _ parameters: JSONValue?) throws -> RunBackend
    ) async -> Int32 {
        let output = RunOutput(json: request.json)
        defer { output.restore() }
        let isRecipe = RecipeLibrary.declaresRecipe(request.source)
        var recipeName = ((request.path as NSString).lastPathComponent as NSString).deletingPathExtension
        var parameters: JSONValue?
        var identity: JSONValue?
        func fail(_ message: String, status: Int32 = 1) -> Int32 {
            RunReport.failure(message, recipe: recipeName, file: request.path, parameters: parameters, dryRun: request.dryRun, json: request.json, output: output)
            return status
        }
        // One state for the whole run: a recipe's chunk declares it with the gate shut, the backend is
        // connected once its parameters are known, then `run` goes in the same state.
        let gate = GatedService()
        let engine = ScriptEngine(
            service: gate, catalog: request.catalog,
            sandbox: .unavailable(reason: "a recipe's chunk only declares the recipe: call it inside run = function(params) … end"))
        if isRecipe {
            let declaration: RecipeDeclaration
            switch await engine.declareRecipe(script: request.source, chunkName: request.chunkName, scriptName: request.name) {
            case .success(let declared): declaration = declared
            case .failure(let error): return fail(error.description)
            }
            recipeName = declaration.name ?? recipeName
            if request.wantsHelp {
                output.write(RecipeParameters.help(for: declaration, recipe: recipeName, path: request.path))
                return 0
            }
            do {
                let resolved = try RecipeParameters.resolve(request.parameters, for: declaration, recipe: recipeName)
                parameters = resolved
                identity = RecipeParameters.identity(of: resolved, for: declaration)
            } catch {
                return fail(error.description, status: usageStatus)
            }
        } else if !request.parameters.isEmpty {
            return fail("\(request.name) is a plain script: it declares no recipe, so it takes no --param (its arguments come in arg)", status: usageStatus)
        }

        let backend: RunBackend
        do {
            backend = try openBackend(isRecipe ? recipeName : nil, parameters)
        } catch {
            return fail("\(error)")
        }
        var target = backend.service
        var journal = backend.journal
        var sandbox = backend.sandbox
        var copy: DryRunCopy?
        if request.dryRun {
            let made = DryRunCopy(files: backend.dryRunStores.files)
            copy = made
            do {
                let dryRun = try await dryRunTarget(backend, copy: made.path)
                (target, journal) = (dryRun, dryRun)
                // The controls of a dry run act on its copy, so that they too write nothing.
                if case .controls = sandbox {
                    sandbox = (dryRun as? any SandboxControls).map(SandboxReach.controls) ?? .unavailable(reason: "a dry run's copy of the store has none")
                }
            } catch {
                made.remove()
                return fail(error.description)
            }
        }
        defer { copy?.remove() }

        gate.connect(to: target)
        await engine.reach(sandbox)
        let calls = RunCalls(verbose: request.verbose, recordsWrites: request.dryRun)
        let progress = !request.quiet && !request.verbose && ProgressLine.isWanted ? ProgressLine(recipe: recipeName, calls: calls) : nil
        var logLine: (@Sendable (String) -> Void)?
        if let progress { logLine = { @Sendable text in progress.log(text) } }
        await engine.routeOutput(printToStandardError: request.json, quiet: request.quiet, logLine: logLine)
        await engine.observeCalls { call in calls.record(call) }
        await engine.setDryRun(request.dryRun)
        if let progress { calls.onCall = { @Sendable in progress.draw(force: false) } }
        let report = RunReport(
            request: request, recipeName: isRecipe ? recipeName : nil, parameters: parameters, calls: calls,
            dryRunPlace: target is DryRunOverlay ? "the service, its writes answered by a local overlay" : "a throw-away copy of the sandbox")
        // os.exit still ends in the summary, and takes the dry run's copy with it.
        await engine.handleExit { [copy] code in
            progress?.finish()
            let status = report.write(.exited(code), to: output)
            copy?.remove()
            output.restore()
            return status
        }

        let outcome: ScriptEngine.Outcome
        if isRecipe, let parameters {
            let session = RecipeSession(recipe: recipeName, parameters: identity ?? parameters, catalog: request.catalog, journal: journal)
            if let progress { session.onProgress = { @Sendable done, total in progress.items(done: done, total: total) } }
            outcome = await engine.runDeclaredRecipe(parameters: parameters, session: session)
        } else {
            outcome = await engine.run(
                script: request.source, chunkName: request.chunkName, scriptName: request.name, arguments: request.scriptArguments, resultsAsJSON: request.json)
        }
        progress?.finish()
        return report.write(.outcome(outcome), to: output)
    }

    /// What a dry run talks to: on the sandbox, a copy of the store at `path`; over HTTP, the service for
    /// reads with a local overlay at `path` for writes.
    private static func dryRunTarget(_ backend: RunBackend, copy path: String) async throws(ServiceError) -> any EngagementService & RunJournal {
        if let local = backend.dryRunStores.local { return try await local.snapshot(to: path) }
        return DryRunOverlay(service: backend.service, overlay: try backend.dryRunStores.open(path), journal: backend.journal)
    }

    /// A recipe file's declaration, read by running its chunk with every service call refused.
    public static func declaration(of source: [UInt8], path: String, chunkName: String? = nil) async -> Result<RecipeDeclaration, RecipeLoadError> {
        let engine = ScriptEngine(service: GatedService())
        return await engine.declareRecipe(script: source, chunkName: chunkName ?? "@" + path, scriptName: path)
    }

    /// A problem found before a run could start (no such recipe, a bad command line): with `json`, one
    /// error document on standard output; else a line on standard error.
    public static func reportProblem(_ message: String, file: String?, json: Bool) {
        RunReport.failure(message, recipe: nil, file: file, parameters: nil, dryRun: false, json: json)
    }
}
