import CLua
import CLuaShims
import Core
import Foundation

/// Service errors as Lua values: a table with `code`, `message`, `fields` (a list of
/// `{FieldName=, Code=, Message=}`), `retryable` and `where`, whose `tostring` reads like a compiler message.
enum ErrorValues {
    static let metatableName = "engage.error"

    static func push(_ L: OpaquePointer, _ error: ServiceError, where position: String, builder: String? = nil) throws(LuaRaise) {
        lua_createtable(L, 0, 6)
        if let builder { try set(L, "builder", .string(builder)) }
        try set(L, "code", .string(error.code))
        try set(L, "message", .string(error.message))
        try set(L, "retryable", .bool(error.isRetryable))
        try set(L, "where", .string(position))
        try set(L, "fields", .array(error.errorList.map { issue in
            ["FieldName": .string(issue.fieldName ?? ""), "Code": .string(issue.code.rawValue), "Message": .string(issue.message)]
        }))
        if let reason = error.reason { try set(L, "reason", .string(reason.rawValue)) }
        pushMetatable(L)
        lua_setmetatable(L, -2)
    }

    private static func set(_ L: OpaquePointer, _ key: String, _ value: JSONValue) throws(LuaRaise) {
        LuaValues.pushString(L, key)
        try LuaValues.push(L, value)
        lua_rawset(L, -3)
    }

    /// The shared metatable, made on first use: `__name` for type(), `__tostring` for printing.
    private static func pushMetatable(_ L: OpaquePointer) {
        if luaL_newmetatable(L, metatableName) != 0 {
            engage_push_swift_function(L, { L, _ in
                guard let L else { return 0 }
                LuaValues.pushString(L, ErrorValues.text(L, at: 1))
                return 1
            }, nil)
            lua_setfield(L, -2, "__tostring")
        }
    }

    /// Whether the value at `index` is an engage error value (its metatable is ours).
    static func isErrorValue(_ L: OpaquePointer, at index: Int32) -> Bool {
        guard lua_getmetatable(L, index) != 0 else { return false }
        lua_getfield(L, engage_registry_index(), metatableName)
        defer { engage_lua_pop(L, 2) }
        return lua_rawequal(L, -1, -2) != 0
    }

    /// The `file:line: ` that starts a Lua error message, or "" when it has none.
    static func positionPrefix(of message: String) -> String {
        guard let match = message.firstMatch(of: #/^[^\n]*?:\d+: /#) else { return "" }
        return String(match.output)
    }

    /// `script.lua:12: ValidationException: 2 problems in the request` and a line per field; inside a recipe's
    /// `item`, the item's label follows the position (`lead-intake.lua:48: leads.csv line 18 (Acme): …`).
    /// Each member is read on its own, so one a script set to bytes that are not UTF-8 (an `item` label
    /// made from a CSV cell) shows them as `\xE9` instead of spoiling the whole message. [-0, +0, -]
    static func text(_ L: OpaquePointer, at index: Int32) -> String {
        guard lua_type(L, index) == LUA_TTABLE else { return "error" }
        let table = lua_absindex(L, index)
        func member<Value>(_ key: String, _ read: () -> Value?) -> Value? {
            LuaValues.pushString(L, key)
            lua_rawget(L, table)
            defer { engage_lua_pop(L, 1) }
            return read()
        }
        func string(_ key: String) -> String? {
            member(key) { lua_type(L, -1) == LUA_TSTRING ? LuaValues.withBytes(L, at: -1) { InvalidUTF8.escaped($0) } : nil }
        }
        let position = (string("where") ?? "") + (string("item").map { $0 + ": " } ?? "")
        let code = string("code") ?? "Error"
        let message = string("message") ?? ""
        let fields = member("fields") { (try? LuaValues.read(L, at: -1))?.arrayValue } ?? []
        guard !fields.isEmpty, code == "ValidationException" else { return "\(position)\(code): \(message)" }
        if let builder = string("builder") {
            return position + fields.map { builderLine($0, builder: builder) }.joined(separator: "\n  ")
        }
        let heading = "\(code): \(fields.count == 1 ? "1 problem" : "\(fields.count) problems") in the request"
        let lines = fields.map { field in
            let name = field["FieldName"]?.stringValue ?? ""
            let text = field["Message"]?.stringValue ?? ""
            return name.isEmpty ? "  \(text)" : "  \(name): \(text)"
        }
        return ([position + heading] + lines).joined(separator: "\n")
    }

    /// `LeadCustomer: unknown field 'Industy' (did you mean 'Industry'?)` or
    /// `LeadCustomer.Address.CountryCode: 'USA' is not a valid CountryCode …`: the builder, then the field.
    private static func builderLine(_ field: JSONValue, builder: String) -> String {
        let name = field["FieldName"]?.stringValue ?? ""
        let text = field["Message"]?.stringValue ?? ""
        if text.hasPrefix("unknown field") {
            let parent = name.split(separator: ".").dropLast().joined(separator: ".")
            let owner = text.range(of: " in ").map { text[$0.upperBound...].split(separator: " ").first.map(String.init) ?? "" } ?? ""
            let shortened = owner.isEmpty ? text : text.replacingOccurrences(of: " in \(owner)", with: "")
            return parent.isEmpty ? "\(builder): \(shortened)" : "\(builder).\(parent): \(shortened)"
        }
        return name.isEmpty ? "\(builder): \(text)" : "\(builder).\(name): \(text)"
    }
}
