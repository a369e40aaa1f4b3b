/// Why a text is not JSON, and where: line and column are 1-based and count Unicode characters, `offset`
/// counts bytes from 0, and `path` names the member being read (`Payload.Lead.Interactions[0].SourceName`,
/// "" at the top level), so an error in a request can name the field a person wrote.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let line: Int
    public let column: Int
    public let offset: Int
    public let path: String

    public init(message: String, line: Int, column: Int, offset: Int, path: String) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.path = path
    }

    /// `JSON line 2, column 17, at Description: the string is not valid UTF-8: …`
    public var description: String {
        "JSON line \(line), column \(column)\(path.isEmpty ? "" : ", at \(path)"): \(message)"
    }
}

extension JSONValue {
    /// Parses a complete JSON text (RFC 8259). Object members keep their order; a repeated key keeps its
    /// last value, as most parsers do.
    public init(parsing text: String) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: Array(text.utf8))
        self = try parser.parseDocument()
    }

    /// Parses a complete JSON text given as bytes. The bytes must be UTF-8: a byte sequence that is not, in a
    /// string or outside one, is an error naming its place, never replaced by U+FFFD; so are escapes that
    /// name a lone surrogate (`"\ud800"`).
    public init(parsing bytes: some Collection<UInt8>) throws(JSONSyntaxError) {
        var parser = JSONParser(bytes: Array(bytes))
        self = try parser.parseDocument()
    }
}

/// A recursive-descent parser over UTF-8 bytes.
private struct JSONParser {
    /// One step of the path from the document to the value being read.
    enum Step {
        case member(String)
        case element(Int)
    }

    let bytes: [UInt8]
    var index = 0
    var depth = 0
    /// Where the parser is, kept as steps and turned into text only for an error.
    var steps: [Step] = []
    static let maximumDepth = 512

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describeCurrent()) after the JSON value") }
        return value
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    mutating func enterNested() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("nested deeper than \(Self.maximumDepth) levels") }
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enterNested()
        defer { depth -= 1 }
        index += 1
        var members = JSONValue.Members()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a member name in double quotes") }
            let key = try parseString(isMemberName: true)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after member name \"\(key)\"") }
            index += 1
            steps.append(.member(key))
            members[key] = try parseValue()
            steps.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected ',' or '}' in object, found \(describeCurrent())")
            }
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enterNested()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            steps.append(.element(elements.count))
            elements.append(try parseValue())
            steps.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in array, found \(describeCurrent())")
            }
        }
    }

    mutating func parseString(isMemberName: Bool = false) throws(JSONSyntaxError) -> String {
        index += 1
        // Most strings have no escapes: find the closing quote and decode the bytes in one go.
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            guard let text = String(validating: bytes[index..<end], as: UTF8.self) else {
                // The check below finds the bad byte; the generic error is for a disagreement with Swift's validator.
                try checkUTF8(index..<end, isMemberName: isMemberName)
                throw error("\(isMemberName ? "the member name" : "the string") is not valid UTF-8")
            }
            index = end + 1
            return text
        }
        // Runs of raw bytes are checked where they stand, so an error points at the bad byte; escapes add
        // only well-formed UTF-8, so the whole is valid once every run is.
        var utf8: [UInt8] = []
        while index < bytes.count {
            var runEnd = index
            while runEnd < bytes.count, bytes[runEnd] != UInt8(ascii: "\""), bytes[runEnd] != UInt8(ascii: "\\"), bytes[runEnd] >= 0x20 { runEnd += 1 }
            try checkUTF8(index..<runEnd, isMemberName: isMemberName)
            utf8.append(contentsOf: bytes[index..<runEnd])
            index = runEnd
            guard index < bytes.count else { break }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
                default:
                    index -= 1
                    let shown = (0x20..<0x7F).contains(escape) ? "'\\\(Character(Unicode.Scalar(escape)))'" : "'\\' before \(describe(escape))"
                    throw error("invalid escape \(shown) in string")
                }
            default:
                throw error("control character in string (escape it as \\u\(hex4(UInt16(byte))))")
            }
        }
        throw error("unterminated string")
    }

    /// Throws, pointing at the first byte of `range` that does not start a well-formed UTF-8 sequence
    /// (Unicode's definition: no overlong forms, no encoded surrogates, nothing past U+10FFFF).
    mutating func checkUTF8(_ range: Range<Int>, isMemberName: Bool) throws(JSONSyntaxError) {
        var position = range.lowerBound
        while position < range.upperBound {
            let lead = bytes[position]
            if lead < 0x80 { position += 1; continue }
            let continuations: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: continuations = 1
            case 0xE0: continuations = 2; second = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: continuations = 2
            case 0xED: continuations = 2; second = 0x80...0x9F
            case 0xF0: continuations = 3; second = 0x90...0xBF
            case 0xF1...0xF3: continuations = 3
            case 0xF4: continuations = 3; second = 0x80...0x8F
            default: continuations = 0
            }
            var wellFormed = continuations > 0 && position + continuations < range.upperBound
            if wellFormed {
                wellFormed = second.contains(bytes[position + 1])
                    && bytes[position + 2..<position + 1 + continuations].allSatisfy { (0x80...0xBF).contains($0) }
            }
            guard wellFormed else {
                index = position
                let what = isMemberName ? "the member name" : "the string"
                throw error("\(what) is not valid UTF-8: byte 0x\(hex2(lead)) does not start a well-formed sequence")
            }
            position += 1 + continuations
        }
    }

    /// Reads the four hex digits after `\u` (and a following low surrogate escape when needed).
    mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> [UInt8] {
        let first = try readHex4()
        var scalarValue = UInt32(first)
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("lone high surrogate \\u\(hex4(first)) in string")
            }
            index += 2
            let second = try readHex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw error("invalid low surrogate \\u\(hex4(second)) in string") }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw error("lone low surrogate \\u\(hex4(first)) in string")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid \\u escape in string") }
        return Array(String(Character(scalar)).utf8)
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw error("incomplete \\u escape in string") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw error("expected a digit in number") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw error("leading zeros are not allowed in numbers") }
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = peek(), isDigit(digit) else { throw error("expected a digit after '.' in number") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw error("expected a digit in exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text) else { throw error("number \(text) is out of range") }
        return .number(number)
    }

    mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        let utf8 = Array(word.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw error("unexpected \(describeCurrent()), expected a value")
        }
        index += utf8.count
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
    func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    mutating func skipDigits() { while let byte = peek(), isDigit(byte) { index += 1 } }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        return describe(bytes[index])
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(hex2(byte))"
    }

    func hex2(_ byte: UInt8) -> String {
        (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    func error(_ message: String) -> JSONSyntaxError {
        var line = 1
        var lineStart = 0
        let end = min(index, bytes.count)
        for position in 0..<end where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        let column = String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
        return JSONSyntaxError(message: message, line: line, column: column, offset: end, path: path)
    }

    /// The steps as a field path, written as Core's `FieldPath` writes them: `Contexts[0].Payload`.
    var path: String {
        steps.reduce(into: "") { path, step in
            switch step {
            case .member(let name): path += path.isEmpty ? name : "." + name
            case .element(let position): path += "[\(position)]"
            }
        }
    }
}
