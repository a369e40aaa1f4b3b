import CLua
import CLuaShims
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

    /// Evaluates `chunk` (Lua source bytes, which need not be UTF-8) as lua.c does: first as `return chunk`
    /// so an expression prints its values, then as statements; a syntax error at `<eof>` means the chunk is
    /// incomplete. SIGINT while it runs stops it with "interrupted!".
    public func evaluate(_ chunk: [UInt8], chunkName: String = "=stdin") async -> Evaluation {
        await onLuaThread { engine in engine.evaluateHere(chunk, chunkName: chunkName) }
    }

    /// `evaluate` for source text.
    public func evaluate(_ chunk: String, chunkName: String = "=stdin") async -> Evaluation {
        await evaluate(Array(chunk.utf8), chunkName: chunkName)
    }

    /// The names of global variables that start with `prefix`, ignoring case (completion picks the exact
    /// ones first). Read from the state with raw reads, no code runs. It waits for the Lua thread: call it
    /// only while no chunk runs (the REPL calls it from TAB, while reading a line).
    public func globalNames(startingWith prefix: String) -> [String] {
        onLuaThreadNow { engine in
            // The model's globals a script has not read yet are not in the table (see `registerGlobals`), but
            // they are there for the script all the same.
            let present = engine.keysHere(path: [], prefix: prefix) ?? []
            let made = engine.bridge.madeGlobals.union(present)
            let wanted = Self.folded(prefix)
            return present + LuaGlobals.modelRowNames.filter { !made.contains($0) && Self.starts(Array($0.utf8), with: wanted) }
        }
    }

    /// The string keys, starting with `prefix` in any case, of the table at the dotted `path` of globals
    /// (`e.Contexts` is `["e", "Contexts"]`), or nil when no table is there. Raw reads; waits as
    /// `globalNames` does.
    public func fieldNames(of path: [String], startingWith prefix: String) -> [String]? {
        guard !path.isEmpty else { return nil }
        return onLuaThreadNow { engine in engine.keysHere(path: path, prefix: prefix) }
    }

    /// The engagement ids responses carried, oldest first.
    public func engagementIdsSeen() -> [String] {
        onLuaThreadNow { engine in engine.bridge.seenEngagementIds.newestLast }
    }

    /// Every id responses carried (opportunity, invitation, task, … ids), oldest first.
    public func idsSeen() -> [String] {
        onLuaThreadNow { engine in engine.bridge.seenIds.newestLast }
    }

    /// Runs `body` on the Lua thread and blocks the caller until it has run: for libedit's TAB callback,
    /// which cannot wait asynchronously.
    private func onLuaThreadNow<Answer>(_ body: @escaping (ScriptEngine) -> Answer) -> Answer {
        let box = AnswerBox<Answer>()
        let done = DispatchSemaphore(value: 0)
        luaThread.perform { [self] in
            box.answer = body(self)
            done.signal()
        }
        done.wait()
        return box.answer!
    }

    private func evaluateHere(_ chunk: [UInt8], chunkName: String) -> Evaluation {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_pushcclosure(L, engage_error_message, 0)
        let handler = lua_gettop(L)
        var status = load(L, Array("return ".utf8) + chunk, chunkName)
        if status != LUA_OK {
            engage_lua_pop(L, 1)
            status = load(L, chunk, chunkName)
            if status == LUA_ERRSYNTAX, LuaValues.string(L, at: -1).hasSuffix("<eof>") { return .incomplete }
            guard status == LUA_OK else { return .failed(LuaValues.string(L, at: -1)) }
        }
        engage_interrupt_arm(L)
        status = engage_lua_pcall(L, 0, LUA_MULTRET, handler)
        engage_interrupt_disarm()
        // A hook left by an interrupt that came after the chunk ended must not stop the next one.
        lua_sethook(L, nil, 0, 0)
        // The message handler made every error a string, as lua.c's does.
        guard status == LUA_OK else { return .failed(LuaValues.string(L, at: -1)) }
        return .values((handler + 1 ..< lua_gettop(L) + 1).map { LuaSnapshot.read(L, at: Int32($0)) })
    }

    private func load(_ L: OpaquePointer, _ source: [UInt8], _ name: String) -> Int32 {
        source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { luaL_loadbufferx(L, $0.baseAddress, $0.count, name, "t") }
        }
    }

    /// The keys of the table reached from the globals through `path` by raw reads, that start with `prefix`
    /// (ASCII letters in any case); nil when something on the path is not a table. Every key is looked at,
    /// no cap, so a big table completes as rightly as a small one. [-0, +0, –]
    private func keysHere(path: [String], prefix: String) -> [String]? {
        let L = state.L
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_checkstack(L, 4) != 0 else { return nil }
        lua_rawgeti(L, engage_registry_index(), lua_Integer(LUA_RIDX_GLOBALS))
        for name in path {
            LuaValues.pushString(L, name)
            lua_rawget(L, -2)
            guard lua_type(L, -1) == LUA_TTABLE else { return nil }
            lua_rotate(L, -2, 1)
            engage_lua_pop(L, 1)
        }
        let table = lua_gettop(L)
        let wanted = Self.folded(prefix)
        var keys: [String] = []
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if lua_type(L, -2) == LUA_TSTRING {
                let matches = LuaValues.withBytes(L, at: -2) { bytes in Self.starts(bytes, with: wanted) }
                if matches, case .success(let key) = LuaValues.text(L, at: -2) {
                    keys.append(key)
                }
            }
            engage_lua_pop(L, 1)
        }
        return keys
    }

    /// Whether `bytes` start with `folded`, a prefix made by `folded(_:)`: ASCII letters in any case.
    private static func starts(_ bytes: some Collection<UInt8>, with folded: [UInt8]) -> Bool {
        bytes.count >= folded.count && zip(bytes, folded).allSatisfy { asciiLowercased($0) == $1 }
    }

    private static func folded(_ prefix: String) -> [UInt8] { prefix.utf8.map(asciiLowercased) }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}

/// What the Lua thread hands back to a caller that waits for it (the semaphore orders the two accesses).
private final class AnswerBox<Answer>: @unchecked Sendable {
    var answer: Answer?
}
