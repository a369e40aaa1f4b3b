import EngageTestSupport
import Foundation
import OrderedJSON

/// The malformed-request corpus in `Tests/Fixtures/malformed-requests/`: for each case, `NAME.json` holds the
/// request's raw bytes and `NAME.expect` says, one `key: value` a line, what engage must answer:
///
/// - `operation`: the operation the request is sent to;
/// - `code`: the error code (`__type`, `err.code`); alternatives are separated by `|`;
/// - `field`: a field path the error list must name; `message`: words the message must contain;
/// - `lua-code`, `lua-field`, `lua-message`: what differs when the request is a Lua table (`LuaError` is an
///   error raised as a plain string rather than an error value);
/// - `lua: skip: why`: the request cannot be written as a Lua table (text that is not JSON, a list…).
///
/// The bytes may hold placeholders for what the prepared store holds: `{{ENGAGEMENT_ID}}`,
/// `{{ENGAGEMENT_ARN}}`, `{{MODIFIED_AT}}` (its current ModifiedAt) and `{{AWS_ENGAGEMENT_ARN}}` (an engagement
/// of the other catalog). Context "1" of the engagement is a Lead, context "2" a CustomerProject.
struct MalformedRequest: CustomStringConvertible {
    let name: String
    let body: Data
    let operation: String
    let expected: Expectation
    let lua: Expectation?
    let luaSkipReason: String?

    /// What an error must be to pass.
    struct Expectation {
        let codes: [String]
        let field: String?
        let message: String?

        /// Nil when the error matches, else what was wrong.
        func mismatch(code: String, fields: [String], message text: String) -> String? {
            var problems: [String] = []
            if !codes.contains(code) { problems.append("code \(code), expected \(codes.joined(separator: " or "))") }
            if let field, !fields.contains(field) { problems.append("fields \(fields), expected \(field)") }
            if let message, !text.contains(message) { problems.append("message \"\(text.prefix(300))\", expected it to contain \"\(message)\"") }
            return problems.isEmpty ? nil : problems.joined(separator: "; ")
        }
    }

    var description: String { "\(name) (\(operation))" }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed-requests")

    /// Every case, by name.
    static func all() throws -> [MalformedRequest] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".expect") }.map { String($0.dropLast(".expect".count)) }.sorted()
        return try names.map(load)
    }

    private static func load(_ name: String) throws -> MalformedRequest {
        let text = try String(contentsOf: folder.appendingPathComponent(name + ".expect"), encoding: .utf8)
        var keys: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { throw CorpusError("\(name).expect: '\(line)' is not 'key: value'") }
            keys[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let operation = keys["operation"], let code = keys["code"] else { throw CorpusError("\(name).expect needs operation and code") }
        let expected = Expectation(codes: code.split(separator: "|").map(String.init), field: keys["field"], message: keys["message"])
        let luaSkip = keys["lua"].flatMap { $0.hasPrefix("skip") ? $0 : nil }
        let lua = luaSkip != nil ? nil : Expectation(
            codes: keys["lua-code"].map { $0.split(separator: "|").map(String.init) } ?? expected.codes,
            field: keys["lua-code"] == nil ? keys["lua-field"] ?? expected.field : keys["lua-field"],
            message: keys["lua-code"] == nil ? keys["lua-message"] ?? expected.message : keys["lua-message"]
        )
        return MalformedRequest(name: name, body: try Data(contentsOf: folder.appendingPathComponent(name + ".json")),
                                operation: operation, expected: expected, lua: lua, luaSkipReason: luaSkip)
    }

    /// The body with each `{{NAME}}` replaced by its value.
    func body(filling values: [String: String]) -> Data {
        var body = body
        for (name, value) in values {
            let placeholder = Data("{{\(name)}}".utf8)
            while let range = body.range(of: placeholder) { body.replaceSubrange(range, with: Data(value.utf8)) }
        }
        return body
    }
}

struct CorpusError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A sandbox store holding what the corpus refers to, and its content as text for comparing.
struct CorpusStore {
    let folder: URL
    let placeholders: [String: String]
    /// The content of every table, as `sqlite3 .dump` prints it.
    let content: String

    var path: String { folder.appendingPathComponent("pristine.sqlite").path }

