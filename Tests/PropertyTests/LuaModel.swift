import Foundation
import OrderedJSON

/// A Lua value to build in a real state, with everything a script can hand engage: tables that hold
/// themselves or share a table, keys of every type, canonically equivalent keys, NaN and infinities, bytes
/// that are not UTF-8, functions, coroutines, userdata, json.null, metatables.
indirect enum LuaModel: Sendable {
    case none
    case bool(Bool)
    case integer(Int64)
    case float(Double)
    case string([UInt8])
    case null
    case function
    case thread
    case userdata
    case table(LuaTable)
    /// A table built before (an enclosing one makes a cycle; any other is shared).
    case reference(Int)
}

/// A table: its assignments in order (a later one replaces an earlier one with an equal key; assigning
/// nothing removes) and a metatable.
struct LuaTable: Sendable {
    enum Key: Sendable {
        case string([UInt8])
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        case table
    }

    enum Metatable: Sendable {
        case none
        case tostring
        case index
        case pairs
    }

    let id: Int
    var assignments: [(key: Key, value: LuaModel)] = []
    var metatable = Metatable.none
}

/// Random Lua values, and their Lua source.
struct LuaModelBuilder {
    var dice: Dice
    private var nextID = 0
    private var open: [Int] = []
    private var finished: [Int] = []
    private(set) var tables: [Int: LuaTable] = [:]

    init(dice: Dice) {
        self.dice = dice
    }

    static let keyTexts: [[UInt8]] = ["a", "b", "Z", "\u{E9}", "e\u{301}", "\u{C5}", "A\u{30A}", "\u{212B}", "1", "", "a\0b", "\u{1F600}"].map { Array($0.utf8) }
        + [[0xFF], [0x61, 0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]

    mutating func string() -> [UInt8] {
        switch dice.int(0...5) {
        case 0: return dice.pick(Self.keyTexts)
        case 1: return (0..<dice.int(0...6)).map { _ in UInt8(truncatingIfNeeded: dice.next()) }
        default: return Array(JSONGen.string(&dice, maxLength: 8).utf8)
        }
    }

    mutating func value(depth: Int) -> LuaModel {
        switch dice.int(0...(depth > 0 ? 17 : 11)) {
        case 0: return .none
        case 1: return .bool(dice.chance(0.5))
        case 2: return .integer(JSONGen.integer(&dice))
        case 3: return .float(dice.chance(0.7) ? JSONGen.double(&dice) : dice.pick([.nan, .infinity, -.infinity, -0.0]))
        case 4, 5: return .string(string())
        case 6: return .null
        case 7: return dice.chance(0.8) ? .integer(Int64(dice.int(1...4))) : .function
        case 8: return dice.chance(0.8) ? .string(string()) : .thread
        case 9: return dice.chance(0.8) ? .bool(true) : .userdata
        case 10, 11:
            let candidates = open + finished
            guard !candidates.isEmpty, dice.chance(0.3) else { return .string(string()) }
            return .reference(dice.pick(candidates))
        default: return .table(table(depth: depth - 1))
        }
    }

    mutating func table(depth: Int) -> LuaTable {
        var table = LuaTable(id: nextID)
        nextID += 1
        open.append(table.id)
        let isList = dice.chance(0.5)
        for position in 0..<dice.int(0...5) {
            let key: LuaTable.Key
            if isList && dice.chance(0.9) {
                key = .integer(Int64(position + 1))
            } else {
                switch dice.int(0...9) {
                case 0: key = .integer(dice.pick([0, -1, 7, .min, .max]))
                case 1: key = .float(dice.pick([0.5, -1.5, 2.0, 1e300, 9.223372036854775807e18]))
                case 2: key = dice.chance(0.5) ? .bool(dice.chance(0.5)) : .table
                default: key = .string(string())
                }
            }
            table.assignments.append((key, value(depth: depth)))
        }
        table.metatable = dice.chance(0.85) ? .none : dice.pick([.tostring, .index, .pairs])
        open.removeLast()
        finished.append(table.id)
        tables[table.id] = table
        return table
    }

    /// A chunk that builds `model` and returns it. Tables live in `T[id]`, so any table can be named again;
    /// json.null is the global `null`.
    func source(returning model: LuaModel) -> String {
        var lines = ["local T = {}"]
        let result = Self.expression(model, &lines)
        lines.append("return \(result)")
        return lines.joined(separator: "\n")
    }

    private static func expression(_ model: LuaModel, _ lines: inout [String]) -> String {
        switch model {
        case .none: return "nil"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return number == .min ? "math.mininteger" : "(\(number))"
        case .float(let number): return float(number)
        case .string(let bytes): return literal(bytes)
        case .null: return "null"
        case .function: return "print"
        case .thread: return "coroutine.create(print)"
        case .userdata: return "io.stdout"
        case .reference(let id): return "T[\(id)]"
        case .table(let table):
            lines.append("T[\(table.id)] = {}")
            for (key, value) in table.assignments {
                let keyText: String
                switch key {
                case .string(let bytes): keyText = literal(bytes)
                case .integer(let number): keyText = number == .min ? "math.mininteger" : "(\(number))"
                case .float(let number): keyText = float(number)
                case .bool(let flag): keyText = flag ? "true" : "false"
                case .table: keyText = "{}"
                }
                let valueText = expression(value, &lines)
                lines.append("T[\(table.id)][\(keyText)] = \(valueText)")
            }
            switch table.metatable {
            case .none: break
            case .tostring: lines.append("setmetatable(T[\(table.id)], { __tostring = function() return 'x' end })")
            case .index: lines.append("setmetatable(T[\(table.id)], { __index = function() return 1 end })")
            case .pairs: lines.append("setmetatable(T[\(table.id)], { __pairs = function(t) return next, t, nil end })")
            }
            return "T[\(table.id)]"
        }
    }

    static func float(_ number: Double) -> String {
        if number.isNaN { return "(0/0)" }
        if number.isInfinite { return number < 0 ? "(-1/0)" : "(1/0)" }
        return "(\(number))"
    }

    /// A Lua string literal of exactly these bytes.
    static func literal(_ bytes: [UInt8]) -> String {
        "\"" + bytes.map { "\\" + String(repeating: "0", count: 3 - String($0).count) + String($0) }.joined() + "\""
    }
}

/// What reading a Lua value must give: its JSON, or one of the problems it holds, each with where it is.
struct LuaOracle {
    struct Problem: Hashable, CustomStringConvertible {
        /// The start of the error's `what`: `a function`, `a table that contains itself`…
        let what: String
        let path: String
        /// A bad key's own text is in the path after the table's: only the table's path is compared.
        let pathIsPrefix: Bool

