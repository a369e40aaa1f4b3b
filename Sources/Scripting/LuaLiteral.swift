import Core

/// Lua source for values, as Lua's lexer reads it back: what the REPL prints, a built value's `tostring`,
/// and the literals `engage types` writes.
public enum LuaLiteral {
    /// Lua table constructor text for a value: `{CompanyName = "Acme", Address = {CountryCode = "US"}}`.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .string(let text): return string(text)
        case .array(let elements): return "{" + elements.map(text(of:)).joined(separator: ", ") + "}"
        case .object(let members):
            return "{" + members.map { key, member in "\(isName(key) ? key : "[\(string(key))]") = \(text(of: member))" }
                .joined(separator: ", ") + "}"
        }
    }

    /// Whether `key` can be written bare in a table constructor (a Lua name).
    private static func isName(_ key: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" }
        guard let first = key.unicodeScalars.first, isLetter(first) else { return false }
        return key.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// A double-quoted Lua string holding `bytes` exactly: UTF-8 text as it is, control characters and bytes
    /// that start no UTF-8 sequence escaped.
    public static func string(_ bytes: [UInt8]) -> String {
        var text = "\""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\t"): text += "\\t"
            case UInt8(ascii: "\r"): text += "\\r"
            case 0..<0x20, 0x7F:
                // As string.format's %q: three digits when a digit follows, which would otherwise join the escape.
                let digitFollows = index + 1 < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1])
                let digits = String(byte)
                text += "\\" + (digitFollows ? String(repeating: "0", count: 3 - digits.count) + digits : digits)
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                // A whole UTF-8 sequence stays as the character; a byte that starts none is escaped.
                var iterator = bytes[index...].makeIterator()
                var parser = Unicode.UTF8.ForwardParser()
                if case .valid(let encoded) = parser.parseScalar(from: &iterator) {
                    text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                    index += encoded.count
                    continue
                }
                text += "\\x" + String(byte, radix: 16, uppercase: true)
            }
            index += 1
        }
        return text + "\""
    }

    /// A double-quoted Lua string holding `text` exactly.
    public static func string(_ text: String) -> String {
        string(Array(text.utf8))
    }
}
