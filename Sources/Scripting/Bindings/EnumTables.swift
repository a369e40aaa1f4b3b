import CLua
import CShims
import Core

/// Enum tables: `Industry`, `CountryCode`, `MarketSegment`, `EngagementContextType`, `StateOrRegion`.
/// Each holds its values as a list in model order (so `ipairs`, `pairs` and `#` work), is indexable by
/// value (`Industry["Financial Services"]`), and reading a value it lacks is an error with a suggestion.
extension Bridge {
    static let enumTables: [(name: String, values: [String])] = [
        ("Industry", Industry.allCases.map(\.rawValue)),
        ("CountryCode", CountryCode.allCases.map(\.rawValue)),
        ("MarketSegment", MarketSegment.allCases.map(\.rawValue)),
        ("EngagementContextType", EngagementContextType.allCases.map(\.rawValue)),
        ("StateOrRegion", StateOrRegion.allCases.map(\.rawValue)),
    ]

    func registerEnumTables() {
        let L = state.L
        for (name, values) in Self.enumTables {
            try! LuaValues.push(L, .array(values.map(JSONValue.string)))  // a new state has room for its globals
            lua_createtable(L, 0, 4)
            LuaValues.pushString(L, name)
            lua_setfield(L, -2, "__name")
            setField("__index") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.enumIndex(L) } }
            setField("__newindex") { L, c in
                Bridge.call(L, c) { _, L throws(LuaRaise) in throw .message("\(callerPosition(L))\(Bridge.enumName(L, 1)) is read-only") }
            }
            lua_setmetatable(L, -2)
            lua_setglobal(L, name)
        }
    }

    /// `__index(t, key)`: a valid value returns itself; anything else is an error naming the nearest value.
    private static func enumIndex(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let name = enumName(L, 1)
        let values = enumTables.first { $0.name == name }?.values ?? []
        guard lua_type(L, 2) == LUA_TSTRING else {
            if lua_type(L, 2) == LUA_TNUMBER { lua_pushnil(L); return 1 }
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
    private static func enumName(_ L: OpaquePointer, _ index: Int32) -> String {
        guard lua_getmetatable(L, index) != 0 else { return "enum" }
        defer { engage_lua_pop(L, 2) }
        LuaValues.pushString(L, "__name")
        lua_rawget(L, -2)
        return LuaValues.string(L, at: -1)
    }
}
