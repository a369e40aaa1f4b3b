import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Every case of the malformed-request corpus is refused with an error naming the problem, without a crash,
/// and leaves the store's content as it was: once through `engage call`, once through Lua's operations.
@Suite(.tags(.process)) struct MalformedRequestCorpusTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-corpus-\(UUID().uuidString)")

    @Test func theCorpusHasAtLeastAHundredCases() throws {
        #expect(try MalformedRequest.all().count >= 100)
    }

    @Test func engageCallRefusesEveryCaseAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CorpusStore(in: folder)
        for request in try MalformedRequest.all() {
            let copy = try store.copy(named: request.name)
            defer { store.remove(copy) }
            let file = folder.appendingPathComponent(request.name + ".json")
            try request.body(filling: store.placeholders).write(to: file)
            let result = try runEngage(["call", request.operation, "@" + file.path, "--store", copy, "--output", "json"])
            if let problem = Self.problem(with: result, expecting: request.expected) {
                Issue.record("\(request.name).json via engage call: \(problem)")
            }
            if try CorpusStore.content(of: copy) != store.content {
                Issue.record("\(request.name).json via engage call: the store changed")
            }
        }
    }

    @Test func luaOperationsRefuseEveryCaseThatIsATableAndWriteNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try CorpusStore(in: folder)
        for request in try MalformedRequest.all() {
            guard let expected = request.lua else { continue }
            guard let table = LuaTableWriter.constructor(for: request.body(filling: store.placeholders)) else {
                Issue.record("\(request.name).json cannot be written as a Lua table: mark it 'lua: skip: why' in \(request.name).expect")
                continue
            }
            let copy = try store.copy(named: request.name)
            defer { store.remove(copy) }
            let result = try runEngage(["run", "-", "--store", copy], input: Self.script(calling: request.operation, with: table))
            if let problem = Self.problem(withLua: result, expecting: expected) {
                Issue.record("\(request.name).json via Lua: \(problem)")
            }
            if try CorpusStore.content(of: copy) != store.content {
                Issue.record("\(request.name).json via Lua: the store changed")
            }
        }
    }

    /// What is wrong with `engage call`'s answer, or nil: it must exit 1 by itself, print nothing on stdout
    /// and one error document on stderr that matches the expectation.
    static func problem(with result: CommandResult, expecting expected: MalformedRequest.Expectation) -> String? {
        if result.crashed { return "crashed (status \(result.status)): \(result.stderr.suffix(500))" }
        guard result.status == 1 else { return "exit status \(result.status), expected 1: \(result.stdout.prefix(300))\(result.stderr.prefix(300))" }
        guard result.stdout.isEmpty else { return "printed on stdout: \(result.stdout.prefix(300))" }
        guard let document = try? JSONValue(parsing: result.stderr), case .object = document else {
            return "stderr is not one error document: \(result.stderr.prefix(300))"
        }
        let fields = document["ErrorList"]?.arrayValue?.compactMap { $0["FieldName"]?.stringValue } ?? []
        return expected.mismatch(code: document["__type"]?.stringValue ?? "(no __type)", fields: fields, message: document["Message"]?.stringValue ?? "")
    }

    /// A script that calls the operation under `pcall` and prints what came back, one `KEY value` a line.
    static func script(calling operation: String, with table: String) -> String {
        let function = ["CreateEngagement": "create_engagement", "GetEngagement": "get_engagement", "ListEngagements": "list_engagements",
                        "CreateEngagementContext": "create_context", "UpdateEngagementContext": "update_context"][operation] ?? operation
        return """
            local ok, err = pcall(\(function), \(table))
            if ok then io.write("ACCEPTED\\n") return end
            if type(err) ~= "table" then io.write("CODE LuaError\\nMESSAGE ", tostring(err), "\\n") return end
            io.write("CODE ", tostring(err.code), "\\n")
            for _, field in ipairs(err.fields or {}) do io.write("FIELD ", tostring(field.FieldName), "\\n") end
            io.write("MESSAGE ", tostring(err.message), "\\n")
            """
    }

    /// What is wrong with the script's report, or nil.
    static func problem(withLua result: CommandResult, expecting expected: MalformedRequest.Expectation) -> String? {
        if result.crashed { return "crashed (status \(result.status)): \(result.stderr.suffix(500))" }
        guard result.status == 0 else { return "the script failed outside pcall (status \(result.status)): \(result.stderr.prefix(500))" }
        if result.stdout.hasPrefix("ACCEPTED") { return "accepted, expected \(expected.codes.joined(separator: " or "))" }
        var code = "(none)"
        var fields: [String] = []
        var message = ""
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("CODE ") { code = String(line.dropFirst(5)) }
            else if line.hasPrefix("FIELD ") { fields.append(String(line.dropFirst(6))) }
            else if line.hasPrefix("MESSAGE ") { message = String(line.dropFirst(8)) }
            else if !message.isEmpty { message += "\n" + line }
        }
        return expected.mismatch(code: code, fields: fields, message: message)
    }
}
