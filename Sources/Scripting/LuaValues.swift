import CLua
import CLuaShims
import Core
import Foundation

/// Converts between Lua values and the JSON values the model is read from.
///
/// Lua strings are bytes; they become Swift strings only here, and only when they are UTF-8. A Lua table
/// is a list when its keys are exactly 1…n, an object when they are all strings, and an empty table is an
/// empty object unless it came from a JSON array (or a shape says a list is expected, `fitted(to:)`).
/// `json.null` (the light userdata NULL) stands for null where nil cannot: inside lists.
enum LuaValues {
    /// One nesting limit for both directions, the JSON parser's: what json.decode accepts, json.encode writes.
    static let maximumDepth = 512

    /// Long values and keys are cut to this many characters in error messages.
    static let excerptLength = 80

    /// Reads the value at `index` without raising Lua errors: only raw access is used, and tables are read
    /// as they hold their own fields. `field` names the value in error messages (`Identifier`).
    static func read(_ L: OpaquePointer, at index: Int32, field: String? = nil) throws(LuaConversionError) -> JSONValue {
        var reader = LuaReader(L: L, path: field.map { [.key($0)] } ?? [])
        return try reader.read(at: index)
    }

    /// The string at `index` as text, or why its bytes are not UTF-8.
    static func text(_ L: OpaquePointer, at index: Int32) -> Result<String, InvalidUTF8> {
        withBytes(L, at: index) { InvalidUTF8.decode($0) }
    }

    /// The string at `index` for messages: bytes that are not UTF-8 are replaced.
    static func string(_ L: OpaquePointer, at index: Int32) -> String {
        withBytes(L, at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the string at `index` (never converting a number in place).
    static func withBytes<Result>(_ L: OpaquePointer, at index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var length = 0
        guard lua_type(L, index) == LUA_TSTRING, let pointer = lua_tolstring(L, index, &length) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) { body(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// Pushes `value` as plain Lua values: objects and lists become tables, null becomes nil (json.null in
    /// lists, so positions are kept; object members that are null are left out). Lists are marked so an
    /// empty one is written back as `[]`. The tables are built by C under a protected call: running out of
    /// stack or memory is an error raised in Lua (`.onStack`), never an unwinding of Swift frames.
    static func push(_ L: OpaquePointer, _ value: JSONValue) throws(LuaRaise) {
        var tape = ValueTape()
        tape.append(value, inList: false)
        try tape.push(L)
    }

    /// Pushes rows of cells as a list of tables keyed by `columns`, each with `_line`; the cells are bytes
    /// and go in as they are (`read_csv`'s rows). Built under a protected call, as `push` builds.
    static func pushRows(_ L: OpaquePointer, columns: [String], rows: [(line: Int, cells: [[UInt8]])]) throws(LuaRaise) {
        var tape = ValueTape()
        tape.appendRows(columns: columns, rows: rows)
        try tape.push(L)
    }

    /// Pushes a short string (a name, a message). Long or user-supplied text goes through `push`.
    static func pushString(_ L: OpaquePointer, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    /// `text` cut for an error message: the first characters and the full size, `abc… (10000000 bytes)`.
    static func excerpt(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > excerptLength else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(excerptLength))) + "… (\(text.utf8.count) bytes)"
    }
}

/// Bytes that are not UTF-8: where the first bad one is (counting from 1) and what it is.
struct InvalidUTF8: Error, CustomStringConvertible {
    let position: Int
    let byte: UInt8

    var description: String { "byte \(position) is 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2))" }

    /// The bytes as text, or the first byte that breaks UTF-8 (overlong forms and surrogates included).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, InvalidUTF8> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error, .emptyInput: return .failure(InvalidUTF8(position: offset + 1, byte: offset < bytes.count ? bytes[offset] : 0))
            }
        }
    }

