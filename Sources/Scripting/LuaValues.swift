import CLua
import CShims
import Core
import Foundation

/// Converts between Lua values and the JSON values the model is read from. A Lua table is a list when its
/// keys are exactly 1…n and an object when they are all strings; an empty table is an empty object
/// until a shape says a list is expected (`fitted(to:)`).
enum LuaValues {
    /// Deeper nesting than this is a cycle or a mistake; the model is never nested more than ten deep.
    static let maximumDepth = 64

    /// Reads the value at `index` without raising Lua errors: only raw access is used.
    static func read(_ L: OpaquePointer, at index: Int32, depth: Int = 0) throws(LuaConversionError) -> JSONValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(string(L, at: index))
        case LUA_TTABLE: return try readTable(L, at: lua_absindex(L, index), depth: depth)
        case let type: throw LuaConversionError("a \(String(cString: lua_typename(L, type))) cannot be sent to the service")
        }
    }

    private static func readTable(_ L: OpaquePointer, at index: Int32, depth: Int) throws(LuaConversionError) -> JSONValue {
        guard depth < maximumDepth else { throw LuaConversionError("tables nested more than \(maximumDepth) deep (a table that contains itself?)") }
        // A C function may only use the stack slots it asked for: each level of nesting holds a key and a value.
        guard lua_checkstack(L, 3) != 0 else { throw LuaConversionError("out of Lua stack space reading a nested table") }
        var named: [(String, JSONValue)] = []
        var numbered: [(lua_Integer, JSONValue)] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let value: JSONValue
            do {
                value = try read(L, at: -1, depth: depth + 1)
            } catch {
                lua_settop(L, -3)
                throw error
            }
            switch lua_type(L, -2) {
            case LUA_TSTRING: named.append((string(L, at: -2), value))
            case LUA_TNUMBER where lua_isinteger(L, -2) != 0: numbered.append((lua_tointegerx(L, -2, nil), value))
            case let type:
                lua_settop(L, -3)
                throw LuaConversionError("a table key of type \(String(cString: lua_typename(L, type))) cannot be sent; use names or 1, 2, 3…")
            }
            engage_lua_pop(L, 1)
        }
        if !named.isEmpty && !numbered.isEmpty {
            throw LuaConversionError("a table mixes list items with named fields (\(named.map(\.0).sorted().prefix(3).joined(separator: ", ")))")
        }
        if !numbered.isEmpty {
            numbered.sort { $0.0 < $1.0 }
            guard numbered.enumerated().allSatisfy({ $0.offset + 1 == $0.element.0 }) else {
                throw LuaConversionError("a list has gaps: its keys must be 1, 2, 3… without holes")
            }
            return .array(numbered.map(\.1))
        }
        named.sort { $0.0 < $1.0 }
        return .object(JSONValue.Members(uniqueKeysWithValues: named))
    }

    /// The bytes of the string at `index` as text; invalid UTF-8 is replaced rather than trusted.
    static func string(_ L: OpaquePointer, at index: Int32) -> String {
        var length = 0
        guard let pointer = lua_tolstring(L, index, &length) else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) }
    }

    /// Pushes `value` as plain Lua values: objects and lists become tables, null becomes nil.
    static func push(_ L: OpaquePointer, _ value: JSONValue) {
        // Each level of nesting holds a table, a key and a value; a C function must reserve what it uses.
        // JSON documents nest at most 512 deep (the parser's limit), far inside Lua's million slots.
        let reserved = lua_checkstack(L, 3) != 0
        precondition(reserved, "Lua refused 3 stack slots for a JSON value")
        switch value {
        case .null: lua_pushnil(L)
        case .bool(let flag): lua_pushboolean(L, flag ? 1 : 0)
        case .integer(let number): lua_pushinteger(L, number)
        case .number(let number): lua_pushnumber(L, number)
        case .string(let text): pushString(L, text)
        case .array(let elements):
            lua_createtable(L, Int32(elements.count), 0)
            for (offset, element) in elements.enumerated() {
                push(L, element)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
        case .object(let members):
            lua_createtable(L, 0, Int32(members.count))
            for (key, member) in members where member != .null {
                pushString(L, key)
                push(L, member)
                lua_rawset(L, -3)
            }
        }
    }

    static func pushString(_ L: OpaquePointer, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }
}

/// A Lua value that has no JSON form, and why.
struct LuaConversionError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension JSONValue {
    /// The value with empty objects turned into empty lists wherever the shape expects a list (Lua cannot
    /// tell `{}` the list from `{}` the object; the model can), and members in model order.
    func fitted(to shapeName: String) -> JSONValue {
        guard let shape = ServiceModel.shape(named: shapeName) else { return self }
        switch (shape.kind, self) {
        case (.list, .object(let members)) where members.isEmpty:
            return .array([])
        case (.list(let list), .array(let elements)):
            return .array(elements.map { $0.fitted(to: list.member) })
        case (.structure(let structure), .object(let members)):
            // Members in model order, then any the model does not know (validation names those).
            var arranged = JSONValue.Members()
            for member in structure.members {
                if let value = members[member.name] { arranged[member.name] = value.fitted(to: member.shape) }
            }
            for (key, value) in members where arranged[key] == nil { arranged[key] = value }
            return .object(arranged)
        default:
            return self
        }
    }
}
