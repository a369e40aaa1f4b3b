/// A lexical reading of the text before the cursor: just enough Lua to know where the cursor stands —
/// in a string (and what it is assigned to), in a table constructor (and which model shape it builds),
/// after `name.` or in a plain word. It never evaluates anything and accepts any text, balanced or not.
struct LuaPrefixScan {
    /// One complete token before the cursor, with its UTF-8 byte range.
    struct Token {
        enum Kind { case name, string, number, symbol }
        let kind: Kind
        let text: String
        let range: Range<Int>

        func isSymbol(_ symbols: String...) -> Bool { kind == .symbol && symbols.contains(text) }
    }

    /// What an open bracket belongs to, as far as the scan could tell.
    enum Role: Equatable {
        /// `{` of a structure of the model: a builder's or an operation's argument, or a structure-typed field.
        case structure(String)
        /// `{` of a list-typed field: its positional elements are of this shape.
        case list(element: String)
        /// `(` of a call to this dotted name; `argument` counts the commas seen so far.
        case call(String, argument: Int)
        /// `[` right after this dotted name (`Industry[`).
        case index(String)
        case other
    }

    /// An open `{`, `(` or `[`, with the fields already written in it (for `{`).
    struct Frame {
        let bracket: String
        var role: Role
        var written: Set<String> = []
    }

    /// Where the text before the cursor ends.
    enum Ending: Equatable {
        /// In code; the word being typed (possibly empty) starts at this byte offset.
        case word(start: Int)
        /// In an unterminated quoted string opened by `quote` at byte offset `start`.
        case string(quote: UInt8, start: Int)
        /// In a comment or a long bracket string: nothing to complete.
        case inert
    }

    private(set) var tokens: [Token] = []
    private(set) var frames: [Frame] = []
    private(set) var ending: Ending
    let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
        ending = .word(start: bytes.count)
        lex()
        if case .word = ending, let last = tokens.last, last.kind == .name, last.range.upperBound == bytes.count {
            tokens.removeLast()
            ending = .word(start: last.range.lowerBound)
        }
        trackBrackets()
    }

    /// The text between two byte offsets.
    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The dotted name (`a`, `json.null`) whose last name is `tokens[end]`, or nil when there is none there
    /// or it hangs off something that is not a name (`f().x`, `t[1].x`).
    func dottedName(endingAt end: Int) -> String? {
        guard end >= 0, tokens[end].kind == .name, !LuaNames.keywords.contains(tokens[end].text) else { return nil }
        var names = [tokens[end].text]
        var index = end - 1
        while index >= 1, tokens[index].isSymbol("."), tokens[index - 1].kind == .name {
            names.insert(tokens[index - 1].text, at: 0)
            index -= 2
        }
        if index >= 0, tokens[index].isSymbol(".", ":") { return nil }
        return names.joined(separator: ".")
    }

    // MARK: Lexing

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

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
    }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    // MARK: Brackets

    private mutating func trackBrackets() {
        for index in tokens.indices {
            let token = tokens[index]
            guard token.kind == .symbol else { continue }
            switch token.text {
            case "{":
                frames.append(Frame(bracket: "{", role: braceRole(at: index)))
            case "(":
                let role: Role = dottedName(endingAt: index - 1).map { .call($0, argument: 0) } ?? .other
                frames.append(Frame(bracket: "(", role: role))
            case "[":
                let role: Role = dottedName(endingAt: index - 1).map { .index($0) } ?? .other
                frames.append(Frame(bracket: "[", role: role))
            case "}", ")", "]":
                if !frames.isEmpty { frames.removeLast() }
            case ",":
                if let top = frames.last, case .call(let callee, let argument) = top.role {
                    frames[frames.count - 1].role = .call(callee, argument: argument + 1)
                }
            case "=":
                if frames.last?.bracket == "{", index >= 2, tokens[index - 1].kind == .name,
                    tokens[index - 2].isSymbol("{", ",", ";")
                {
                    frames[frames.count - 1].written.insert(tokens[index - 1].text)
                }
            default:
                break
            }
        }
    }

    /// What the `{` at `tokens[index]` builds: from the callee before it, the call it is an argument of,
    /// the field it is assigned to, or the list it is an element of.
    private func braceRole(at index: Int) -> Role {
        if let callee = dottedName(endingAt: index - 1) {
            return CompletionVocabulary.argumentShape(callee: callee, argument: 0).map(ModelShapes.role) ?? .other
        }
        guard index >= 1, let enclosing = frames.last else { return .other }
        let previous = tokens[index - 1]
        switch enclosing.role {
        case .call(let callee, let argument) where previous.isSymbol("(", ","):
            return CompletionVocabulary.argumentShape(callee: callee, argument: argument).map(ModelShapes.role) ?? .other
        case .structure(let shape) where previous.isSymbol("=") && index >= 2 && tokens[index - 2].kind == .name:
            return ModelShapes.member(tokens[index - 2].text, of: shape).map { ModelShapes.role($0.shape) } ?? .other
        case .list(let element) where previous.isSymbol("{", ",", ";"):
            return ModelShapes.role(element)
        default:
            return .other
        }
    }
}
