import CLua
import CLuaShims
import Core
import Foundation

/// One Lua 5.4 state, owned by Swift: standard libraries open, chunks loaded under a name so errors say
/// `lead-intake.lua:12:`, and every call made under `lua_pcall` with a traceback handler.
///
/// Not thread-safe: a state is used by one thread at a time (`ScriptEngine` keeps it on its own thread).
final class LuaState {
    let L: OpaquePointer

    init() {
        guard let state = engage_new_state(), engage_open_state(state) != 0 else { preconditionFailure("Lua could not allocate a state") }
        L = state
        luaL_openlibs(L)
    }

    deinit {
        engage_close_state(L)
    }

    /// Lets Lua hold at most `extra` bytes more than it holds now (nil: no limit); past that, allocations
    /// fail and Lua raises "not enough memory".
    func limitMemory(toMore extra: Int?) {
        let used = engage_set_memory_limit(L, 0)
        _ = engage_set_memory_limit(L, extra.map { used + $0 } ?? 0)
    }

    /// The result of running a chunk: the values it returned, or its error as text with a traceback.
    enum Outcome: Equatable {
        case returned([JSONValue])
        case failed(String)
    }

    /// Compiles `source` as a chunk named `name` (`@file.lua` for files, `=stdin` for standard input)
    /// and runs it with `arguments` pushed as its varargs.
    func run(_ source: String, name: String, arguments: [String] = [], resultsAsJSON: Bool = false) -> Outcome {
        run(Array(source.utf8), name: name, arguments: arguments, resultsAsJSON: resultsAsJSON)
    }

    /// Compiles the bytes of `source` as they are (Lua source is bytes: a Latin-1 byte in a string literal
    /// stays one byte, a NUL is part of the chunk) and runs it as `run(_:name:arguments:)` does. With
    /// `resultsAsJSON`, a returned value JSON cannot hold fails the run, naming where it is
    /// (`result.callback: a function cannot be written as JSON`); otherwise it is described by its type.
    func run(_ source: [UInt8], name: String, arguments: [String] = [], resultsAsJSON: Bool = false) -> Outcome {
        let top = lua_gettop(L)
        defer {
            lua_settop(L, top)
            assert(lua_gettop(L) == top, "the Lua stack is not where the run found it")
        }
        lua_pushcclosure(L, engage_traceback_handler, 0)
        let handler = lua_gettop(L)
        // Every byte of the source is loaded: a NUL inside it is the script's, not its end.
        let loaded = source.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, name, "t") }
        }
        guard loaded == LUA_OK else {
            return .failed(string(at: -1) ?? "syntax error")
        }
        for argument in arguments { LuaValues.pushString(L, argument) }
        let status = engage_lua_pcall(L, Int32(arguments.count), LUA_MULTRET, handler)
        guard status == LUA_OK else {
            return .failed(string(at: -1) ?? "error")
        }
        var results: [JSONValue] = []
        var index = handler + 1
        let count = lua_gettop(L) - handler
        while index <= lua_gettop(L) {
            do throws(LuaConversionError) {
                results.append(try LuaValues.read(L, at: index))
            } catch {
                guard resultsAsJSON else {
                    results.append(.string(describeValue(at: index)))
                    index += 1
                    continue
                }
                return .failed(Self.resultProblem(error, position: count > 1 ? Int(index - handler - 1) : nil))
            }
            index += 1
        }
        return .returned(results)
    }

    /// Where in the result a value JSON cannot hold is, and what it is: `result.callback: a function cannot be
    /// written as JSON`; `result[1]…` for the second of several returned values.
    private static func resultProblem(_ error: LuaConversionError, position: Int?) -> String {
        var place = "result" + (position.map { "[\($0)]" } ?? "")
        if !error.path.isEmpty { place += error.path.hasPrefix("[") ? error.path : "." + error.path }
        return "\(place): \(error.what) cannot be written as JSON\(error.detail.map { " (\($0))" } ?? "")"
    }

    /// Sets the global `arg` as the standalone `lua` does: the script at 0, its arguments from 1.
    func setScriptArguments(script: String, arguments: [String]) {
        lua_createtable(L, Int32(arguments.count), 1)
        LuaValues.pushString(L, script)
        lua_rawseti(L, -2, 0)
        for (index, argument) in arguments.enumerated() {
            LuaValues.pushString(L, argument)
            lua_rawseti(L, -2, lua_Integer(index + 1))
        }
        lua_setglobal(L, "arg")
    }

    /// The string at `index` without converting numbers in place; nil for other types.
    func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        return LuaValues.string(L, at: index)
    }

    /// A returned value that has no JSON form: a string as text with bytes that are not UTF-8 replaced,
    /// anything else by its type's name.
    private func describeValue(at index: Int32) -> String {
        string(at: index) ?? String(cString: lua_typename(L, lua_type(L, index)))
    }
}
