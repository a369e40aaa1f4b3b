/// How model names become Swift identifiers.
enum SwiftNames {
    /// A member name as a Swift property: `EngagementLastModifiedAt` → `engagementLastModifiedAt`.
    static func property(_ memberName: String) -> String {
        escaped(lowerFirstWord(memberName))
    }

    /// An enum value as a Swift case: `Energy - Oil and Gas` → `energyOilAndGas`, `US` → `us`,
    /// `REQUIRED_FIELD_MISSING` → `requiredFieldMissing`.
    static func enumCase(_ value: String) -> String {
        let words = value.split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard let first = words.first else { return "_empty" }
        var name = first.allSatisfy { $0.isUppercase || $0.isNumber } ? first.lowercased() : lowerFirstWord(first)
        for word in words.dropFirst() {
            let isAcronym = word.allSatisfy { $0.isUppercase || $0.isNumber }
            let body = isAcronym ? word.lowercased() : word
            name += body.prefix(1).uppercased() + body.dropFirst()
        }
        if name.first?.isNumber == true { name = "_" + name }
        return escaped(name)
    }

    /// Lowercases the leading run of capitals, keeping the last one when a word follows:
    /// `Id` → `id`, `URLValue` → `urlValue`.
    private static func lowerFirstWord(_ name: String) -> String {
        let characters = Array(name)
        var leadingCapitals = 0
        while leadingCapitals < characters.count, characters[leadingCapitals].isUppercase { leadingCapitals += 1 }
        if leadingCapitals == 0 { return name }
        if leadingCapitals == 1 || leadingCapitals == characters.count {
            return String(characters[..<leadingCapitals]).lowercased() + String(characters[leadingCapitals...])
        }
        let lowered = String(characters[..<(leadingCapitals - 1)]).lowercased()
        return lowered + String(characters[(leadingCapitals - 1)...])
    }

    private static let keywords: Set<String> = [
        "as", "associatedtype", "break", "case", "catch", "class", "continue", "default", "defer", "deinit", "do",
        "else", "enum", "extension", "fallthrough", "false", "fileprivate", "for", "func", "guard", "if", "import",
        "in", "init", "inout", "internal", "is", "let", "nil", "operator", "private", "protocol", "public",
        "repeat", "rethrows", "return", "self", "Self", "static", "struct", "subscript", "super", "switch", "throw",
        "throws", "true", "try", "typealias", "var", "where", "while", "Type", "Protocol", "any", "some",
    ]

    private static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A Swift string literal holding `text` exactly.
    static func stringLiteral(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                output += "\\u{\(String(scalar.value, radix: 16))}"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}
