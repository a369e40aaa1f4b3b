import Foundation

/// Matches strings against the model's patterns, each compiled once.
///
/// A value must match a pattern as a whole. Most of the model's patterns only bound the length,
/// `(?s).{1,40}`; those are checked by counting Unicode code points, which is what the pattern's `.`
/// counts, and the message then says how long the value must be.
final class PatternMatcher: @unchecked Sendable {
    static let shared = PatternMatcher()

    /// What is wrong with a string that does not match.
    enum Problem: Equatable {
        case length(count: Int, min: Int, max: Int)
        case lineBreak
        case format
    }

    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    /// Nil when `text` matches `pattern` as a whole.
    func problem(with text: String, pattern: String) -> Problem? {
        if let bounds = LengthPattern(pattern) {
            let count = text.unicodeScalars.count
            if count < bounds.min || count > bounds.max { return .length(count: count, min: bounds.min, max: bounds.max) }
            if !bounds.dotMatchesLineBreaks, text.unicodeScalars.contains(where: LengthPattern.isLineTerminator) { return .lineBreak }
            return nil
        }
        let expression = regularExpression(for: pattern)
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) == nil ? .format : nil
    }

    /// Whether the compiled pattern matches as a whole; the length shortcut above must agree with it.
    func regexMatches(_ text: String, pattern: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regularExpression(for: pattern).firstMatch(in: text, options: [], range: range) != nil
    }

    private func regularExpression(for pattern: String) -> NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let expression = compiled[pattern] { return expression }
        do {
            let expression = try NSRegularExpression(pattern: "\\A(?:\(pattern))\\z")
            compiled[pattern] = expression
            return expression
        } catch {
            preconditionFailure("the model's pattern \(pattern) does not compile: \(error)")
        }
    }
}

/// A pattern of the form `(?s).{m,n}` or `.{m,n}`: a length bound and nothing else.
struct LengthPattern {
    let min: Int
    let max: Int
    let dotMatchesLineBreaks: Bool

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
