import CLua
import CShims
import Core

/// Enum tables: `Industry`, `CountryCode`, `MarketSegment`, `EngagementContextType`, `StateOrRegion`.
/// Each is a read-only proxy, a userdata whose metatable is locked: `ipairs`, `pairs` and `#` give the values
/// in model order, `Industry["Financial Services"]` gives the value, reading a value it lacks is an error
/// with a suggestion, and no assignment, `table.insert/remove/sort`, `rawset` or `setmetatable` can
/// change it (a userdata has no raw fields to set).
extension Bridge {
    static let enumTables = EngageGlobals.enumTables

    func registerEnumTables() {
        let L = state.L
        for (name, _) in Self.enumTables {
            _ = lua_newuserdatauv(L, 0, 0)
            lua_createtable(L, 0, 8)
            LuaValues.pushString(L, name)
            lua_setfield(L, -2, "__name")
            LuaValues.pushString(L, name)
            lua_setfield(L, -2, "engage_enum")
            // getmetatable(Industry) answers this, and setmetatable(Industry, …) is refused.
            LuaValues.pushString(L, "locked")
            lua_setfield(L, -2, "__metatable")
            setField("__index") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.enumIndex(L) } }
            setField("__newindex") { L, c in
                Bridge.call(L, c) { _, L throws(LuaRaise) in throw .message("\(callerPosition(L))\(Bridge.enumName(L, 1)) is read-only") }
            }
            setField("__len") { L, c in
                Bridge.call(L, c) { _, L throws(LuaRaise) in
                    lua_pushinteger(L, lua_Integer((Bridge.enumValues(L, 1) ?? []).count))
                    return 1
                }
            }
            setField("__pairs") { L, c in
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
            }
            setField("__tostring") { L, c in
                Bridge.call(L, c) { _, L throws(LuaRaise) in
                    let name = Bridge.enumName(L, 1)
                    LuaValues.pushString(L, "\(name) (\((Bridge.enumValues(L, 1) ?? []).count) values; ipairs(\(name)) lists them)")
                    return 1
                }
            }
            lua_setmetatable(L, -2)
            lua_setglobal(L, name)
        }
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
        let hint = Suggestion.nearest(to: key, among: values).map { " (did you mean '\($0)'?)" } ?? ""
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
