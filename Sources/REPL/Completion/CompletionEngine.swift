import Core
/// What completion knows about the session besides the model, asked as completion needs it: only the
/// names that start with what was typed, so a session with 200,000 globals or a table with 20,000 keys
/// costs nothing until TAB, and nothing is left out however big it is.
public struct CompletionContext: Sendable {
    /// The global variables whose names start with a prefix (ASCII letters in any case; completion prefers
    /// exact ones).
    public var globals: @Sendable (_ prefix: String) -> [String]
    /// The keys starting with a prefix (as for `globals`) of the live table at a dotted path as typed
    /// (`"e"`, `"e.Contexts"`, `"string"`), or nil when the session has no table there.
    public var fields: @Sendable (_ path: String, _ prefix: String) -> [String]?
    /// Engagement ids the session has seen, newest last.
    public var engagementIds: [String]
    /// Every id the session's responses carried (opportunity, invitation, task, … ids), newest last.
    public var idsSeen: [String]

    public init(
        globals: @escaping @Sendable (_ prefix: String) -> [String],
        fields: @escaping @Sendable (_ path: String, _ prefix: String) -> [String]?,
        engagementIds: [String],
        idsSeen: [String] = []
    ) {
        self.globals = globals
        self.fields = fields
        self.engagementIds = engagementIds
        self.idsSeen = idsSeen
    }

    /// A session given as lists: global names, field names by dotted path
    /// (`"e"` → `["Id", "Arn", "ModifiedAt"]`), engagement ids, other ids.
    public init(globals: [String] = [], fields: [String: [String]] = [:], engagementIds: [String] = [], idsSeen: [String] = []) {
        self.init(
            globals: { prefix in globals.filter { Self.starts($0, with: prefix) } },
            fields: { path, prefix in fields[path].map { $0.filter { Self.starts($0, with: prefix) } } },
            engagementIds: engagementIds,
            idsSeen: idsSeen
        )
    }

    private static func starts(_ name: String, with prefix: String) -> Bool {
        name.lowercased().hasPrefix(prefix.lowercased())
    }
}

/// The candidates for the text before the cursor, and the part of that text the chosen one replaces.
public struct Completion: Equatable, Sendable {
    /// UTF-8 byte offsets into the text before the cursor that the chosen candidate replaces.
    public var replace: Range<Int>
    /// Full replacement texts, sorted as shown; one candidate completes in place.
    public var candidates: [String]
    /// What to list on the second TAB (a value without its quotes, a field without ` = `), same order.
    public var display: [String]

    public init(replace: Range<Int>, candidates: [String], display: [String]) {
        self.replace = replace
        self.candidates = candidates
        self.display = display
    }
}

/// Tab completion for the REPL: a pure function of the text before the cursor, the service model and what
/// the session has seen. It never runs a service call or evaluates code.
public enum CompletionEngine {
    /// The candidates for completing `textBeforeCursor` (text after the cursor plays no part).
    public static func complete(_ textBeforeCursor: String, context: CompletionContext) -> Completion {
        let scan = LuaPrefixScan(textBeforeCursor)
        let end = scan.bytes.count
        switch scan.ending {
        case .inert:
            return Completion(replace: end..<end, candidates: [], display: [])
        case .string(let quote, let start):
            return completeString(scan, quote: quote, start: start, context: context)
        case .word(let start):
            return completeWord(scan, start: start, context: context)
        }
    }

