import CLua
import CLuaShims
import Core

/// Enum tables (the rows of kind `.enumTable` in `LuaGlobals`): `Industry`, `CountryCode`, …
/// Each is a read-only proxy, a userdata whose metatable is locked: `ipairs`, `pairs` and `#` give the values
/// in model order, `Industry["Financial Services"]` gives the value, reading a value it lacks is an error
/// with a suggestion, and no assignment, `table.insert/remove/sort`, `rawset` or `setmetatable` can
/// change it (a userdata has no raw fields to set).
extension Bridge {
    /// The enum tables `LuaGlobals` lists, with their values in model order.
    static let enumTables: [(name: String, values: [String])] = LuaGlobals.of(.enumTable).map { ($0.name, LuaGlobals.enumValues($0.model ?? $0.name)) }

    /// The key under which the registry keeps the metamethods every enum table shares.
    private static let sharedMethodsKey = "engage.enum.methods"
    private static let methods = ["__index", "__newindex", "__len", "__pairs", "__tostring"]

    /// Pushes the enum table `name`: a userdata with a small locked metatable of its own, whose five
    /// metamethods are made once per state and shared by every table. [-0, +1, –]
    func pushEnumTable(_ name: String) {
        let L = state.L
        if lua_getfield(L, engage_registry_index(), Self.sharedMethodsKey) != LUA_TTABLE {
            engage_lua_pop(L, 1)
            pushSharedEnumMethods()
            lua_pushvalue(L, -1)
            lua_setfield(L, engage_registry_index(), Self.sharedMethodsKey)
        }
        _ = lua_newuserdatauv(L, 0, 0)
        lua_createtable(L, 0, 8)
        LuaValues.pushString(L, name)
        lua_setfield(L, -2, "__name")
        LuaValues.pushString(L, name)
        lua_setfield(L, -2, "engage_enum")
        // getmetatable(Industry) answers this, and setmetatable(Industry, …) is refused.
        LuaValues.pushString(L, "locked")
        lua_setfield(L, -2, "__metatable")
        for method in Self.methods {
            lua_getfield(L, -3, method)
            lua_setfield(L, -2, method)
        }
        lua_setmetatable(L, -2)
        lua_rotate(L, -2, 1)
        engage_lua_pop(L, 1)
    }

    /// Pushes a table of the five metamethods of enum tables. [-0, +1, –]
    private func pushSharedEnumMethods() {
        let L = state.L
        lua_createtable(L, 0, Int32(Self.methods.count))
        engage_push_swift_function(L, { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.enumIndex(L) } }, context)
        lua_setfield(L, -2, "__index")
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in throw .message("\(callerPosition(L))\(Bridge.enumName(L, 1)) is read-only") }
        }, context)
        lua_setfield(L, -2, "__newindex")
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                lua_pushinteger(L, lua_Integer((Bridge.enumValues(L, 1) ?? []).count))
                return 1
            }
        }, context)
        lua_setfield(L, -2, "__len")
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                // pairs(Industry) walks the values in model order, as ipairs does: position, value.
                engage_push_swift_function(L, { L, c in
                    Bridge.call(L, c) { _, L throws(LuaRaise) in
                        let values = Bridge.enumValues(L, 1) ?? []
                        let next = Int(lua_tointegerx(L, 2, nil)) + 1
                        guard next <= values.count else { return 0 }
                        lua_pushinteger(L, lua_Integer(next))
                        LuaValues.pushString(L, values[next - 1])
                        return 2
                    }
                }, c)
                lua_pushvalue(L, 1)
                lua_pushinteger(L, 0)
                return 3
            }
        }, context)
        lua_setfield(L, -2, "__pairs")
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                let name = Bridge.enumName(L, 1)
                LuaValues.pushString(L, "\(name) (\((Bridge.enumValues(L, 1) ?? []).count) values; ipairs(\(name)) lists them)")
                return 1
            }
        }, context)
        lua_setfield(L, -2, "__tostring")
    }

    /// The values of the enum table at `index`, in model order; nil when it is not an enum table. Read as a
    /// value (`json.encode(MarketSegment)`), an enum table is the list of its values.
    static func enumValues(_ L: OpaquePointer, _ index: Int32) -> [String]? {
        guard lua_type(L, index) == LUA_TUSERDATA, lua_getmetatable(L, index) != 0 else { return nil }
        defer { engage_lua_pop(L, 2) }
        LuaValues.pushString(L, "engage_enum")
        lua_rawget(L, -2)
        let name = LuaValues.string(L, at: -1)
        return enumTables.first { $0.name == name }?.values
    }

    /// `__index(t, key)`: a valid value returns itself; anything else is an error naming the nearest value.
    private static func enumIndex(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let name = enumName(L, 1)
        let values = enumTables.first { $0.name == name }?.values ?? []
        guard lua_type(L, 2) == LUA_TSTRING else {
            if lua_type(L, 2) == LUA_TNUMBER {
                // Industry[1] is the first value, as in a list; other numbers are nil, which ends ipairs.
                let position = lua_isinteger(L, 2) != 0 ? Int(lua_tointegerx(L, 2, nil)) : 0
                if values.indices.contains(position - 1) { LuaValues.pushString(L, values[position - 1]) } else { lua_pushnil(L) }
                return 1
            }
            throw .message("\(callerPosition(L))\(name) is indexed by value, such as \(name)[\"\(values.first ?? "")\"]")
        }
        let key = LuaValues.string(L, at: 2)
        if values.contains(key) {
            LuaValues.pushString(L, key)
            return 1
        }
        let hint = Suggestion.hint(for: key, among: values)
        throw .message("\(callerPosition(L))\(name) has no value '\(key)'\(hint)")
    }

    /// The `__name` of the enum table at `index`.
    static func enumName(_ L: OpaquePointer, _ index: Int32) -> String {
        guard lua_getmetatable(L, index) != 0 else { return "enum" }
        defer { engage_lua_pop(L, 2) }
        LuaValues.pushString(L, "__name")
        lua_rawget(L, -2)
        return LuaValues.string(L, at: -1)
    }
}
