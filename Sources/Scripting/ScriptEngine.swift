import CLua
import Core
import Foundation

/// Runs Lua against an `EngagementService`: one Lua state with every engage global, used on a thread of
/// its own so that its bindings may wait for async service calls without blocking Swift concurrency.
public final class ScriptEngine: @unchecked Sendable {
    let state: LuaState
    let bridge: Bridge
    /// The state is not thread-safe: everything that touches it runs here, one body at a time.
    let luaThread = LuaThread()

    /// A state with the standard libraries and the engage globals, calling `service` with `catalog` as
    /// the default catalog; its `sandbox` table acts on what `sandbox` reaches.
    public init(service: any EngagementService, catalog: String = "Sandbox", sandbox: SandboxReach = .notGiven) {
        state = LuaState()
        bridge = Bridge(service: service, catalog: catalog, state: state)
        bridge.sandbox = sandbox
        bridge.registerGlobals()
        if case .failed(let message) = state.run(Prelude.source, name: "=prelude") {
            preconditionFailure("the Lua prelude failed: \(message)")
        }
    }

    /// What a run ended with.
    public enum Outcome: Sendable, Equatable {
        /// The chunk's return values, as JSON.
        case returned([JSONValue])
        /// The error as text (`file:line: message`) followed by a traceback.
        case failed(String)
    }

    /// Runs a script file's bytes as the standalone `lua` loads a file: a UTF-8 byte order mark and a first
    /// line starting with `#` (a shebang) are skipped, keeping line numbers; every other byte is the script's.
    /// With `resultsAsJSON`, a returned value JSON cannot hold fails the run, naming where it is.
    public func run(script: [UInt8], chunkName: String, scriptName: String = "", arguments: [String] = [], resultsAsJSON: Bool = false) async -> Outcome {
        await run(bytes: Self.skippingBOMAndShebang(script), chunkName: chunkName, scriptName: scriptName, arguments: arguments, resultsAsJSON: resultsAsJSON)
    }

    /// Runs `source` as the chunk `chunkName` (`@path/file.lua` for a file, `=stdin` for standard input),
    /// with `arg` set as the standalone `lua` sets it and `arguments` also passed as the chunk's `...`.
    public func run(_ source: String, chunkName: String, scriptName: String = "", arguments: [String] = []) async -> Outcome {
        await run(bytes: Array(source.utf8), chunkName: chunkName, scriptName: scriptName, arguments: arguments)
    }

    /// What `luaL_loadfilex` skips at the start of a file: the UTF-8 BOM, then a `#` line, whose newline is
    /// kept so that the script's line numbers stay those of the file.
    static func skippingBOMAndShebang(_ bytes: [UInt8]) -> [UInt8] {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if start < bytes.count, bytes[start] == UInt8(ascii: "#") {
            start = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        }
        return Array(bytes[start...])
    }

    private func run(bytes source: [UInt8], chunkName: String, scriptName: String, arguments: [String], resultsAsJSON: Bool = false) async -> Outcome {
        await onLuaThread { engine -> Outcome in
            engine.state.setScriptArguments(script: scriptName, arguments: arguments)
            switch engine.state.run(source, name: chunkName, arguments: arguments, resultsAsJSON: resultsAsJSON) {
            case .returned(let values): return .returned(values)
            case .failed(let message): return .failed(message)
            }
        }
    }

    /// From now on the `sandbox` table acts on what `sandbox` reaches (a recipe run's backend is chosen once
    /// its parameters are known).
    public func reach(_ sandbox: SandboxReach) async {
        await onLuaThread { engine in engine.bridge.sandbox = sandbox }
    }

    /// Runs `body` on the engine's Lua thread, one body at a time, and returns what it returned.
    func onLuaThread<Result: Sendable>(_ body: @escaping @Sendable (ScriptEngine) -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            luaThread.perform { [self] in continuation.resume(returning: body(self)) }
        }
    }

    deinit {
        luaThread.stop()
    }
}

/// The one thread an engine's Lua runs on, started at its first use and kept until the engine goes: a
/// thread per step cost a thread start and a 16 MB stack mapping for each of the several steps a command
/// takes (routing output, observing calls, the run itself).
final class LuaThread: @unchecked Sendable {
    /// Guards `jobs`, `started` and `stopping`.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var started = false
    private var stopping = false

    func perform(_ job: @escaping () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        jobs.append(job)
        if !started {
            started = true
            // The thread holds this object, not the engine, so the engine can go and stop it.
            let thread = Thread { [self] in loop() }
            thread.stackSize = 16 << 20
            thread.start()
        }
        condition.signal()
    }

    /// Lets the thread end once the jobs given so far have run.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            guard !jobs.isEmpty else {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