    /// Creates an engagement with a Lead context ("1") and a CustomerProject context ("2") in the Sandbox
    /// catalog and one engagement in the AWS catalog, through `engage call`.
    init(in folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("pristine.sqlite").path
        func call(_ operation: String, _ request: String, catalog: String = "Sandbox") throws -> JSONValue {
            let result = try runEngage(["call", operation, request, "--store", store, "--catalog", catalog])
            guard result.status == 0 else { throw CorpusError("preparing the store: \(operation) failed: \(result.stderr)") }
            return try JSONValue(parsing: result.stdout)
        }
        let engagement = try call("CreateEngagement", #"{"Title": "Corpus", "Description": "What the malformed requests refer to"}"#)
        let id = engagement["Id"]?.stringValue ?? ""
        _ = try call("CreateEngagementContext", #"""
            {"EngagementIdentifier": "\#(id)", "Type": "Lead", "Payload": {"Lead": {
              "Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}},
              "Interactions": [{"SourceType": "Event", "SourceId": "e1", "SourceName": "Summit", "CustomerAction": "Asked for a demo",
                "Contact": {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}}]}}}
            """#)
        _ = try call("CreateEngagementContext", #"""
            {"EngagementIdentifier": "\#(id)", "Type": "CustomerProject", "Payload": {"CustomerProject": {
              "Customer": {"Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example", "CountryCode": "US"},
              "Project": {"Title": "Data lake", "BusinessProblem": "Reports take a day to run on the old warehouse.", "TargetCompletionDate": "2026-03-31"}}}}
            """#)
        let modifiedAt = try call("GetEngagement", #"{"Identifier": "\#(id)"}"#)["ModifiedAt"]?.stringValue ?? ""
        let other = try call("CreateEngagement", #"{"Title": "Other catalog", "Description": "x"}"#, catalog: "AWS")
        placeholders = [
            "ENGAGEMENT_ID": id, "ENGAGEMENT_ARN": engagement["Arn"]?.stringValue ?? "", "MODIFIED_AT": modifiedAt,
            "AWS_ENGAGEMENT_ARN": other["Arn"]?.stringValue ?? "",
        ]
        content = try Self.content(of: store)
    }

    /// A fresh copy of the prepared store for one case, so a case that writes cannot disturb the next.
    func copy(named name: String) throws -> String {
        let copy = folder.appendingPathComponent("\(name).sqlite").path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try? FileManager.default.removeItem(atPath: copy + suffix)
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
        return copy
    }

    /// Removes a case's copy.
    func remove(_ copy: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
    }

    /// Every table's rows as SQL text: equal content gives equal text, whatever the WAL holds.
    static func content(of store: String) throws -> String {
        let dump = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, ".dump"])
        guard dump.status == 0 else { throw CorpusError("sqlite3 (needed to compare stores) could not dump \(store): \(dump.stderr)") }
        return dump.stdout
    }
}

/// Writes a JSON text as a Lua table constructor, keeping every byte of its strings: bytes are written as
/// `\ddd` escapes, `\u` escapes become the bytes Lua's `\u{...}` would make (lone surrogates included),
/// integers past Int64 keep their digits (Lua reads them as floats), `NaN` and `Infinity` become `0/0` and
/// `math.huge`. Nil when the text is not a value Lua can write.
struct LuaTableWriter {
    private let bytes: [UInt8]
    private var index = 0
    private var lua: [UInt8] = []

    static func constructor(for json: Data) -> String? {
        var writer = LuaTableWriter(bytes: Array(json))
        guard writer.value(), writer.skipSpace() == nil else { return nil }
        return String(decoding: writer.lua, as: UTF8.self)
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    @discardableResult
    private mutating func skipSpace() -> UInt8? {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func emit(_ text: String) { lua.append(contentsOf: text.utf8) }

    private mutating func take(_ word: String) -> Bool {
        let word = Array(word.utf8)
        guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word else { return false }
        index += word.count
        return true
    }

    private mutating func value() -> Bool {
        switch skipSpace() {
        case UInt8(ascii: "{"):
            index += 1
            emit("{")
            if skipSpace() == UInt8(ascii: "}") { index += 1; emit("}"); return true }
            while true {
                guard skipSpace() == UInt8(ascii: "\"") else { return false }
                emit("[")
                guard string() else { return false }
                emit("]=")
                guard skipSpace() == UInt8(ascii: ":") else { return false }
                index += 1
                guard value() else { return false }
                switch skipSpace() {
                case UInt8(ascii: ","): index += 1; emit(",")
                case UInt8(ascii: "}"): index += 1; emit("}"); return true
                default: return false
                }
            }
        case UInt8(ascii: "["):
            index += 1
            emit("{")
            if skipSpace() == UInt8(ascii: "]") { index += 1; emit("}"); return true }
            while true {
                guard value() else { return false }
                switch skipSpace() {
                case UInt8(ascii: ","): index += 1; emit(",")
                case UInt8(ascii: "]"): index += 1; emit("}"); return true
                default: return false
                }
            }
        case UInt8(ascii: "\""): return string()
        case nil: return false
        default:
            for (word, luaText) in [("true", "true"), ("false", "false"), ("null", "nil"), ("NaN", "(0/0)"), ("Infinity", "math.huge"), ("-Infinity", "(-math.huge)")]
            where take(word) {
                emit(luaText)
                return true
            }
            let start = index
            while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            guard index > start else { return false }
            emit(String(decoding: bytes[start..<index], as: UTF8.self))
            return true
        }
    }

    private mutating func string() -> Bool {
        index += 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                emit("\"" + content.map { (0x20..<0x7F).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") ? String(UnicodeScalar($0)) : "\\" + String(format: "%03d", $0) }.joined() + "\"")
                return true
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return false }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "b"): content.append(0x08)
                case UInt8(ascii: "f"): content.append(0x0C)
                case UInt8(ascii: "n"): content.append(0x0A)
                case UInt8(ascii: "r"): content.append(0x0D)
                case UInt8(ascii: "t"): content.append(0x09)
                case UInt8(ascii: "u"):
                    guard var unit = hex4() else { return false }
                    if (0xD800..<0xDC00).contains(unit), take("\\u") {
                        guard let low = hex4() else { return false }
                        if (0xDC00..<0xE000).contains(low) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            content += Self.utf8(unit)
                            unit = low
                        }
                    }
                    content += Self.utf8(unit)
                default: content.append(escape)
                }
            default: content.append(byte)
            }
        }
        return false
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
        index += 4
        return value
    }

    /// UTF-8 as Lua's `\u{...}` writes it, which encodes surrogate code points too.
    private static func utf8(_ value: UInt32) -> [UInt8] {
        switch value {
        case ..<0x80: [UInt8(value)]
        case ..<0x800: [UInt8(0xC0 | value >> 6), UInt8(0x80 | value & 0x3F)]
        case ..<0x10000: [UInt8(0xE0 | value >> 12), UInt8(0x80 | value >> 6 & 0x3F), UInt8(0x80 | value & 0x3F)]
        default: [UInt8(0xF0 | value >> 18), UInt8(0x80 | value >> 12 & 0x3F), UInt8(0x80 | value >> 6 & 0x3F), UInt8(0x80 | value & 0x3F)]
        }
    }
}
