import OrderedJSON

/// Random JSON values that reach the corners a parser and a writer get wrong: every kind of Unicode scalar
/// (controls, quotes, backslashes, NUL, line separators, combining marks, astral planes, U+FFFF, U+10FFFF),
/// integers and doubles at their edges, empty and nested containers.
enum JSONGen {
    /// Never generated: tests mark a place in a document with it.
    static let marker: Unicode.Scalar = "\u{E000}"

    static func scalar(_ dice: inout Dice) -> Unicode.Scalar {
        let value: UInt32
        switch dice.int(0...9) {
        case 0...2: value = UInt32(dice.int(0x20...0x7E))
        case 3: value = UInt32(dice.int(0x00...0x1F))
        case 4: value = dice.pick([0x22, 0x5C, 0x2F, 0x00, 0x7F, 0x85, 0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10FFFF])
        case 5: value = UInt32(dice.int(0x80...0x7FF))
        case 6: value = UInt32(dice.int(0x0300...0x036F))  // combining marks: one character, several scalars
        case 7: value = UInt32(dice.int(0x1F300...0x1FAFF))  // emoji: two UTF-16 units each
        case 8: value = UInt32(dice.chance(0.5) ? dice.int(0x800...0xD7FF) : dice.int(0xE001...0xFFFF))
        default: value = UInt32(dice.int(0x10000...0x10FFFF))
        }
        return Unicode.Scalar(value) ?? "?"
    }

    static func string(_ dice: inout Dice, maxLength: Int = 12) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<dice.int(0...maxLength) { scalars.append(scalar(&dice)) }
        return String(scalars)
    }

    static let edgeIntegers: [Int64] = [Int64.min, Int64.max, 0, -1, 1, Int64.min + 1, Int64.max - 1, 1 << 53, -(1 << 53), (1 << 53) + 1]

    static func integer(_ dice: inout Dice) -> Int64 {
        switch dice.int(0...4) {
        case 0: dice.pick(edgeIntegers)
        case 1: Int64(dice.int(-1000...1000))
        default: Int64(bitPattern: dice.next())
        }
    }

    static let edgeDoubles: [Double] = [
        0.0, -0.0, 1.0, -1.0, 0.1, 1e15, 1e15 - 1, -1e15, 1e16, 9007199254740993.0, 1e300, -1e-300,
        Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, Double.leastNormalMagnitude,
        -Double.leastNonzeroMagnitude, 123456789012345678.0, 0.30000000000000004, 1e-7, 1e21,
    ]

    /// A finite double; the writer has no text for NaN and infinity (they are written as null).
    static func double(_ dice: inout Dice) -> Double {
        switch dice.int(0...5) {
        case 0:
            return dice.pick(edgeDoubles)
        case 1: return Double(dice.int(-100_000...100_000))
        case 2: return Double(dice.int(-1_000_000...1_000_000)) / 1000
        default:
            while true {
                let number = Double(bitPattern: dice.next())
                if number.isFinite { return number }
            }
        }
    }

    static func value(_ dice: inout Dice, depth: Int = 4) -> JSONValue {
        let containers = depth > 0 ? 2 : 0
        switch dice.int(0...(6 + containers * 2)) {
        case 0: return .null
        case 1: return .bool(dice.chance(0.5))
        case 2: return .integer(integer(&dice))
        case 3: return .number(double(&dice))
        case 4, 5, 6: return .string(string(&dice))
        case 7, 8: return .array((0..<dice.int(0...5)).map { _ in value(&dice, depth: depth - 1) })
        default:
            var members = JSONValue.Members()
            for _ in 0..<dice.int(0...5) { members[string(&dice, maxLength: 6)] = value(&dice, depth: depth - 1) }
            return .object(members)
        }
    }

    /// An object or array at the top, as requests are.
    static func document(_ dice: inout Dice) -> JSONValue {
        var value = value(&dice)
        while value.arrayValue == nil && value.objectValue == nil { value = self.value(&dice) }
        return value
    }
}

/// Sameness stricter than `==`: strings and keys compare scalar by scalar (Swift's `==` calls `é` and
/// `e` + U+0301 equal), members compare in order, and doubles by their bits (so -0.0 is not 0.0).
func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): true
    case let (.bool(x), .bool(y)): x == y
    case let (.integer(x), .integer(y)): x == y
    case let (.number(x), .number(y)): x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
    case let (.string(x), .string(y)): x.utf8.elementsEqual(y.utf8)
    case let (.array(x), .array(y)): x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
    case let (.object(x), .object(y)):
        x.count == y.count && zip(x, y).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && identical($0.value, $1.value) }
    default: false
    }
}
