import CLua
import CLuaShims
import Core
import Foundation

/// What the bindings share: the service the operations call, the configured catalog, and the Lua state.
/// Bound functions receive it as their context pointer; the engine keeps it alive as long as the state.
final class Bridge {
    let service: any EngagementService
    let catalog: String
    unowned let state: LuaState
    /// Engagement ids that service responses carried, oldest first, each once: the REPL offers them for
    /// completion. Touched only on the engine's Lua thread.
    var seenEngagementIds = RecentIds()
    /// Every id responses carried (`Id`, `…Id` members), newest last: completion offers those that fit a field.
    var seenIds = RecentIds()
    /// What the chunk's `recipe{...}` declared, if it made one.
    var declaredRecipe: RecipeDeclaration?
    /// Set while a recipe runs: deterministic ClientTokens, the journal, progress.
    var recipeSession: RecipeSession?
    /// Where `log` lines go when the host wants them (under a progress line); nil: Lua writes them to stderr.
    var logLine: (@Sendable (String) -> Void)?
    /// Called by `os.exit` when the host handles it (`ScriptEngine.handleExit`): the status to exit with.
    var exitHandler: (@Sendable (Int32) -> Int32)?
    /// Told of every operation call once it has its outcome, validation failures included.
    var callObserver: (@Sendable (OperationCall) -> Void)?
    /// Where the service calls Lua waits for run: on the Lua thread itself.
    let waitingThread = WaitingThreadExecutor()
    /// The contexts of the operation and builder functions (see `registerGlobals`).
    var boundGlobals: [BoundGlobal] = []
    /// The model's globals made so far (see `registerGlobals`).
    var madeGlobals: Set<String> = []
    /// What the `sandbox` table acts on.
    var sandbox = SandboxReach.notGiven

