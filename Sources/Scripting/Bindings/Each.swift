import CLua
import CLuaShims
import Core

/// `each(list_fn [, request])`: an iterator over every item of a paginated list operation, across its pages,
/// from botocore's paginators for the service (`ServiceModel.paginators`): each page's items from its result
/// list, then the next page asked for with the token the page returned, until a page returns none. A short
/// or empty page that returns a token is not the end.
extension Bridge {
    /// The Lua that pages: a factory of iterators, compiled once per state and kept in the registry.
    private static let pagingSource = """
        return function(list, request, input_token, output_token, result_key)
          local sent = {}
          for k, v in pairs(request) do sent[k] = v end
          local page, index = nil, 0
          return function()
            while true do
              if page ~= nil then
                index = index + 1
                local items = page[result_key]
                local item = items and items[index]
                if item ~= nil then return item end
                local token = page[output_token]
                if token == nil then return nil end
                sent[input_token] = token
              end
              page, index = list(sent), 0
            end
          end
        end
        """
    private static let pagingKey = "engage.each"
    /// The chunk name of `pagingSource`, by which `callerPosition` knows a call the iterator made.
    static let eachChunkName = "=each"

    func each(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        guard lua_type(L, 1) == LUA_TFUNCTION, let operation = Self.operation(of: L, at: 1), let paginator = ServiceModel.paginators[operation] else {
            let names = ServiceModel.paginators.keys.sorted().compactMap { operation in LuaGlobals.of(.operation).first { $0.model == operation }?.name }
            throw Arguments.error(L, 1, "each", "a paginated list operation expected (\(names.joined(separator: ", "))), got \(Arguments.typeName(L, 1))")
        }
        switch lua_type(L, 2) {
        case LUA_TNONE, LUA_TNIL:
            lua_settop(L, 1)
            lua_createtable(L, 0, 0)
        default:
            try Arguments.table(L, 2, "each")
            lua_settop(L, 2)
        }
        if lua_getfield(L, engage_registry_index(), Self.pagingKey) != LUA_TFUNCTION {
            engage_lua_pop(L, 1)
            guard luaL_loadbufferx(L, Self.pagingSource, Self.pagingSource.utf8.count, Self.eachChunkName, nil) == LUA_OK, lua_pcallk(L, 0, 1, 0, 0, nil) == LUA_OK else {
                throw .message("each: \(LuaValues.string(L, at: -1))")
            }
            lua_pushvalue(L, -1)
            lua_setfield(L, engage_registry_index(), Self.pagingKey)
        }
        lua_pushvalue(L, 1)
        lua_pushvalue(L, 2)
        LuaValues.pushString(L, paginator.inputToken)
        LuaValues.pushString(L, paginator.outputToken)
        LuaValues.pushString(L, paginator.resultKey)
        guard lua_pcallk(L, 5, 1, 0, 0, nil) == LUA_OK else { throw .message("each: \(LuaValues.string(L, at: -1))") }
        return 1
    }

    /// The operation whose global is the function at `index`, by a raw read of each operation's global (a
    /// global not read yet cannot be the value passed). [-0, +0, –]
    private static func operation(of L: OpaquePointer, at index: Int32) -> String? {
        for global in LuaGlobals.of(.operation) {
            lua_rawgeti(L, engage_registry_index(), lua_Integer(LUA_RIDX_GLOBALS))
            LuaValues.pushString(L, global.name)
            lua_rawget(L, -2)
            defer { engage_lua_pop(L, 2) }
            if lua_rawequal(L, -1, index) != 0 { return global.model }
        }
        return nil
    }
}
