/// A lexical reading of the text before the cursor: just enough Lua to know where the cursor stands —
/// in a string (and what it is assigned to), in a table constructor (and which model shape it builds),
/// after `name.` or in a plain word. It never evaluates anything and accepts any text, balanced or not.
struct LuaPrefixScan {
    typealias Token = LuaTokens.Token

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
        let lexed = LuaTokens(Array(text.utf8))
        bytes = lexed.bytes
        tokens = lexed.tokens
        switch lexed.ending {
        case .code: ending = .word(start: bytes.count)
        case .string(let quote, let start): ending = .string(quote: quote, start: start)
        case .inert: ending = .inert
        }
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
