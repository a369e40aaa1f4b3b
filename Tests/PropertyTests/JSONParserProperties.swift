import OrderedJSON
import PropertyBased
import Testing

/// The JSON parser and writer (`OrderedJSON`): what is written reads back as it was, and no input, however
/// broken, crashes the parser or fails without saying where.
@Suite(.tags(.unit)) struct JSONParserProperties {
    /// Any value, written compact or pretty, parses back identically: member order, integer or float,
    /// -0.0, every scalar of every string (controls, quotes, NUL, U+2028, astral characters).
    @Test(.replayable) func writtenValuesReadBackIdentically() async {
        await propertyCheck(count: Fuzzing.iterations(400), input: generator { JSONGen.value(&$0) }, Gen.bool) { value, pretty in
            let text = value.serialized(pretty: pretty)
            do {
                let parsed = try JSONValue(parsing: text)
                #expect(identical(parsed, value), "read back as \(parsed.serialized())")
            } catch {
                Issue.record("the writer's own text does not parse: \(error)\n\(text)")
            }
        }
    }

    /// Any bytes either parse — then they were UTF-8 and the value survives being written — or fail with
    /// an error whose offset lies in the input and whose line is the line of that offset.
    @Test(.replayable) func arbitraryBytesParseOrFailSayingWhere() async {
        await propertyCheck(count: Fuzzing.iterations(1000), input: generator(JSONBytes.arbitrary)) { bytes in
            let parsed: JSONValue
            do throws(JSONSyntaxError) {
                parsed = try JSONValue(parsing: bytes)
            } catch {
                #expect(!error.message.isEmpty)
                #expect((0...bytes.count).contains(error.offset), "offset \(error.offset) of \(bytes.count) bytes")
                #expect(error.line == 1 + bytes.prefix(error.offset).count(where: { $0 == 0x0A }), "\(error)")
                #expect(error.column >= 1)
                #expect(error.description.hasPrefix("JSON line \(error.line), column \(error.column)"))
                return
            }
            #expect(String(validating: bytes, as: UTF8.self) != nil, "accepted bytes that are not UTF-8")
            do {
                #expect(identical(try JSONValue(parsing: parsed.serialized()), Self.asWritten(parsed)), "what was accepted does not survive being written")
            } catch {
                Issue.record("accepted, but the written form does not parse: \(error)")
            }
        }
    }

    /// An ill-formed UTF-8 sequence inside a string or a member name is refused at its first byte, and the
    /// error names the member being read, as the service's field names would.
    @Test(.replayable) func invalidUTF8InAStringIsRefusedAtItsByte() async {
        await propertyCheck(count: Fuzzing.iterations(400), input: generator(MarkedDocument.init), Gen.bool) { marked, pretty in
            let (bytes, offset) = marked.bytes(pretty: pretty)
            do throws(JSONSyntaxError) {
                let value = try JSONValue(parsing: bytes)
                Issue.record("accepted \(value.serialized())")
            } catch {
                #expect(error.offset == offset, "\(error)")
                #expect(error.path == marked.path, "\(error)")
                #expect(error.message.contains("\(marked.isMemberName ? "the member name" : "the string") is not valid UTF-8"), "\(error)")
                #expect(error.line == 1 + bytes.prefix(offset).count(where: { $0 == 0x0A }), "\(error)")
            }
        }
    }

    /// Up to 512 nested containers parse; one more is an error at the opening bracket that goes too deep,
    /// never a stack overflow; an unclosed document is an error at its end.
    @Test(.replayable) func nestingPastTheLimitIsAnErrorNotACrash() async {
        let nesting = generator { dice in (0..<dice.int(1...1100)).map { _ in dice.chance(0.5) } }
        await propertyCheck(count: Fuzzing.iterations(60), input: nesting, Gen.bool) { levels, closed in
            var bytes: [UInt8] = []
            var openerOffsets: [Int] = []
            for isArray in levels {
                openerOffsets.append(bytes.count)
                bytes += Array((isArray ? "[" : #"{"k":"#).utf8)
            }
            bytes += Array("0".utf8)
            if closed { for isArray in levels.reversed() { bytes.append(UInt8(ascii: isArray ? "]" : "}")) } }
            let input = bytes
            // Parsed, measured and freed on the large stack: freeing 512 nested values recurses too.
            let outcome = await onLargeStack { Result { () throws(JSONSyntaxError) in Self.depth(of: try JSONValue(parsing: input)) } }
            switch outcome {
            case .success(let depth):
                #expect(closed && levels.count <= 512)
                #expect(depth == levels.count)
            case .failure(let error):
                if levels.count > 512 {
                    #expect(error.message == "nested deeper than 512 levels")
                    #expect(error.offset == openerOffsets[512])
                } else {
                    #expect(!closed, "\(error)")
                    #expect(error.offset == bytes.count, "\(error)")
                }
            }
        }
    }

    /// Numbers keep their kind: an integer that fits 64 bits is an integer, anything else written as a
    /// number is the double nearest to it. Past the largest double it is an infinity, as JavaScript's and
    /// Python's parsers read it (the malformed-request corpus relies on this: `{"MaxResults": 1e400}` is a
    /// ValidationException naming MaxResults), and it is written back as null, as JSON.stringify writes it.
    @Test(.replayable) func numbersAtTheEdgesKeepTheirKindAndValue() async {
        await propertyCheck(count: Fuzzing.iterations(1000), input: generator(JSONBytes.number)) { text in
            let isIntegerSyntax = !text.contains(where: { ".eE".contains($0) })
            let parsed: JSONValue
            do throws(JSONSyntaxError) {
                parsed = try JSONValue(parsing: text)
            } catch {
                Issue.record("\(text) is a JSON number, refused: \(error)")
                return
            }
            if isIntegerSyntax, let integer = Int64(text) {
                #expect(identical(parsed, .integer(integer)), "\(text) read as \(parsed)")
            } else if let nearest = Double(text) {
                #expect(identical(parsed, .number(nearest)), "\(text) read as \(parsed), expected \(nearest)")
            } else {
                Issue.record("\(text) read as \(parsed), though Swift reads no double from it")
            }
            let rewritten = try? JSONValue(parsing: parsed.serialized())
            #expect(rewritten.map { identical($0, Self.asWritten(parsed)) } == true, "\(text) is not stable once written: \(parsed.serialized())")
        }
    }

    /// What a value reads back as once written: infinities have no JSON text and become null.
    static func asWritten(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let number) where !number.isFinite: .null
        case .array(let elements): .array(elements.map(asWritten))
        case .object(let members): .object(members.mapValues(asWritten))
        default: value
        }
    }

    static func depth(of value: JSONValue) -> Int {
        switch value {
        case .array(let elements): 1 + (elements.map(depth(of:)).max() ?? 0)
        case .object(let members): 1 + (members.values.map(depth(of:)).max() ?? 0)
        default: 0
        }
    }
}

