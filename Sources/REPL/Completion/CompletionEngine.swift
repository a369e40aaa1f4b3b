import Core
import Scripting

/// What completion knows about the session besides the model: read by the REPL from the live Lua state
/// without running code.
public struct CompletionContext: Sendable {
    /// The names of the global variables.
    public var globals: [String]
    /// The string keys of live tables by dotted path: `"e"`, `"string"`, `"e.Contexts"`.
    public var fields: [String: [String]]
    /// Engagement ids the session has seen, oldest first.
    public var engagementIds: [String]

    public init(globals: [String] = [], fields: [String: [String]] = [:], engagementIds: [String] = []) {
        (self.globals, self.fields, self.engagementIds) = (globals, fields, engagementIds)
    }
}

/// The candidates for the text before the cursor.
public struct Completion: Equatable, Sendable {
    /// UTF-8 byte offsets, in the text before the cursor, of what a candidate replaces.
    public var replace: Range<Int>
    /// Full replacement texts, in the order shown; a single one completes in place.
    public var candidates: [String]
    /// What the list on the second TAB shows for each candidate (a value without its quotes).
    public var display: [String]

    public init(replace: Range<Int>, candidates: [String], display: [String]) {
        (self.replace, self.candidates, self.display) = (replace, candidates, display)
    }

    static func none(at end: Int) -> Completion { Completion(replace: end..<end, candidates: [], display: []) }
}

/// Completion as a pure function of the text before the cursor: Lua names, fields of live tables, field
/// names of the model's shapes inside builders' and operations' table constructors to any depth, enum
/// values of the field being assigned, and engagement ids the session has seen. It reads nothing else and
/// runs nothing.
public enum CompletionEngine {
    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]
    /// Members whose strings are engagement ids.
    static let identifierFields: Set<String> = ["EngagementIdentifier", "Identifier"]

    public static func complete(_ textBeforeCursor: String, context: CompletionContext) -> Completion {
        let end = textBeforeCursor.utf8.count
        let lexed = LuaTokens(textBeforeCursor)
        if let open = lexed.openString {
            let typed = String(decoding: Array(textBeforeCursor.utf8)[(open.start + 1)...], as: UTF8.self)
            return stringCompletion(tokens: lexed.tokens, typed: typed, quote: Character(Unicode.Scalar(open.quote)), range: open.start..<end, context: context)
        }
        var tokens = lexed.tokens
        var word = ""
        var start = end
        if case .name(let name)? = tokens.last?.kind, tokens.last?.end == end {
            word = name
            start = tokens.removeLast().start
        }
        let frames = Frames(tokens)
        let previous = tokens.last?.kind
        if previous == .symbol(".") || previous == .symbol(":") {
            return choose(from: memberNames(before: tokens, context: context), typed: word, range: start..<end)
        }
        if case .table(let shape?)? = frames.top?.kind, previous == .symbol("{") || previous == .symbol(",") || previous == .symbol(";") {
            let written = frames.top?.written ?? []
            let members = (structure(shape)?.members.map(\.name) ?? []).filter { !written.contains($0) }
            let fields = choose(from: members, typed: word, range: start..<end, suffix: " = ")
            if !fields.candidates.isEmpty || word.isEmpty { return fields }
        }
        guard !word.isEmpty else { return .none(at: end) }
        return choose(from: context.globals + keywords, typed: word, range: start..<end)
    }

    /// The longest common prefix of the candidates, by characters.
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    // MARK: Strings

    /// Inside a quoted string: enum values of the field being assigned, values of an enum table's index,
    /// engagement ids where an engagement is named.
    private static func stringCompletion(tokens: [LuaTokens.Token], typed: String, quote: Character, range: Range<Int>, context: CompletionContext) -> Completion {
        let frames = Frames(tokens)
        let last = tokens.last?.kind
        let beforeLast = tokens.dropLast().last?.kind
        var values: [String] = []
        var closing = String(quote)
        switch (beforeLast, last) {
        case (.name(let field)?, .symbol("=")?):
            if identifierFields.contains(field) { values = context.engagementIds.reversed() }
            if case .table(let shape?)? = frames.top?.kind, let member = structure(shape)?.member(named: field) {
                values += enumValues(of: member)
            }
        case (.name("get_engagement")?, .symbol("(")?):
            values = context.engagementIds.reversed()
        case (.name(let table)?, .symbol("[")?):
            values = EngageGlobals.enumTables.first { $0.name == table }?.values ?? []
            closing += "]"
        case (_, .symbol("{")?), (_, .symbol(",")?):
            if case .list(let element?)? = frames.top?.kind, let shape = ServiceModel.shape(named: element), case .string(let string) = shape.kind {
                values = string.enumValues
            }
        default:
            break
        }
        var matching = values.filter { $0.hasPrefix(typed) }
        if matching.isEmpty { matching = values.filter { $0.lowercased().hasPrefix(typed.lowercased()) } }
        var seen = Set<String>()
        matching = matching.filter { seen.insert($0).inserted }
        return Completion(replace: range, candidates: matching.map { "\(quote)\($0)\(closing)" }, display: matching)
    }

    /// Values a member takes: its enum's, or those its documentation lists (StateOrRegion).
    private static func enumValues(of member: MemberSchema) -> [String] {
        if !member.documentedValues.isEmpty { return member.documentedValues }
        guard case .string(let string)? = ServiceModel.shape(named: member.shape)?.kind else { return [] }
        return string.enumValues
    }

    // MARK: Names

    /// Keys of the live table the dotted names before `.`/`:` lead to.
    private static func memberNames(before tokens: [LuaTokens.Token], context: CompletionContext) -> [String] {
        var path: [String] = []
        var index = tokens.count - 2
        while index >= 0, case .name(let name) = tokens[index].kind {
            path.insert(name, at: 0)
            guard index >= 1, tokens[index - 1].kind == .symbol(".") else { break }
            index -= 2
        }
        return context.fields[path.joined(separator: ".")] ?? []
    }

    private static func choose(from names: [String], typed: String, range: Range<Int>, suffix: String = "") -> Completion {
        var seen = Set<String>()
        let matching = names.filter { $0.hasPrefix(typed) && seen.insert($0).inserted }.sorted { $0.lowercased() < $1.lowercased() }
        return Completion(replace: range, candidates: matching.map { $0 + suffix }, display: matching)
    }

    static func structure(_ shape: String) -> StructureSchema? {
        guard case .structure(let structure)? = ServiceModel.shape(named: shape)?.kind else { return nil }
        return structure
    }
}

