import Core
import Foundation
import Scripting

/// Renders values for the REPL as readable, indented Lua: members of service responses and builders in the
/// model's order (other keys sorted), strings quoted, short tables on one line, long lists cut after a
/// screenful, cycles as `<cycle>`, builder results labelled, error values as their message.
public struct PrettyPrinter: Sendable {
    /// List entries shown before the rest is summarised as `… (N more)`.
    public var maximumListEntries = 25
    /// A table whose one-line form fits in this many columns is printed on one line.
    public var lineWidth = 80
    /// ANSI colours for strings, numbers and labels.
    public var colour = false

    public init(maximumListEntries: Int = 25, lineWidth: Int = 80, colour: Bool = false) {
        self.maximumListEntries = maximumListEntries
        self.lineWidth = lineWidth
        self.colour = colour
    }

    /// The values a chunk returned: tab-separated when each fits on a line, else one after another.
    public func render(_ values: [LuaSnapshot]) -> String {
        let rendered = values.map { render($0, shape: nil, indent: 0) }
        return rendered.contains { $0.contains("\n") } ? rendered.joined(separator: "\n") : rendered.joined(separator: "\t")
    }

    /// One value, with `shape` the model shape it is known to be (from its parent), if any.
    func render(_ value: LuaSnapshot, shape: String?, indent: Int) -> String {
        switch value {
        case .nothing: return paint("nil", .constant)
        case .boolean(let flag): return paint(flag ? "true" : "false", .constant)
        case .integer(let number): return paint(String(number), .constant)
        case .number(let number): return paint(Self.luaNumber(number), .constant)
        case .string(let bytes): return paint(LuaLiteral.string(bytes), .string)
        case .cycle: return "<cycle>"
        case .error(let text): return text
        case .other(let text): return text
        case .table(let label, let entries, let omitted):
            return table(label: label, entries: entries, omitted: omitted, shape: label ?? shape ?? Self.inferredShape(entries), indent: indent)
        }
    }

    private func table(label: String?, entries: [LuaSnapshot.Entry], omitted: Int, shape: String?, indent: Int) -> String {
        let prefix = label.map { paint($0, .label) } ?? ""
        guard !entries.isEmpty || omitted > 0 else { return prefix + "{}" }
        var listCount = 0
        while listCount < entries.count, entries[listCount].key == .integer(Int64(listCount + 1)) { listCount += 1 }
        let list = entries[..<listCount]
        let members = Self.ordered(Array(entries[listCount...]), by: shape)
        let structure = shape.flatMap(Self.structure(named:))
        let elementShape = shape.flatMap(Self.listMemberShape(of:))
        var parts: [String] = []
        for entry in list.prefix(maximumListEntries) {
            parts.append(render(entry.value, shape: elementShape, indent: indent + 2))
        }
        let hidden = max(0, list.count - maximumListEntries) + omitted
        for entry in members {
            let memberShape = Self.stringKey(entry.key).flatMap { structure?.member(named: $0)?.shape }
            parts.append("\(keyText(entry.key)) = \(render(entry.value, shape: memberShape, indent: indent + 2))")
        }
        if hidden > 0 { parts.append("… (\(hidden) more)") }
        let oneLine = prefix + "{ " + parts.joined(separator: ", ") + " }"
        if !oneLine.contains("\n"), Self.visibleWidth(oneLine) + indent <= lineWidth { return oneLine }
        let padding = String(repeating: " ", count: indent + 2)
        return prefix + "{\n" + parts.map { padding + $0 }.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
    }

    private func keyText(_ key: LuaSnapshot) -> String {
        if let name = Self.stringKey(key), Self.isName(name) { return name }
        return "[" + render(key, shape: nil, indent: 0) + "]"
    }

    private enum Role { case string, constant, label }

    private func paint(_ text: String, _ role: Role) -> String {
        guard colour else { return text }
        let code = switch role {
        case .string: "32"
        case .constant: "36"
        case .label: "1"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    // MARK: Model order

    /// Members in the model's order when the shape is known; other keys after them, sorted.
    static func ordered(_ entries: [LuaSnapshot.Entry], by shape: String?) -> [LuaSnapshot.Entry] {
        let order = shape.flatMap(structure(named:)).map { Dictionary(uniqueKeysWithValues: $0.members.enumerated().map { ($1.name, $0) }) } ?? [:]
        return entries.sorted { first, second in
            let a = stringKey(first.key).flatMap { order[$0] } ?? Int.max
            let b = stringKey(second.key).flatMap { order[$0] } ?? Int.max
            if a != b { return a < b }
            return sortText(first.key) < sortText(second.key)
        }
    }

    /// The structure a table of these keys most likely is: the smallest structure of the model that has
    /// every key as a member (a response printed from a variable has no label).
    static func inferredShape(_ entries: [LuaSnapshot.Entry]) -> String? {
        let keys = entries.compactMap { stringKey($0.key) }
        guard !keys.isEmpty, keys.count == entries.count else { return nil }
        var best: (name: String, size: Int)?
        for shape in ServiceModel.shapeList {
            guard case .structure(let structure) = shape.kind, structure.exceptionFault == nil,
                keys.allSatisfy({ structure.member(named: $0) != nil })
            else { continue }
            if best == nil || structure.members.count < best!.size { best = (shape.name, structure.members.count) }
        }
        return best?.name
    }

    static func structure(named name: String) -> StructureSchema? {
        guard case .structure(let structure)? = ServiceModel.shape(named: name)?.kind else { return nil }
        return structure
    }

    static func listMemberShape(of name: String) -> String? {
        guard case .list(let list)? = ServiceModel.shape(named: name)?.kind else { return nil }
        return list.member
    }

    // MARK: Lua text

    static func stringKey(_ key: LuaSnapshot) -> String? {
        guard case .string(let bytes) = key else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func sortText(_ key: LuaSnapshot) -> String {
        switch key {
        case .string(let bytes): return "1" + String(decoding: bytes, as: UTF8.self)
        case .integer(let number): return "0" + String(format: "%020lld", number)
        default: return "2"
        }
    }

    static func isName(_ text: String) -> Bool {
        let keywords: Set<String> = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
            "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return !keywords.contains(text) && text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// A float as Lua 5.4 prints it (`%.14g`, with `.0` on integral values).
    static func luaNumber(_ number: Double) -> String {
        if number.isNaN { return number.sign == .minus ? "-nan" : "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let text = String(format: "%.14g", number)
        return text.contains(where: { $0 == "." || $0 == "e" || $0 == "n" || $0 == "i" }) ? text : text + ".0"
    }

    /// Columns the text takes on a terminal: escape sequences take none.
    static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var escaping = false
        for scalar in text.unicodeScalars {
            if escaping { if scalar == "m" { escaping = false }; continue }
            if scalar == "\u{1B}" { escaping = true; continue }
            width += 1
        }
        return width
    }
}
