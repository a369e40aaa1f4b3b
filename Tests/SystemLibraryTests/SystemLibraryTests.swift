import CEditLine
import CLua
import Testing

/// The Debian packages liblua5.4-dev and libedit-dev are found through pkg-config and link.
@Suite(.tags(.unit)) struct SystemLibraryTests {
    @Test func luaRunsAChunkAndReturnsItsResult() {
        guard let state = luaL_newstate() else {
            Issue.record("luaL_newstate returned nil")
            return
        }
        defer { lua_close(state) }
        luaL_openlibs(state)
        #expect(luaL_loadstring(state, "return string.format('%d-%s', 6 * 7, _VERSION)") == LUA_OK)
        #expect(lua_pcallk(state, 0, 1, 0, 0, nil) == LUA_OK)
        let result = lua_tolstring(state, -1, nil).map { String(cString: $0) }
        #expect(result == "42-Lua 5.4")
        lua_settop(state, 0)
    }

    @Test func editLineCreatesAndFreesAHistory() {
        let history = history_init()
        #expect(history != nil)
        history_end(history)
    }
}