    /// The bytes for a message: UTF-8 as text, any other byte as `\xFF`.
    static func escaped(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var text = ""
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A Lua value that has no JSON form: what it is, where (`Payload.Lead.Interactions[0].Contact`, empty
/// at the top level) and what would be right.
struct LuaConversionError: Error {
    let what: String
    let path: String
    let detail: String?
    /// Text Swift cannot hold as Lua has it (bytes that are not UTF-8, keys that differ only in Unicode
    /// normalization): a request with it is refused as a `SerializationException`.
    let isText: Bool

    /// `cannot encode a function at items[2]`, with the detail after a colon.
    func message(_ verb: String) -> String {
        "\(verb) \(what)\(path.isEmpty ? "" : " at \(path)")\(detail.map { ": \($0)" } ?? "")"
    }
}

/// One step of a path into a value: a member name or a 0-based list position, as the service's field
/// names write them.
private enum PathComponent {
    case key(String)
    case index(Int)

    /// `Payload.Lead.Interactions[0]`; a path more than ten steps long keeps its first and last four.
    static func render(_ components: some Collection<PathComponent>) -> String {
        guard components.count <= 10 else {
            return render(components.prefix(4)) + "…(\(components.count - 8) more)…" + render(components.suffix(4))
        }
        var text = ""
        for component in components {
            switch component {
            case .key(let name): text += (text.isEmpty ? "" : ".") + LuaValues.excerpt(name)
            case .index(let position): text += "[\(position)]"
            }
        }
        return text
    }
}

/// Reads Lua values with raw access only, tracking the path for messages and the tables on it for cycles.
private struct LuaReader {
    let L: OpaquePointer
    var path: [PathComponent]
    /// The tables being read, each with the path length where it was entered: seeing one again is a cycle.
    var open: [UnsafeRawPointer: Int] = [:]

    init(L: OpaquePointer, path: [PathComponent]) {
        self.L = L
        self.path = path
    }

    func problem(_ what: String, detail: String? = nil, isText: Bool = false, at components: [PathComponent]? = nil) -> LuaConversionError {
        LuaConversionError(what: what, path: PathComponent.render(components ?? path), detail: detail, isText: isText)
    }

    mutating func read(at index: Int32) throws(LuaConversionError) -> JSONValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            switch LuaValues.text(L, at: index) {
            case .success(let text): return .string(text)
            case .failure(let invalid): throw problem("a string that is not valid UTF-8", detail: invalid.description, isText: true)
            }
        case LUA_TLIGHTUSERDATA where lua_touserdata(L, index) == nil: return .null
        case LUA_TTABLE: return try readTable(at: lua_absindex(L, index))
        case LUA_TUSERDATA where Bridge.enumValues(L, index) != nil: return .array(Bridge.enumValues(L, index)!.map(JSONValue.string))
        case let type: throw problem("a \(String(cString: lua_typename(L, type)))")
        }
    }

    private mutating func readTable(at index: Int32) throws(LuaConversionError) -> JSONValue {
        let depth = path.count
        guard depth < LuaValues.maximumDepth else { throw problem("tables nested deeper than \(LuaValues.maximumDepth) levels") }
        let identity = UnsafeRawPointer(lua_topointer(L, index))!
        if let entered = open[identity] {
            let which = entered == 0 ? "it is the top-level table" : "it is the table at \(PathComponent.render(path.prefix(entered)))"
            throw problem("a table that contains itself", detail: which)
        }
        // A C function may only use the stack slots it asked for: a table being read holds a key and a value,
        // and reading an enum value as its member there pushes its metatable and the enum's name.
        guard lua_checkstack(L, 4) != 0 else { throw problem("a value nested too deep for the free Lua stack", detail: "stack overflow") }
        try checkMetatable(at: index)
        open[identity] = depth
        defer { open[identity] = nil }
        var members = JSONValue.Members()
        var numbered: [(lua_Integer, JSONValue)] = []
        let base = lua_gettop(L)
        lua_pushnil(L)
        do throws(LuaConversionError) {
            while lua_next(L, index) != 0 {
                switch lua_type(L, -2) {
                case LUA_TSTRING:
                    let key: String
                    switch LuaValues.text(L, at: -2) {
                    case .success(let text): key = text
                    case .failure(let invalid):
                        let escaped = LuaValues.withBytes(L, at: -2) { InvalidUTF8.escaped($0) }
                        throw problem("a key that is not valid UTF-8", detail: invalid.description, isText: true, at: path + [.key(escaped)])
                    }
                    let value = try readMember(.key(key))
                    if let existing = members.index(forKey: key) {
                        throw equivalentKeys(members.keys[existing], key)
                    }
                    members[key] = value
                case LUA_TNUMBER where lua_isinteger(L, -2) != 0:
                    let number = lua_tointegerx(L, -2, nil)
                    numbered.append((number, try readMember(.index(Int(truncatingIfNeeded: number) &- 1))))
                case let type:
                    throw problem("a table key of type \(String(cString: lua_typename(L, type)))", detail: "keys must be names or 1, 2, 3…")
                }
                engage_lua_pop(L, 1)
            }
        } catch {
            lua_settop(L, base)
            throw error
        }
        if !members.isEmpty && !numbered.isEmpty {
            let names = members.keys.sorted().prefix(3).map(LuaValues.excerpt)
            throw problem("a table that mixes list items with named fields", detail: names.joined(separator: ", "))
        }
        if !numbered.isEmpty {
            numbered.sort { $0.0 < $1.0 }
            guard numbered.enumerated().allSatisfy({ $0.offset + 1 == $0.element.0 }) else {
                throw problem("a list with gaps", detail: "its keys must be 1, 2, 3… without holes (json.null stands for null)")
            }
            return .array(numbered.map(\.1))
        }
        if members.isEmpty && engage_is_list(L, index) != 0 { return .array([]) }
        members.sort { $0.key < $1.key }
        return .object(members)
    }

    /// Reads the value on top of the stack as the member `component` of the table being read.
    private mutating func readMember(_ component: PathComponent) throws(LuaConversionError) -> JSONValue {
        path.append(component)
        defer { path.removeLast() }
        return try read(at: -1)
    }

    /// Two keys Swift's String considers equal (canonically equivalent, as NFC and NFD spellings are)
    /// cannot both be members of one object; the shorter spelling is named first.
    private func equivalentKeys(_ first: String, _ second: String) -> LuaConversionError {
        let (short, long) = first.utf8.count <= second.utf8.count ? (first, second) : (second, first)
        func spelled(_ key: String) -> String {
            let scalars = key.unicodeScalars.prefix(16).map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
            return "\"\(LuaValues.excerpt(key))\" (\(scalars.joined(separator: " "))\(key.unicodeScalars.count > 16 ? " …" : ""))"
        }
        return problem("two keys that are the same text in different Unicode forms",
            detail: "\(spelled(short)) and \(spelled(long)); write the key once, in one form", isText: true)
    }

    /// engage reads a table's own fields. A table whose fields live elsewhere — one iterated through
    /// `__pairs`, or an empty one that answers through `__index` — is refused rather than sent as `{}`.
    private func checkMetatable(at index: Int32) throws(LuaConversionError) {
        guard lua_getmetatable(L, index) != 0 else { return }
        var hasPairs = false
        var hasIndex = false
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, case .success(let name) = LuaValues.text(L, at: -2) {
                hasPairs = hasPairs || name == "__pairs"
                hasIndex = hasIndex || name == "__index"
            }
            engage_lua_pop(L, 1)
        }
        engage_lua_pop(L, 1)
        if hasPairs {
            throw problem("a table with a __pairs metamethod", detail: "engage reads a table's own fields; copy them into a plain table")
        }
        if hasIndex {
            lua_pushnil(L)
            guard lua_next(L, index) != 0 else {
                throw problem("an empty table with an __index metamethod", detail: "its fields live elsewhere; copy them into a plain table")
            }
            engage_lua_pop(L, 2)
        }
    }
}

