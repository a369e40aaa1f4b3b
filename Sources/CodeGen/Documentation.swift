import Foundation

/// Turns the model's HTML documentation into plain text: paragraphs separated by blank lines, list items
/// as "- " lines, tags dropped, entities decoded, runs of white space folded.
enum Documentation {
    static func plainText(fromHTML html: String) -> String {
        var text = html.replacingOccurrences(of: "<li>\\s*<p>", with: "<li>", options: .regularExpression)
        let blockBreaks = [("<p>", "\n\n"), ("</p>", "\n\n"), ("<ul>", "\n\n"), ("</ul>", "\n\n"), ("<li>", "\n- "), ("</li>", "\n"), ("<br/>", "\n")]
        for (tag, replacement) in blockBreaks {
            text = text.replacingOccurrences(of: tag, with: replacement)
        }
        text = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        let entities = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        for (entity, character) in entities {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return paragraphs(of: text).joined(separator: "\n\n")
    }

    /// The values a member's documentation lists after "Valid values:" inside a code element, split on " | ".
    static func validValues(fromHTML html: String) -> [String] {
        guard let marker = html.range(of: "Valid values:"),
            let open = html.range(of: "<code>", range: marker.upperBound..<html.endIndex),
            let close = html.range(of: "</code>", range: open.upperBound..<html.endIndex)
        else { return [] }
        return html[open.upperBound..<close.lowerBound]
            .split(separator: "|")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Blocks separated by blank lines; inside a block, lines are folded into one except list items, which
    /// keep a line each.
    private static func paragraphs(of text: String) -> [String] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var lines: [String] = []
            for rawLine in block.components(separatedBy: "\n") {
                let line = rawLine.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if line.isEmpty { continue }
                if line.hasPrefix("- ") || lines.isEmpty {
                    lines.append(line)
                } else {
                    lines[lines.count - 1] += " " + line
                }
            }
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }
    }
}
