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

    /// Makes each of `names` an enum table. The five metamethods are made once and shared by every table,
    /// so a table costs a userdata and a small metatable.
    func registerEnumTables(_ names: [String]) {
        guard !names.isEmpty else { return }
        let L = state.L
        let methods = ["__index", "__newindex", "__len", "__pairs", "__tostring"]
        engage_push_swift_function(L, { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.enumIndex(L) } }, context)
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in throw .message("\(callerPosition(L))\(Bridge.enumName(L, 1)) is read-only") }
        }, context)
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                lua_pushinteger(L, lua_Integer((Bridge.enumValues(L, 1) ?? []).count))
                return 1
            }
        }, context)
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
        engage_push_swift_function(L, { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                let name = Bridge.enumName(L, 1)
                LuaValues.pushString(L, "\(name) (\((Bridge.enumValues(L, 1) ?? []).count) values; ipairs(\(name)) lists them)")
                return 1
            }
        }, context)
        let first = lua_gettop(L) - Int32(methods.count) + 1
        for name in names {
            _ = lua_newuserdatauv(L, 0, 0)
            lua_createtable(L, 0, 8)
            LuaValues.pushString(L, name)
            lua_setfield(L, -2, "__name")
            LuaValues.pushString(L, name)
            lua_setfield(L, -2, "engage_enum")
            // getmetatable(Industry) answers this, and setmetatable(Industry, …) is refused.
            LuaValues.pushString(L, "locked")
            lua_setfield(L, -2, "__metatable")
            for (offset, method) in methods.enumerated() {
                lua_pushvalue(L, first + Int32(offset))
                lua_setfield(L, -2, method)
            }
            lua_setmetatable(L, -2)
            lua_setglobal(L, name)
        }
        lua_settop(L, first - 1)
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