/// Byte strings for the parser: noise from JSON's own alphabet, valid documents with a few bytes broken,
/// and number texts at the edges of Int64 and Double.
enum JSONBytes {
    static let alphabet = Array(#"{}[]:,"\ tnrufalse0123456789-+.eE/"#.utf8) + [0x0A, 0x0D, 0x09, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xFF]
    static let tokens = [#"{"#, #"}"#, #"["#, #"]"#, #":"#, #","#, #""a""#, #""\u00e9""#, #""\ud83d\ude00""#, #""\ud800""#, #""\udc00x""#,
                         #""\x""#, #""\u12""#, "true", "fals", "null", "nul", "0", "-0", "01", "1.", ".5", "1e", "1e+", "-", "1e400",
                         "9223372036854775808", "\u{FEFF}", " ", "\n", "\"", "\\"]

    static func arbitrary(_ dice: inout Dice) -> [UInt8] {
        switch dice.int(0...2) {
        case 0:
            return (0..<dice.int(0...40)).map { _ in dice.pick(alphabet) }
        case 1:
            return (0..<dice.int(0...12)).flatMap { _ in Array(dice.pick(tokens).utf8) }
        default:
            var bytes = Array(JSONGen.document(&dice).serialized(pretty: dice.chance(0.3)).utf8)
            for _ in 0..<dice.int(1...3) where !bytes.isEmpty {
                let position = dice.int(0...bytes.count - 1)
                switch dice.int(0...3) {
                case 0: bytes[position] = dice.pick(alphabet)
                case 1: bytes.insert(dice.pick(alphabet), at: position)
                case 2: bytes.remove(at: position)
                default: bytes.removeSubrange(position...)
                }
            }
            return bytes
        }
    }

    static func number(_ dice: inout Dice) -> String {
        var text = dice.chance(0.3) ? "-" : ""
        switch dice.int(0...3) {
        case 0: text += "0"
        case 1: text += dice.pick(["9223372036854775807", "9223372036854775808", "9223372036854775806", "18446744073709551616", "4503599627370497", "9007199254740993"])
        default: text += String(dice.int(1...9)) + digits(&dice, dice.int(0...24))
        }
        if dice.chance(0.3) { text += "." + digits(&dice, dice.int(1...20)) }
        if dice.chance(0.4) {
            text += dice.pick(["e", "E"]) + dice.pick(["", "+", "-"])
            text += dice.chance(0.5) ? dice.pick(["308", "309", "324", "325", "400", "0", "00", "99999"]) : digits(&dice, dice.int(1...3))
        }
        return text
    }

    static func digits(_ dice: inout Dice, _ count: Int) -> String {
        String((0..<count).map { _ in Character(String(dice.int(0...9))) })
    }
}

/// A document with one string or member name marked, to be replaced by bytes that are not UTF-8: where
/// the parser must stop and what it must name.
struct MarkedDocument: Sendable, CustomStringConvertible {
    let value: JSONValue
    /// The path the error must name: the member holding the string, or the object holding the name.
    let path: String
    let isMemberName: Bool
    let broken: [UInt8]

