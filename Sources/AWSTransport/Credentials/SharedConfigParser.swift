import Core
import Foundation

/// One `[section]` of an AWS shared config or credentials file, as Python's `configparser` (which the AWS
/// CLI uses) reads it: keys lower-cased, whitespace around keys and values dropped, later keys winning.
struct SharedConfigSection: Sendable, Equatable {
    /// The text between the brackets, without surrounding whitespace: `profile dev`, `default`, `sso-session corp`.
    let header: String
    var values: [String: String]
}

/// Reads the INI dialect of `~/.aws/config` and `~/.aws/credentials`:
/// - `[header]` starts a section; text after the closing bracket is ignored;
/// - `key = value` or `key: value`, split at the first `=` or `:`;
/// - lines whose first non-blank character is `#` or `;` are comments (a `#` inside a value is part of it,
///   as in `configparser`);
/// - a line indented deeper than the key before it continues that key's value (`s3 =` followed by
///   indented `max_concurrent_requests = 10` is one value, not a key of the profile);
/// - anything else is an error naming the file and line.
enum SharedConfigParser {
    static func parse(_ text: String, file: String) throws(ServiceError) -> [SharedConfigSection] {
        var sections: [SharedConfigSection] = []
        var currentKey: (name: String, indent: Int)?
        // "\r\n" is one Character in Swift, so lines are split on each of the three line ends Python reads.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (number, line) in lines.enumerated() {
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            let content = line.trimmingCharacters(in: .whitespaces)
            if content.isEmpty {
                currentKey = nil
                continue
            }
            if content.hasPrefix("#") || content.hasPrefix(";") { continue }
            if let key = currentKey, indent > key.indent, !sections.isEmpty {
                let previous = sections[sections.count - 1].values[key.name] ?? ""
                sections[sections.count - 1].values[key.name] = previous + "\n" + content
                continue
            }
            if content.hasPrefix("["), let close = content.lastIndex(of: "]") {
                let header = content[content.index(after: content.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                guard !header.isEmpty else { throw problem(file, number, "an empty section name []") }
                sections.append(SharedConfigSection(header: header, values: [:]))
                currentKey = nil
                continue
            }
            guard let delimiter = content.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw problem(file, number, "neither a [section], a key = value nor a comment")
            }
            let key = content[..<delimiter].trimmingCharacters(in: .whitespaces).lowercased()
            let value = content[content.index(after: delimiter)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw problem(file, number, "a value with no key before its '\(content[delimiter])'") }
            guard !sections.isEmpty else { throw problem(file, number, "the key '\(key)' comes before any [section]") }
            sections[sections.count - 1].values[key] = value
            currentKey = (key, indent)
        }
        return sections
    }

    /// A problem at a line; the line itself is never quoted, since it may hold a secret key.
    private static func problem(_ file: String, _ index: Int, _ what: String) -> ServiceError {
        .invalidConfig("\(file) line \(index + 1): \(what)")
    }
}
