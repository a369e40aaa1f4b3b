import CLua
import CShims
import Core
import Foundation

/// `json.encode(value [, pretty])` and `json.decode(text)`.
extension Bridge {
    func registerJSON() {
        let L = state.L
        lua_createtable(L, 0, 2)
        setField("encode") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.jsonEncode(L) } }
        setField("decode") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.jsonDecode(L) } }
        lua_setglobal(L, "json")
    }

    /// `json.encode(value [, pretty])`: objects for tables with names, arrays for lists, sorted keys.
    private static func jsonEncode(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let value = try Arguments.json(L, 1, "json.encode")
        LuaValues.pushString(L, value.serialized(pretty: lua_toboolean(L, 2) != 0))
        return 1
    }

    private static func jsonDecode(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let text = try Arguments.string(L, 1, "json.decode")
        do {
            LuaValues.push(L, try JSONValue(parsing: text))
        } catch {
            throw .message("\(callerPosition(L))json.decode: \(error)")
        }
        return 1
    }
}
