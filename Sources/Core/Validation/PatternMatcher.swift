import Foundation

/// Matches strings against the model's patterns, each compiled when a value first needs it.
///
/// A value must match a pattern as a whole. Most of the model's patterns only bound the length,
/// `(?s).{1,40}`; those are checked by counting Unicode code points, which is what the pattern's `.`
/// counts, and the message then says how long the value must be.
final class PatternMatcher: @unchecked Sendable {
    static let shared = PatternMatcher()

    /// What is wrong with a string that does not match.
    enum Problem: Equatable {
        case length(count: Int, bounds: LengthPattern)
        case lineBreak
        case format
    }

    /// How one pattern is checked.
    private enum Check {
        case length(LengthPattern)
        case expression(pattern: String)
    }

    /// The check of every patterned shape by shape name; never mutated afterwards, so reads need no lock.
    private let checks: [String: Check]
    /// Guards `expressions`, the patterns compiled so far (NSRegularExpression is immutable and safe to share).
    private let lock = NSLock()
    private var expressions: [String: NSRegularExpression] = [:]

    private init() {
        var checks: [String: Check] = [:]
        for shape in ServiceModel.shapeList {
            guard case .string(let string) = shape.kind, let pattern = string.pattern else { continue }
            checks[shape.name] = LengthPattern(pattern).map(Check.length) ?? .expression(pattern: pattern)
        }
        self.checks = checks
    }

    /// Nil when `text` matches the pattern of the string shape `shape` as a whole.
    func problem(with text: String, shape: String) -> Problem? {
        switch checks[shape] {
        case .length(let bounds):
            let count = text.unicodeScalars.count
            if count < bounds.min || count > bounds.max { return .length(count: count, bounds: bounds) }
            if !bounds.dotMatchesLineBreaks, text.unicodeScalars.contains(where: LengthPattern.isLineTerminator) { return .lineBreak }
            return nil
        case .expression(let pattern):
            return Self.matches(expression(pattern), text) ? nil : .format
        case nil:
            preconditionFailure("\(shape) is not a patterned string shape of the served model")
        }
    }

    /// Whether the compiled regular expression matches as a whole; the length shortcut must agree with it.
    func regexMatches(_ text: String, pattern: String) -> Bool {
        Self.matches(expression(pattern), text)
    }

    /// `pattern` compiled, the first time it is asked for.
    private func expression(_ pattern: String) -> NSRegularExpression {
        lock.withLock {
            if let expression = expressions[pattern] { return expression }
            let expression = Self.compile(pattern)
            expressions[pattern] = expression
            return expression
        }
    }

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }

    /// The model's patterns are ECMAScript's (Smithy's), where `\d` is 0-9 and `\w` is ASCII letters, digits
    /// and `_`; ICU's would also take other scripts' digits and letters (`+1٢٣٤` as a phone number).
    private static func compile(_ pattern: String) -> NSRegularExpression {
        let ascii = pattern.replacingOccurrences(of: "\\d", with: "[0-9]").replacingOccurrences(of: "\\w", with: "[A-Za-z0-9_]")
        do {
            return try NSRegularExpression(pattern: "\\A(?:\(ascii))\\z")
        } catch {
            preconditionFailure("the model's pattern \(pattern) does not compile: \(error)")
        }
    }
}

/// A pattern of the form `(?s).{m,n}` or `.{m,n}`: a length bound and nothing else.
struct LengthPattern: Equatable {
    let min: Int
    let max: Int
    let dotMatchesLineBreaks: Bool

    /// The allowed length in words: `1 to 40 characters`, `at most 255 characters`.
    var allowed: String {
        min == 0 ? "at most \(max) characters" : "\(min) to \(max) characters"
    }

    init?(_ pattern: String) {
        var body = Substring(pattern)
        dotMatchesLineBreaks = body.hasPrefix("(?s)")
        if dotMatchesLineBreaks { body = body.dropFirst(4) }
        guard body.hasPrefix(".{"), body.hasSuffix("}") else { return nil }
        let bounds = body.dropFirst(2).dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard bounds.count == 2, let min = Int(bounds[0]), let max = Int(bounds[1]) else { return nil }
        self.min = min
        self.max = max
    }

    /// The characters ICU's `.` does not match without the `s` flag.
    static func isLineTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