/// The open brackets at the end of the tokens, each table constructor with the model shape it builds
/// (from the builder or operation it is passed to, or the member it is assigned to) and the fields already
/// written in it.
struct Frames {
    enum Kind: Equatable {
        /// A table constructor of a structure (nil: not known).
        case table(String?)
        /// A list member's constructor: its elements are of this shape.
        case list(String?)
        case parenthesis
        case bracket
    }

    struct Frame {
        var kind: Kind
        var written: Set<String> = []
    }

    private(set) var stack: [Frame] = []
    var top: Frame? { stack.last }

    init(_ tokens: [LuaTokens.Token]) {
        for (index, token) in tokens.enumerated() {
            let previous = index > 0 ? tokens[index - 1].kind : nil
            let beforePrevious = index > 1 ? tokens[index - 2].kind : nil
            switch token.kind {
            case .symbol("{"): stack.append(Frame(kind: tableKind(previous: previous, beforePrevious: beforePrevious)))
            case .symbol("("): stack.append(Frame(kind: .parenthesis))
            case .symbol("["): stack.append(Frame(kind: .bracket))
            case .symbol("}"): pop { if case .table = $0 { true } else if case .list = $0 { true } else { false } }
            case .symbol(")"): pop { $0 == .parenthesis }
            case .symbol("]"): pop { $0 == .bracket }
            case .symbol("="):
                if case .name(let field)? = previous, beforePrevious == .symbol("{") || beforePrevious == .symbol(",") || beforePrevious == .symbol(";"),
                    !stack.isEmpty {
                    stack[stack.count - 1].written.insert(field)
                }
            default: break
            }
        }
    }

    private mutating func pop(until matches: (Kind) -> Bool) {
        while let frame = stack.popLast(), !matches(frame.kind) {}
    }

    /// What a `{` opens, from the tokens before it.
    private func tableKind(previous: LuaTokens.Kind?, beforePrevious: LuaTokens.Kind?) -> Kind {
        if case .name(let callee)? = previous { return .table(Self.shape(calledBy: callee)) }
        if previous == .symbol("("), case .name(let callee)? = beforePrevious { return .table(Self.shape(calledBy: callee)) }
        if previous == .symbol("="), case .name(let field)? = beforePrevious, case .table(let owner?)? = top?.kind,
            let member = CompletionEngine.structure(owner)?.member(named: field), let target = ServiceModel.shape(named: member.shape) {
            switch target.kind {
            case .structure: return .table(target.name)
            case .list(let list): return .list(list.member)
            default: return .table(nil)
            }
        }
        if previous == .symbol("{") || previous == .symbol(",") || previous == .symbol(";"), case .list(let element?)? = top?.kind,
            case .structure? = ServiceModel.shape(named: element)?.kind {
            return .table(element)
        }
        return .table(nil)
    }

    /// The shape a builder or operation's table argument is.
    static func shape(calledBy name: String) -> String? {
        if EngageGlobals.builders.contains(name) { return name }
        if name == "append_interaction" { return nil }
        return EngageGlobals.inputShape(ofLuaFunction: name)
    }
}
