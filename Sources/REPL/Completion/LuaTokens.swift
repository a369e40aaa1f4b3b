/// Just enough of Lua's lexer for completion: the tokens of the text before the cursor with their byte
/// offsets, comments and long strings skipped, and whether the text ends inside a quoted string.
struct LuaTokens {
    enum Kind: Equatable {
        case name(String)
        /// A complete quoted or long string.
        case string
        case number
        /// Punctuation and operators: `{`, `=`, `==`, `.`, `..`, `:`, …
        case symbol(String)
    }

    struct Token: Equatable {
        let kind: Kind
        /// Byte offsets in the text.
        let start: Int
        let end: Int
    }

    private(set) var tokens: [Token] = []
    /// Where an unterminated quoted string starts (its quote) and which quote it is, if the text ends in one.
    private(set) var openString: (start: Int, quote: UInt8)?

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }
        /// The end of a long bracket `[==[ … ]==]` opening at `start`, or nil when it is no long bracket.
        func longBracketEnd(from start: Int) -> Int?? {
            var level = 0
            var cursor = start + 1
            while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") { level += 1; cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "[") else { return .none }
            let closing = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: level) + [UInt8(ascii: "]")]
            var search = cursor + 1
            while search + closing.count <= bytes.count {
                if Array(bytes[search..<search + closing.count]) == closing { return .some(search + closing.count) }
                search += 1
            }
            return .some(nil)
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "["), case .some(let end) = longBracketEnd(from: index + 2) {
                    index = end ?? bytes.count
                } else {
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                var cursor = index + 1
                var closed = false
                while cursor < bytes.count {
                    if bytes[cursor] == UInt8(ascii: "\\") { cursor += 2; continue }
                    if bytes[cursor] == byte { closed = true; break }
                    if bytes[cursor] == UInt8(ascii: "\n") { break }
                    cursor += 1
                }
                if closed {
                    tokens.append(Token(kind: .string, start: index, end: cursor + 1))
                    index = cursor + 1
                } else {
                    openString = (index, byte)
                    return
                }
            case UInt8(ascii: "["):
                if case .some(let end) = longBracketEnd(from: index) {
                    // An unfinished long string: nothing after it can be completed.
                    guard let end else { openString = nil; tokens.append(Token(kind: .string, start: index, end: bytes.count)); return }
                    tokens.append(Token(kind: .string, start: index, end: end))
                    index = end
                } else {
                    tokens.append(Token(kind: .symbol("["), start: index, end: index + 1))
                    index += 1
                }
            case _ where isNameByte(byte) || byte >= 0x80:
                var cursor = index
                while cursor < bytes.count, isNameByte(bytes[cursor]) || bytes[cursor] >= 0x80 { cursor += 1 }
                let word = String(decoding: bytes[index..<cursor], as: UTF8.self)
                let isNumber = (0x30...0x39).contains(byte)
                tokens.append(Token(kind: isNumber ? .number : .name(word), start: index, end: cursor))
                index = cursor
            default:
                let pairs = ["==", "~=", "<=", ">=", "..", "::", "//", "<<", ">>"]
                let two = index + 1 < bytes.count ? String(decoding: bytes[index...index + 1], as: UTF8.self) : ""
                let symbol = pairs.contains(two) ? two : String(decoding: [byte], as: UTF8.self)
                tokens.append(Token(kind: .symbol(symbol), start: index, end: index + symbol.utf8.count))
                index += symbol.utf8.count
            }
        }
    }
}