        func matches(what actual: String, path actualPath: String) -> Bool {
            actual.hasPrefix(what) && (pathIsPrefix ? actualPath.hasPrefix(path) : actualPath == path)
        }

        var description: String { "\(what) at '\(path)'" }
    }

    let tables: [Int: LuaTable]
    var problems: [Problem] = []
    private var open: [Int] = []

    init(tables: [Int: LuaTable]) {
        self.tables = tables
    }

    /// The JSON the value reads as when it holds no problem; the problems are gathered either way.
    /// One step of a path, written as the reader writes paths (`a.b[0]`, a dot only after some text).
    enum Component {
        case key(String)
        case index(Int)
    }

    mutating func expected(_ model: LuaModel, path: [Component] = []) -> JSONValue {
        switch model {
        case .none, .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .integer(number)
        case .float(let number): return .number(number)
        case .string(let bytes):
            if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
            problems.append(Problem(what: "a string that is not valid UTF-8", path: Self.render(path), pathIsPrefix: false))
            return .null
        case .function: return problem("a function", path)
        case .thread: return problem("a thread", path)
        case .userdata: return problem("a userdata", path)
        case .table(let table): return expected(table, path: path)
        case .reference(let id): return expected(tables[id]!, path: path)
        }
    }

    private mutating func problem(_ what: String, _ path: [Component]) -> JSONValue {
        problems.append(Problem(what: what, path: Self.render(path), pathIsPrefix: false))
        return .null
    }

    private mutating func expected(_ table: LuaTable, path: [Component]) -> JSONValue {
        let here = Self.render(path)
        if open.contains(table.id) { return problem("a table that contains itself", path) }
        if table.metatable == .pairs { return problem("a table with a __pairs metamethod", path) }
        // The table as Lua holds it: equal keys replace, nil removes.
        var contents: [(key: LuaTable.Key, value: LuaModel)] = []
        for (key, value) in table.assignments {
            let key = Self.normalized(key)
            contents.removeAll { Self.sameKey($0.key, key) }
            if case .none = value { continue }
            contents.append((key, value))
        }
        if table.metatable == .index, contents.isEmpty { return problem("an empty table with an __index metamethod", path) }
        open.append(table.id)
        defer { open.removeLast() }
        var members: [(String, JSONValue)] = []
        var numbered: [(Int64, JSONValue)] = []
        for (key, value) in contents {
            switch key {
            case .string(let bytes):
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    problems.append(Problem(what: "a key that is not valid UTF-8", path: here, pathIsPrefix: true))
                    continue
                }
                members.append((name, expected(value, path: path + [.key(name)])))
            case .integer(let number):
                numbered.append((number, expected(value, path: path + [.index(Int(truncatingIfNeeded: number) &- 1)])))
            case .float: problems.append(Problem(what: "a table key of type number", path: here, pathIsPrefix: false))
            case .bool: problems.append(Problem(what: "a table key of type boolean", path: here, pathIsPrefix: false))
            case .table: problems.append(Problem(what: "a table key of type table", path: here, pathIsPrefix: false))
            }
        }
        for (index, member) in members.enumerated() where members[..<index].contains(where: { $0.0 == member.0 }) {
            problems.append(Problem(what: "two keys that are the same text in different Unicode forms", path: here, pathIsPrefix: false))
        }
        if !members.isEmpty && !numbered.isEmpty {
            return problem("a table that mixes list items with named fields", path)
        }
        if !numbered.isEmpty {
            numbered.sort { $0.0 < $1.0 }
            guard numbered.enumerated().allSatisfy({ $0.offset + 1 == $0.element.0 }) else { return problem("a list with gaps", path) }
            return .array(numbered.map(\.1))
        }
        members.sort { $0.0 < $1.0 }
        return .object(JSONValue.Members(members, uniquingKeysWith: { first, _ in first }))
    }

    /// A float key with an integer's value is that integer (Lua converts it when it indexes).
    private static func normalized(_ key: LuaTable.Key) -> LuaTable.Key {
        if case .float(let number) = key, let integer = Int64(exactly: number) { return .integer(integer) }
        return key
    }

    private static func sameKey(_ a: LuaTable.Key, _ b: LuaTable.Key) -> Bool {
        switch (a, b) {
        case let (.string(x), .string(y)): x == y
        case let (.integer(x), .integer(y)): x == y
        case let (.float(x), .float(y)): x == y
        case let (.bool(x), .bool(y)): x == y
        default: false  // every `{}` key is a new table
        }
    }

    private static func render(_ path: [Component]) -> String {
        path.reduce(into: "") { text, component in
            switch component {
            case .key(let name): text += (text.isEmpty ? "" : ".") + name
            case .index(let position): text += "[\(position)]"
            }
        }
    }
}