    /// The longest common prefix of the candidates (what one TAB inserts when there are several).
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            prefix = String(zip(prefix, candidate).prefix { $0 == $1 }.map(\.0))
        }
        return prefix
    }

    // MARK: Words

    private static func completeWord(_ scan: LuaPrefixScan, start: Int, context: CompletionContext) -> Completion {
        let end = scan.bytes.count
        let typed = scan.text(start..<end)
        let tokens = scan.tokens
        let previous = tokens.last
        // Right after a string or a number there is no word to complete.
        if let previous, previous.kind == .string || previous.kind == .number, previous.range.upperBound == start {
            return none(at: end)
        }

        if let previous, previous.isSymbol(".", ":") {
            guard let path = scan.dottedName(endingAt: tokens.count - 2) else { return none(at: end) }
            if previous.text == ".", let values = CompletionVocabulary.enumTables[path] {
                return completeEnumMember(values, typed: typed, dot: previous.range.lowerBound, end: end, start: start)
            }
            let names = context.fields(path, typed) ?? CompletionVocabulary.knownFields(of: path) ?? []
            return offer(names.map { ($0, $0) }, typed: typed, replace: start..<end, sort: true)
        }

        if previous?.isSymbol("[") == true, let keys = enumKeys(scan, quote: "\"") {
            return offer(keys, typed: typed, replace: start..<end, sort: true)
        }
        // Where a structure's member name goes, its members are all there is to offer: no global fits there.
        if let frame = scan.frames.last, case .structure(let shape) = frame.role, previous?.isSymbol("{", ",", ";") == true {
            let fields = ModelShapes.memberNames(of: shape).filter { !frame.written.contains($0) }
            return offer(fields.map { ($0 + " = ", $0) }, typed: typed, replace: start..<end, sort: true)
        }

        let names = context.globals(typed) + CompletionVocabulary.globalNames
        return offer(names.map { ($0, $0) }, typed: typed, replace: start..<end, sort: true)
    }

    /// `Table.` of an enum table: `CountryCode.ZA` when every value is a Lua name; otherwise (values with
    /// spaces, as in Industry) the bracketed form `Industry["Financial Services"]`, replacing the dot.
    private static func completeEnumMember(_ values: [String], typed: String, dot: Int, end: Int, start: Int) -> Completion {
        if values.allSatisfy(isLuaName) {
            return offer(values.map { ($0, $0) }, typed: typed, replace: start..<end, sort: true)
        }
        return offer(values.map { ("[" + quoted($0, quote: "\"") + "]", $0) }, typed: typed, replace: dot..<end, sort: true)
    }

    /// In `Industry[`: each value as a quoted key with the closing bracket, `"Financial Services"]`.
    private static func enumKeys(_ scan: LuaPrefixScan, quote: String) -> [(String, String)]? {
        guard case .index(let table) = scan.frames.last?.role, let values = CompletionVocabulary.enumTables[table] else { return nil }
        return values.map { (quoted($0, quote: quote) + "]", $0) }
    }

    // MARK: Strings

    private static func completeString(_ scan: LuaPrefixScan, quote: UInt8, start: Int, context: CompletionContext) -> Completion {
        let end = scan.bytes.count
        let typed = scan.text(start + 1..<end)
        let quoteText = String(UnicodeScalar(quote))

        if scan.tokens.last?.isSymbol("[") == true, let keys = enumKeys(scan, quote: quoteText) {
            return offer(keys, typed: typed, replace: start..<end, sort: true)
        }
        switch stringValues(scan) {
        case .listed(let values):
            return offer(values.map { (quoted($0, quote: quoteText), $0) }, typed: typed, replace: start..<end, sort: true)
        case .engagementIds:
            // Listed in the session's order, newest last; an id seen twice is listed where it was last seen.
            var seen = Set<String>()
            let ids = context.engagementIds.reversed().filter { seen.insert($0).inserted }.reversed()
            return offer(ids.map { (quoted($0, quote: quoteText), $0) }, typed: typed, replace: start..<end, sort: false)
        case .idsSeen(let shape):
            // The ids seen that the field's shape takes (an opportunity id for an OpportunityIdentifier), as above.
            var seen = Set<String>()
            let ids = context.idsSeen.reversed().filter { seen.insert($0).inserted && ModelValidator.validate(.string($0), as: shape).isEmpty }.reversed()
            return offer(ids.map { (quoted($0, quote: quoteText), $0) }, typed: typed, replace: start..<end, sort: false)
        }
    }

    /// Where the values of the string being typed come from: the field it is assigned to (in the shape
    /// being built, or wherever the model has a field of that name), the list it is an element of, or
    /// the call whose engagement id it is.
    private static func stringValues(_ scan: LuaPrefixScan) -> ModelShapes.Values {
        let tokens = scan.tokens
        guard let previous = tokens.last else { return .listed([]) }
        let frame = scan.frames.last
        let last = tokens.count - 1

        if previous.isSymbol("="), last >= 1, tokens[last - 1].kind == .name {
            let field = tokens[last - 1].text
            if let frame, case .structure(let shape) = frame.role, let member = ModelShapes.member(field, of: shape) {
                return ModelShapes.values(of: member)
            }
            return ModelShapes.values(ofMemberNamed: field)
        }
        if previous.isSymbol("{", ",", ";"), let frame, case .list(let element) = frame.role {
            return ModelShapes.values(of: element)
        }
        if previous.isSymbol("(", ","), let frame, case .call(let callee, 0) = frame.role {
            if CompletionVocabulary.takesEngagementId.contains(callee) { return .engagementIds }
            if let shape = CompletionVocabulary.identifierShape(ofCallee: callee) { return ModelShapes.values(of: shape) }
        }
        if let callee = scan.dottedName(endingAt: last) {
            if CompletionVocabulary.takesEngagementId.contains(callee) { return .engagementIds }
            if let shape = CompletionVocabulary.identifierShape(ofCallee: callee) { return ModelShapes.values(of: shape) }
        }
        return .listed([])
    }

    // MARK: Candidates

    /// The pairs (replacement, display) whose display starts with what was typed — exactly, or ignoring
    /// case when nothing matches exactly — without repeats. With none, nothing is replaced.
    private static func offer(_ pairs: [(String, String)], typed: String, replace: Range<Int>, sort: Bool) -> Completion {
        var matching = pairs.filter { $0.1.hasPrefix(typed) }
        if matching.isEmpty {
            let lowered = typed.lowercased()
            matching = pairs.filter { $0.1.lowercased().hasPrefix(lowered) }
        }
        if matching.isEmpty { return none(at: replace.upperBound) }
        var seen = Set<String>()
        matching = matching.filter { seen.insert($0.0).inserted }
        if sort { matching.sort { $0.1 < $1.1 } }
        return Completion(replace: replace, candidates: matching.map(\.0), display: matching.map(\.1))
    }

    private static func none(at end: Int) -> Completion {
        Completion(replace: end..<end, candidates: [], display: [])
    }

    /// A value as a Lua string literal in the quote the user opened.
    private static func quoted(_ value: String, quote: String) -> String {
        quote + value.map { String($0) == quote || $0 == "\\" ? "\\\($0)" : String($0) }.joined() + quote
    }

    private static func isLuaName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return !LuaNames.keywords.contains(text)
            && text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
