import CLua
import CLuaShims
import Core
import Foundation

/// `json.encode(value [, pretty])`, `json.decode(text)` and `json.null`.
extension Bridge {
    func registerJSON() {
        let L = state.L
        lua_createtable(L, 0, 2)
        setField("encode") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.jsonEncode(L) } }
        setField("decode") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.jsonDecode(L) } }
        // json.null: the light userdata NULL, which prints as `json.null` (see engage_open_state).
        lua_pushlightuserdata(L, nil)
        lua_setfield(L, -2, "null")
        lua_setglobal(L, "json")
    }

    /// `json.encode(value [, pretty])`: objects for tables with names, arrays for lists, sorted keys,
    /// json.null as null; what has no JSON form is an error naming where it is.
    private static func jsonEncode(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        guard lua_type(L, 1) != LUA_TNONE else { throw Arguments.error(L, 1, "json.encode", "value expected") }
        let value: JSONValue
        do {
            value = try LuaValues.read(L, at: 1)
        } catch {
            throw .message("\(callerPosition(L))json.encode: \(error.message("cannot encode"))")
        }
        try LuaValues.push(L, .string(value.serialized(pretty: lua_toboolean(L, 2) != 0)))
        return 1
    }

    /// `json.decode(text)`: text that is not UTF-8 is refused before parsing.
    private static func jsonDecode(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        guard lua_type(L, 1) == LUA_TSTRING else {
            throw Arguments.error(L, 1, "json.decode", "string expected, got \(Arguments.typeName(L, 1))")
        }
        let parsed = LuaValues.withBytes(L, at: 1) { bytes -> Result<JSONValue, LuaRaise> in
            if case .failure(let invalid) = InvalidUTF8.decode(bytes) {
                return .failure(.message("\(callerPosition(L))json.decode: the text is not valid UTF-8 (\(invalid))"))
            }
            do {
                return .success(try JSONValue(parsing: bytes))
            } catch {
                return .failure(.message("\(callerPosition(L))json.decode: \(error)"))
            }
        }
        try LuaValues.push(L, try parsed.get())
        return 1
    }
}
