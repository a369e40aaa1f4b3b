import Core

/// The text of the leaf elements of an STS XML answer, by element name (the first of each name):
/// `AccessKeyId`, `SessionToken`, `Expiration` of an `AssumeRoleResponse`, or `Code` and `Message` of an
/// `ErrorResponse`. Read by a small scanner of its own rather than Foundation's XMLParser, whose libxml2 and
/// ICU would be loaded by every engage process at start-up for the sake of these few answers.
struct STSDocument {
    private let leaves: [String: String]

    /// Nil when `xml` is not well-formed as far as these answers need: every element closed in order,
    /// attributes quoted, entities known.
    init?(xml: [UInt8]) {
        var reader = LeafReader(xml)
        guard let leaves = reader.read() else { return nil }
        self.leaves = leaves
    }

    subscript(name: String) -> String? { leaves[name] }

    /// Elements, text and the entities of XML 1.0; the prolog, comments, processing instructions and
    /// CDATA sections are read past (CDATA's text counts as the element's text).
    private struct LeafReader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func read() -> [String: String]? {
            var leaves: [String: String] = [:]
            var open: [String] = []
            var text: [UInt8] = []
            var hasChildren = false
            var sawRoot = false
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "<") else {
                    guard let piece = readText() else { return nil }
                    // Text outside the root element may only be white space.
                    if open.isEmpty, piece.contains(where: { !Self.isSpace($0) }) { return nil }
                    text += piece
                    continue
                }
                if skip("<?", until: "?>") || skip("<!--", until: "-->") { continue }
                if starts(with: "<![CDATA[") {
                    index += 9
                    guard let end = find("]]>") else { return nil }
                    text += bytes[index..<end]
                    index = end + 3
                    continue
                }
                if starts(with: "<!") {
                    // A DOCTYPE: STS sends none, and entity declarations are not followed.
                    guard open.isEmpty, !sawRoot, let end = find(">") else { return nil }
                    index = end + 1
                    continue
                }
                if starts(with: "</") {
                    index += 2
                    guard let name = readName(), let last = open.popLast(), last == name else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return nil }
                    index += 1
                    if !hasChildren, leaves[name] == nil { leaves[name] = Self.trimmed(text) }
                    (text, hasChildren) = ([], true)
                    continue
                }
                index += 1
                guard let name = readName(), !(open.isEmpty && sawRoot), let selfClosing = readAttributes() else { return nil }
                sawRoot = true
                (text, hasChildren) = ([], false)
                if selfClosing {
                    if leaves[name] == nil { leaves[name] = "" }
                    hasChildren = true
                } else {
                    open.append(name)
                }
            }
            return open.isEmpty && sawRoot ? leaves : nil
        }

        /// Text up to the next `<`, entities decoded; nil at an unknown or unterminated entity.
        private mutating func readText() -> [UInt8]? {
            var piece: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
                if bytes[index] == UInt8(ascii: "&") {
                    guard let decoded = readEntity() else { return nil }
                    piece += decoded
                } else {
                    piece.append(bytes[index])
                    index += 1
                }
            }
            return piece
        }

        private mutating func readEntity() -> [UInt8]? {
            guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { return nil }
            let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end + 1
            switch name {
            case "amp": return Array("&".utf8)
            case "lt": return Array("<".utf8)
            case "gt": return Array(">".utf8)
            case "quot": return Array("\"".utf8)
            case "apos": return Array("'".utf8)
            default:
                let number = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst(), radix: 10) : nil
                guard let number, let scalar = Unicode.Scalar(number) else { return nil }
                return Array(String(Character(scalar)).utf8)
            }
        }

        private mutating func readName() -> String? {
            let start = index
            while index < bytes.count, !Self.isSpace(bytes[index]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(bytes[index]) {
                index += 1
            }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        /// Reads past a start tag's attributes to its `>`; whether it ended `/>`. Nil when malformed.
        private mutating func readAttributes() -> Bool? {
            while true {
                skipSpace()
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: ">"):
                    index += 1
                    return false
                case UInt8(ascii: "/"):
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return nil }
                    index += 2
                    return true
                default:
                    guard readName() != nil else { return nil }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { return nil }
                    index += 1
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else { return nil }
                    let quote = bytes[index]
                    guard let end = bytes[(index + 1)...].firstIndex(of: quote) else { return nil }
                    index = end + 1
                }
            }
        }

        private func starts(with text: String) -> Bool { bytes[index...].starts(with: text.utf8) }

        /// Past `start … end` when the bytes here begin with `start`.
        private mutating func skip(_ start: String, until end: String) -> Bool {
            guard starts(with: start), let found = find(end, from: index + start.utf8.count) else { return false }
            index = found + end.utf8.count
            return true
        }

        private func find(_ text: String, from start: Int? = nil) -> Int? {
            let pattern = Array(text.utf8)
            var position = start ?? index
            while position + pattern.count <= bytes.count {
                if bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
                position += 1
            }
            return nil
        }

        private mutating func skipSpace() {
            while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        }

        private static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private static func trimmed(_ text: [UInt8]) -> String {
            let start = text.firstIndex { !isSpace($0) } ?? text.endIndex
            let end = text.lastIndex { !isSpace($0) }.map { $0 + 1 } ?? start
            return String(decoding: text[start..<max(start, end)], as: UTF8.self)
        }
    }
}
