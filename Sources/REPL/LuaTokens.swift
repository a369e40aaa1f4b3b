/// Lua's tokens in a piece of source, read as Lua's own lexer reads them: names, numbers, quoted and long
/// strings, operators; comments and white space skipped. It accepts any bytes, balanced or not, and says
/// whether the text ends inside a string or a comment. Completion and the REPL's `local` rewriting read it.
struct LuaTokens {
    /// One complete token, with its UTF-8 byte range.
    struct Token {
        enum Kind { case name, string, number, symbol }
        let kind: Kind
        let text: String
        let range: Range<Int>

        func isSymbol(_ symbols: String...) -> Bool { kind == .symbol && symbols.contains(text) }
        /// A name that is not one of Lua's reserved words.
        var isName: Bool { kind == .name && !LuaNames.keywords.contains(text) }
        func isKeyword(_ words: String...) -> Bool { kind == .name && words.contains(text) }
    }

    /// Where the text ends.
    enum Ending: Equatable {
        /// In code.
        case code
        /// In an unterminated quoted string opened by `quote` at byte offset `start`.
        case string(quote: UInt8, start: Int)
        /// In a comment or a long bracket string.
        case inert
    }

    let bytes: [UInt8]
    private(set) var tokens: [Token] = []
    private(set) var ending: Ending = .code

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        lex()
    }

    /// The text between two byte offsets.
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private mutating func lex() {
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C {
                i += 1
            } else if c == UInt8(ascii: "-"), i + 1 < n, bytes[i + 1] == UInt8(ascii: "-") {
                if let level = longBracketLevel(at: i + 2) {
                    guard let after = longBracketEnd(from: i + 2, level: level) else { ending = .inert; return }
                    i = after
                } else {
                    guard let newline = bytes[i...].firstIndex(of: 0x0A) else { ending = .inert; return }
                    i = newline + 1
                }
            } else if c == UInt8(ascii: "["), let level = longBracketLevel(at: i) {
                guard let after = longBracketEnd(from: i, level: level) else { ending = .inert; return }
                tokens.append(Token(kind: .string, text: text(i..<after), range: i..<after))
                i = after
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                guard let after = quotedStringEnd(from: i) else { ending = .string(quote: c, start: i); return }
                tokens.append(Token(kind: .string, text: text(i..<after), range: i..<after))
                i = after
            } else if Self.isNameStart(c) {
                var j = i + 1
                while j < n, Self.isNameStart(bytes[j]) || Self.isDigit(bytes[j]) { j += 1 }
                tokens.append(Token(kind: .name, text: text(i..<j), range: i..<j))
                i = j
            } else if Self.isDigit(c) || (c == UInt8(ascii: ".") && i + 1 < n && Self.isDigit(bytes[i + 1])) {
                var j = i + 1
                while j < n {
                    let d = bytes[j]
                    let isExponentSign = (d == UInt8(ascii: "+") || d == UInt8(ascii: "-"))
                        && [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(bytes[j - 1])
                    guard Self.isDigit(d) || Self.isNameStart(d) || d == UInt8(ascii: ".") || isExponentSign else { break }
                    j += 1
                }
                tokens.append(Token(kind: .number, text: text(i..<j), range: i..<j))
                i = j
            } else {
                let length = Self.symbolLength(bytes[i..<min(n, i + 3)])
                tokens.append(Token(kind: .symbol, text: text(i..<i + length), range: i..<i + length))
                i += length
            }
        }
    }

    /// The level of a long bracket (`[[` is 0, `[==[` is 2) opening at `i`, or nil if none opens there.
    private func longBracketLevel(at i: Int) -> Int? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return nil }
        var j = i + 1
        while j < bytes.count, bytes[j] == UInt8(ascii: "=") { j += 1 }
        guard j < bytes.count, bytes[j] == UInt8(ascii: "[") else { return nil }
        return j - i - 1
    }

    /// The offset just past the long bracket of this level opened at `i`, or nil when it is not closed.
    private func longBracketEnd(from i: Int, level: Int) -> Int? {
        let closing = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: level) + [UInt8(ascii: "]")]
        var j = i + level + 2
        while j + closing.count <= bytes.count {
            if bytes[j..<j + closing.count].elementsEqual(closing) { return j + closing.count }
            j += 1
        }
        return nil
    }

    /// The offset just past the quoted string opened at `i`, or nil when the text ends inside it.
    /// An unescaped newline ends it too: Lua refuses that string, and the next line is code again.
    private func quotedStringEnd(from i: Int) -> Int? {
        let quote = bytes[i]
        var j = i + 1
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\\"): j += 2
            case quote: return j + 1
            case 0x0A: return j
            default: j += 1
            }
        }
        return nil
    }

    private static func symbolLength(_ next: ArraySlice<UInt8>) -> Int {
        let text = String(decoding: next, as: UTF8.self)
        if text.hasPrefix("...") { return 3 }
        for pair in ["..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>"] where text.hasPrefix(pair) { return 2 }
        return 1
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}
