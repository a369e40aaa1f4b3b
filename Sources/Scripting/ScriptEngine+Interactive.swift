import CLua
import CShims
import Foundation

/// What the REPL needs of the engine: lines evaluated as lua.c's REPL evaluates them, and facts about the
/// session for completion, read without running Lua code.
extension ScriptEngine {
    /// The outcome of one interactive chunk.
    public enum Evaluation: Sendable, Equatable {
        /// The chunk ran; these are the values it returned (an expression's values).
        case values([LuaSnapshot])
        /// The chunk is not finished (`for i = 1, 3 do`): read another line and try again.
        case incomplete
        /// A syntax or runtime error, as `stdin:LINE: message` (an engage error value as `tostring` shows it).
        case failed(String)
    }

    /// What completion may know of the session.
    public struct SessionFacts: Sendable {
        /// The names of the global variables.
        public var globals: [String]
        /// The string keys of tables reachable from globals: `"e"` and `"e.Contexts"`-style dotted paths.
        public var fields: [String: [String]]
        /// Engagement ids that responses carried, oldest first.
        public var engagementIds: [String]

        public init(globals: [String] = [], fields: [String: [String]] = [:], engagementIds: [String] = []) {
            (self.globals, self.fields, self.engagementIds) = (globals, fields, engagementIds)
        }
    }

    /// Evaluates `chunk` as lua.c does: first as `return chunk` so an expression prints its values, then as
    /// statements; a syntax error at `<eof>` means the chunk is incomplete. SIGINT while it runs stops it
    /// with "interrupted!".
    public func evaluate(_ chunk: String, chunkName: String = "=stdin") async -> Evaluation {
        await onLuaThread { engine in engine.evaluateHere(chunk, chunkName: chunkName) }
    }

    /// Globals, table fields and seen engagement ids, for completion.
    public func sessionFacts() async -> SessionFacts {
        await onLuaThread { engine in engine.factsHere() }
    }

    private func evaluateHere(_ chunk: String, chunkName: String) -> Evaluation {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var status = load(L, "return " + chunk, chunkName)
        if status != LUA_OK {
            engage_lua_pop(L, 1)
            status = load(L, chunk, chunkName)
            if status == LUA_ERRSYNTAX, LuaValues.string(L, at: -1).hasSuffix("<eof>") { return .incomplete }
            guard status == LUA_OK else { return .failed(LuaValues.string(L, at: -1)) }
        }
        engage_interrupt_arm(L)
        status = engage_lua_pcall(L, 0, LUA_MULTRET, 0)
        engage_interrupt_disarm()
        // A hook left by an interrupt that came after the chunk ended must not stop the next one.
        lua_sethook(L, nil, 0, 0)
        guard status == LUA_OK else { return .failed(errorText(L, at: -1)) }
        return .values((top + 1 ..< lua_gettop(L) + 1).map { LuaSnapshot.read(L, at: Int32($0)) })
    }

    private func load(_ L: OpaquePointer, _ source: String, _ name: String) -> Int32 {
        var bytes = Array(source.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, name, "t") }
        }
    }

    /// An error object as text: engage error values as `tostring` shows them, strings as they are.
    private func errorText(_ L: OpaquePointer, at index: Int32) -> String {
        switch LuaSnapshot.read(L, at: index) {
        case .error(let text): return text
        case .string(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .nothing: return "nil"
        case let other: return "(error object is a \(other))"
        }
    }

    private func factsHere() -> SessionFacts {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_rawgeti(L, engage_registry_index(), lua_Integer(LUA_RIDX_GLOBALS))
        let globalsIndex = lua_gettop(L)
        var globals: [String] = []
        var fields: [String: [String]] = [:]
        lua_pushnil(L)
        while lua_next(L, globalsIndex) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, case .success(let name) = LuaValues.text(L, at: -2) {
                globals.append(name)
                if lua_type(L, -1) == LUA_TTABLE, name != "_G", name != "package" {
                    fields[name] = stringKeys(L, at: lua_gettop(L), nestedUnder: name, into: &fields)
                }
            }
            engage_lua_pop(L, 1)
        }
        return SessionFacts(globals: globals.sorted(), fields: fields, engagementIds: bridge.seenEngagementIds)
    }

    /// The string keys of the table at `index`; for members that are tables, their keys under `path.key`
    /// (one level down, which covers `e.Contexts` and `string.format`).
    private func stringKeys(_ L: OpaquePointer, at index: Int32, nestedUnder path: String?, into fields: inout [String: [String]]) -> [String] {
        var keys: [String] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 && keys.count < 500 {
            if lua_type(L, -2) == LUA_TSTRING, case .success(let key) = LuaValues.text(L, at: -2) {
                keys.append(key)
                if let path, lua_type(L, -1) == LUA_TTABLE {
                    fields[path + "." + key] = stringKeys(L, at: lua_gettop(L), nestedUnder: nil, into: &fields)
                }
            }
            engage_lua_pop(L, 1)
        }
        if keys.count >= 500 { lua_settop(L, index) }
        return keys.sorted()
    }
}