    init(service: any EngagementService, catalog: String, state: LuaState) {
        self.service = service
        self.catalog = catalog
        self.state = state
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// Makes `function` the global `name`.
    func register(_ name: String, _ function: engage_swift_function) {
        engage_push_swift_function(state.L, function, context)
        lua_setglobal(state.L, name)
    }

    /// Makes `function` the field `name` of the table on top of the stack.
    func setField(_ name: String, _ function: engage_swift_function) {
        LuaValues.pushString(state.L, name)
        engage_push_swift_function(state.L, function, context)
        lua_rawset(state.L, -3)
    }

    /// Runs a binding: a Swift error becomes a Lua error value that the C trampoline raises once this
    /// Swift frame has returned, so no Lua error ever unwinds through Swift.
    static func call(_ L: OpaquePointer?, _ context: UnsafeMutableRawPointer?, _ body: (Bridge, OpaquePointer) throws(LuaRaise) -> Int32) -> Int32 {
        guard let L, let context else { return 0 }
        let bridge = Unmanaged<Bridge>.fromOpaque(context).takeUnretainedValue()
        let top = lua_gettop(L)
        do {
            let results = try body(bridge, L)
            assert(results >= 0 && lua_gettop(L) >= results, "a binding returned more results than it pushed")
            return results
        } catch .onStack {
            lua_rotate(L, top + 1, 1)
            lua_settop(L, top + 1)
            return -1
        } catch {
            lua_settop(L, top)
            do throws(LuaRaise) {
                try error.push(L)
            } catch {
                // The error value could not be built (memory ran out): raise what stopped it, left on top.
                lua_rotate(L, top + 1, 1)
                lua_settop(L, top + 1)
            }
            return -1
        }
    }

    /// Calls an async service operation from the Lua thread and waits for it. Lua runs on a thread of its
    /// own (see `ScriptEngine`), never on a Swift concurrency thread, so waiting here starves nothing.
    func wait<Value: Sendable>(_ operation: @escaping @Sendable () async throws(ServiceError) -> Value) throws(ServiceError) -> Value {
        try waitingThread.run(operation)
    }
}

/// Runs the tasks of service calls on the Lua thread that waits for them. A call hands work to other
/// threads only where it must (the HTTP client's event loop, a timer): a sandbox call runs start to end
/// on the Lua thread, and an HTTP call wakes the Lua thread once for its answer, instead of waking a
/// concurrency thread to start it and the Lua thread again to finish it.
final class WaitingThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs` and `waiting`; signalled when a job arrives or the awaited task finishes.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var waiting = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if waiting {
            jobs.append(job)
            condition.signal()
            condition.unlock()
        } else {
            condition.unlock()
            // Nobody waits (a task the call left behind, such as a cancellation handler's): any thread may run it.
            runElsewhere(job)
        }
    }

    /// Runs `operation` as a task whose jobs this thread runs until the task has its result.
    func run<Value: Sendable>(_ operation: @escaping @Sendable () async throws(ServiceError) -> Value) throws(ServiceError) -> Value {
        let box = ResultBox<Value>()
        condition.lock()
        waiting = true
        condition.unlock()
        Task(executorPreference: self) {
            let result: Result<Value, ServiceError>
            do throws(ServiceError) {
                result = .success(try await operation())
            } catch {
                result = .failure(error)
            }
            self.finish(box, with: result)
        }
        condition.lock()
        while box.result == nil {
            guard !jobs.isEmpty else {
                condition.wait()
                continue
            }
            let ready = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in ready { job.runSynchronously(on: asUnownedTaskExecutor()) }
            condition.lock()
        }
        waiting = false
        let left = jobs
        jobs.removeAll()
        condition.unlock()
        left.forEach(runElsewhere)
        return try box.result!.get()
    }

    private func finish<Value>(_ box: ResultBox<Value>, with result: Result<Value, ServiceError>) {
        condition.lock()
        box.result = result
        condition.signal()
        condition.unlock()
    }

    private func runElsewhere(_ job: UnownedJob) {
        DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Carries an operation's outcome from its task to the waiting Lua thread; the executor's lock orders the accesses.
private final class ResultBox<Value: Sendable>: @unchecked Sendable {
    var result: Result<Value, ServiceError>?
}

/// An error a binding raises in Lua: plain text with the caller's position, or a service error value.
enum LuaRaise: Error {
    case message(String)
    case service(ServiceError, where: String)
    /// A builder refused its table; the error value names the builder.
    case builder(ServiceError, shape: String, where: String)
    /// An error value already on the Lua stack (from a Lua function the binding called): raised unchanged.
    case onStack

    /// Pushes the error value the trampoline will raise; if that fails, the error that stopped it is on top.
    func push(_ L: OpaquePointer) throws(LuaRaise) {
        switch self {
        case .message(let text): try LuaValues.push(L, .string(text))
        case .service(let error, let position): try ErrorValues.push(L, error, where: position)
        case .builder(let error, let shape, let position): try ErrorValues.push(L, error, where: position, builder: shape)
        case .onStack: break
        }
    }
}

/// The caller's position, `script.lua:12: `, as luaL_where gives it (empty when unknown).
func callerPosition(_ L: OpaquePointer, level: Int32 = 1) -> String {
    // A call made by each()'s iterator is reported at the line of the loop that drives it.
    var frame = lua_Debug()
    let level = lua_getstack(L, level, &frame) != 0 && lua_getinfo(L, "S", &frame) != 0
        && frame.source.map { strcmp($0, Bridge.eachChunkName) == 0 } == true ? level + 1 : level
    luaL_where(L, level)
    defer { engage_lua_pop(L, 1) }
    return LuaValues.string(L, at: -1)
}

/// Argument checks that raise Lua errors naming the function and the argument, as luaL_argerror does.
enum Arguments {
    static func error(_ L: OpaquePointer, _ index: Int32, _ function: String, _ problem: String) -> LuaRaise {
        .message("\(callerPosition(L))bad argument #\(index) to '\(function)' (\(problem))")
    }

    static func typeName(_ L: OpaquePointer, _ index: Int32) -> String {
        lua_type(L, index) == LUA_TNONE ? "no value" : String(cString: lua_typename(L, lua_type(L, index)))
    }

    static func table(_ L: OpaquePointer, _ index: Int32, _ function: String) throws(LuaRaise) {
        guard lua_type(L, index) == LUA_TTABLE else { throw error(L, index, function, "table expected, got \(typeName(L, index))") }
    }

    /// The string argument at `index` as text; bytes that are not UTF-8 are refused, not replaced.
    static func string(_ L: OpaquePointer, _ index: Int32, _ function: String) throws(LuaRaise) -> String {
        guard lua_type(L, index) == LUA_TSTRING else { throw error(L, index, function, "string expected, got \(typeName(L, index))") }
        switch LuaValues.text(L, at: index) {
        case .success(let text): return text
        case .failure(let invalid): throw error(L, index, function, "string is not valid UTF-8: \(invalid)")
        }
    }

    static func function(_ L: OpaquePointer, _ index: Int32, _ name: String) throws(LuaRaise) {
        guard lua_type(L, index) == LUA_TFUNCTION else { throw error(L, index, name, "function expected, got \(typeName(L, index))") }
    }

    /// The value at `index` as JSON for a request (`field` names it when it is one member). Text that is not
    /// UTF-8 is a `SerializationException` naming the field path, as the service would answer; other
    /// problems name the argument.
    static func json(_ L: OpaquePointer, _ index: Int32, _ function: String, field: String? = nil) throws(LuaRaise) -> JSONValue {
        do {
            return try LuaValues.read(L, at: index, field: field)
        } catch where error.isText {
            let issue = ValidationExceptionError(fieldName: error.path.isEmpty ? nil : error.path,
                message: error.message("cannot send"), code: .invalidStringFormat)
            throw .service(ServiceError(code: "SerializationException", message: error.message("cannot send"), errorList: [issue]), where: callerPosition(L))
        } catch {
            throw Arguments.error(L, index, function, error.message("cannot send"))
        }
    }
}