    static let illFormed: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC3], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFE], [0xFF],
    ]

    init(_ dice: inout Dice) {
        let document = JSONGen.document(&dice)
        var sites = 0
        Self.countSites(document, &sites)
        var target = dice.int(0...sites)  // `sites` itself: a new member at the top
        var path = ""
        var isMemberName = false
        let marked = Self.mark(document, at: "", target: &target, dice: &dice, path: &path, isMemberName: &isMemberName)
        if target >= 0 {
            // No site was chosen inside: wrap the document in an object whose one member is marked.
            isMemberName = dice.chance(0.5)
            path = isMemberName ? "" : "marked"
            value = isMemberName ? .object(["marked\(JSONGen.marker)": marked]) : .object(["marked": .string("a\(JSONGen.marker)b"), "rest": marked])
        } else {
            value = marked
        }
        self.path = path
        self.isMemberName = isMemberName
        broken = dice.pick(Self.illFormed)
    }

    /// The bytes with the marker replaced, and the offset of the first replaced byte.
    func bytes(pretty: Bool) -> ([UInt8], Int) {
        var bytes = Array(value.serialized(pretty: pretty).utf8)
        let marker = Array(String(JSONGen.marker).utf8)
        let offset = (0...bytes.count - marker.count).first { bytes[$0..<$0 + marker.count].elementsEqual(marker) }!
        bytes.replaceSubrange(offset..<offset + marker.count, with: broken)
        return (bytes, offset)
    }

    var description: String { "\(value.serialized()) with \(broken) at the marker (path \(path))" }

    private static func countSites(_ value: JSONValue, _ count: inout Int) {
        switch value {
        case .string: count += 1
        case .array(let elements): for element in elements { countSites(element, &count) }
        case .object(let members):
            for (_, member) in members {
                count += 1
                countSites(member, &count)
            }
        default: break
        }
    }

    /// The value with the marker inserted into the `target`-th string or name (in document order).
    private static func mark(_ value: JSONValue, at here: String, target: inout Int, dice: inout Dice, path: inout String, isMemberName: inout Bool) -> JSONValue {
        func insertingMarker(_ text: String) -> String {
            var scalars = Array(text.unicodeScalars)
            scalars.insert(JSONGen.marker, at: dice.int(0...scalars.count))
            return String(String.UnicodeScalarView(scalars))
        }
        switch value {
        case .string(let text):
            defer { target -= 1 }
            guard target == 0 else { return value }
            path = here
            return .string(insertingMarker(text))
        case .array(let elements):
            return .array(elements.enumerated().map { index, element in
                mark(element, at: here + "[\(index)]", target: &target, dice: &dice, path: &path, isMemberName: &isMemberName)
            })
        case .object(let members):
            var marked = JSONValue.Members()
            for (key, member) in members {
                var newKey = key
                if target == 0 {
                    newKey = insertingMarker(key)
                    path = here
                    isMemberName = true
                }
                target -= 1
                marked[newKey] = mark(member, at: here.isEmpty ? key : here + "." + key, target: &target, dice: &dice, path: &path, isMemberName: &isMemberName)
            }
            return .object(marked)
        default:
            return value
        }
    }
}