/// A JSON value flattened for `engage_push_value`: entries in prefix order and the strings' bytes.
private struct ValueTape {
    var ops: [engage_value_op] = []
    var bytes: [UInt8] = []

    mutating func append(_ value: JSONValue, inList: Bool) {
        switch value {
        case .null: ops.append(Self.op(inList ? ENGAGE_VALUE_NULL : ENGAGE_VALUE_NIL))
        case .bool(let flag): ops.append(Self.op(flag ? ENGAGE_VALUE_TRUE : ENGAGE_VALUE_FALSE))
        case .integer(let number): ops.append(engage_value_op(kind: ENGAGE_VALUE_INTEGER, integer: number, number: 0, offset: 0, count: 0))
        case .number(let number): ops.append(engage_value_op(kind: ENGAGE_VALUE_NUMBER, integer: 0, number: number, offset: 0, count: 0))
        case .string(let text): append(text)
        case .array(let elements):
            ops.append(Self.op(ENGAGE_VALUE_LIST, count: elements.count))
            for element in elements { append(element, inList: true) }
        case .object(let members):
            ops.append(Self.op(ENGAGE_VALUE_OBJECT, count: members.values.count { $0 != .null }))
            for (key, member) in members where member != .null {
                append(key)
                append(member, inList: false)
            }
        }
    }

    private mutating func append(_ text: String) {
        append(bytes: text.utf8)
    }

    private mutating func append(bytes string: some Collection<UInt8>) {
        let offset = bytes.count
        bytes.append(contentsOf: string)
        ops.append(engage_value_op(kind: ENGAGE_VALUE_STRING, integer: 0, number: 0, offset: offset, count: bytes.count - offset))
    }

    /// A list of tables keyed by `columns`, the cells as bytes, each with `_line`.
    mutating func appendRows(columns: [String], rows: [(line: Int, cells: [[UInt8]])]) {
        ops.append(Self.op(ENGAGE_VALUE_LIST, count: rows.count))
        for row in rows {
            ops.append(Self.op(ENGAGE_VALUE_OBJECT, count: columns.count + 1))
            for (name, cell) in zip(columns, row.cells) {
                append(name)
                append(bytes: cell)
            }
            append("_line")
            ops.append(engage_value_op(kind: ENGAGE_VALUE_INTEGER, integer: Int64(row.line), number: 0, offset: 0, count: 0))
        }
    }

    /// Builds the values in C under a protected call, which pushes them as one value. [-0, +1, m]
    func push(_ L: OpaquePointer) throws(LuaRaise) {
        let status = ops.withUnsafeBufferPointer { ops in
            bytes.withUnsafeBytes { bytes in
                engage_push_value(L, ops.baseAddress, ops.count, bytes.baseAddress?.assumingMemoryBound(to: CChar.self))
            }
        }
        switch status {
        case LUA_OK: return
        case ENGAGE_NO_STACK: throw .message("stack overflow (no room on the Lua stack to return a value)")
        default: throw .onStack
        }
    }

    private static func op(_ kind: engage_value_kind, count: Int = 0) -> engage_value_op {
        engage_value_op(kind: kind, integer: 0, number: 0, offset: 0, count: count)
    }
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
