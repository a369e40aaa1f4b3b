import CLua
import CLuaShims
import Foundation

/// A Lua value copied out of the state for display, read without running any Lua code (raw reads, no
/// metamethods): what the REPL pretty-prints. Tables keep their entries in the order Lua gives them, list
/// part first; a table met again inside itself is a `cycle`.
public indirect enum LuaSnapshot: Equatable, Sendable {
    case nothing
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    /// The string's bytes (they need not be UTF-8).
    case string([UInt8])
    /// A table: `label` is the builder that made it (`LeadCustomer`), `omitted` the entries past the copy's
    /// limit.
    case table(label: String?, entries: [Entry], omitted: Int)
    case cycle
    /// An engage error value, as `tostring` shows it.
    case error(String)
    /// Anything else, as a short description: `function: 0x…`, an enum table, json.null.
    case other(String)

    /// One key and its value.
    public struct Entry: Equatable, Sendable {
        public let key: LuaSnapshot
        public let value: LuaSnapshot

        public init(key: LuaSnapshot, value: LuaSnapshot) {
            self.key = key
            self.value = value
        }
    }

    /// Entries copied per table; the rest are counted in `omitted`.
    static let entryLimit = 2000
    static let depthLimit = 40

    /// Copies the value at `index`.
    static func read(_ L: OpaquePointer, at index: Int32) -> LuaSnapshot {
        var open: Set<UnsafeRawPointer> = []
        return read(L, at: lua_absindex(L, index), open: &open, depth: 0)
    }

    private static func read(_ L: OpaquePointer, at index: Int32, open: inout Set<UnsafeRawPointer>, depth: Int) -> LuaSnapshot {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nothing
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            return lua_isinteger(L, index) != 0 ? .integer(lua_tointegerx(L, index, nil)) : .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return LuaValues.withBytes(L, at: index) { .string(Array($0)) }
        case LUA_TLIGHTUSERDATA where lua_touserdata(L, index) == nil: return .other("json.null")
        case LUA_TUSERDATA:
            if let values = Bridge.enumValues(L, index) {
                return .other("\(Bridge.enumName(L, index)) (\(values.count) values)")
            }
            return .other("userdata")
        case LUA_TTABLE:
            guard lua_checkstack(L, 4) != 0 else { return .other("table") }
            if isErrorValue(L, index) { return .error(ErrorValues.text(L, at: index)) }
            let identity = UnsafeRawPointer(lua_topointer(L, index))!
            guard !open.contains(identity) else { return .cycle }
            guard depth < depthLimit else { return .other("table (nested too deep to show)") }
            open.insert(identity)
            defer { open.remove(identity) }
            var entries: [Entry] = []
            var omitted = 0
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                if entries.count < entryLimit {
                    let key = read(L, at: lua_gettop(L) - 1, open: &open, depth: depth + 1)
                    let value = read(L, at: lua_gettop(L), open: &open, depth: depth + 1)
                    entries.append(Entry(key: key, value: value))
                } else {
                    omitted += 1
                }
                engage_lua_pop(L, 1)
            }
            // lua_next gives the list part in order first for tables built as lists; keep integer keys
            // 1...n in order wherever Lua put them.
            entries.sort { first, second in
                switch (first.key, second.key) {
                case (.integer(let a), .integer(let b)): return a < b
                case (.integer, _): return true
                default: return false
                }
            }
            return .table(label: builderLabel(L, index), entries: entries, omitted: omitted)
        case let type:
            return .other("\(String(cString: lua_typename(L, type))): \(lua_topointer(L, index).map { String(describing: $0) } ?? "?")")
        }
    }

    /// The builder that made the table at `index` (its metatable's `engage_shape`), or nil.
    private static func builderLabel(_ L: OpaquePointer, _ index: Int32) -> String? {
        guard lua_getmetatable(L, index) != 0 else { return nil }
        defer { lua_settop(L, lua_gettop(L) - 2) }
        LuaValues.pushString(L, "engage_shape")
        return lua_rawget(L, -2) == LUA_TSTRING ? LuaValues.string(L, at: -1) : nil
    }

    private static func isErrorValue(_ L: OpaquePointer, _ index: Int32) -> Bool {
        guard lua_getmetatable(L, index) != 0 else { return false }
        defer { lua_settop(L, lua_gettop(L) - 2) }
        lua_getfield(L, engage_registry_index(), ErrorValues.metatableName)
        return lua_rawequal(L, -1, -2) != 0
    }
}
