import Core
import Foundation
import Scripting
import Testing

/// The engine as the REPL drives it: lua.c's evaluation rules, errors that keep the session, facts for
/// completion, help from the model.
@Suite struct InteractiveTests {
    @Test func anExpressionReturnsItsValuesAndAStatementNothing() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        #expect(await fixture.engine.evaluate("6 * 7") == .values([.integer(42)]))
        #expect(await fixture.engine.evaluate("x = 1") == .values([]))
        #expect(await fixture.engine.evaluate("x, 'a'") == .values([.integer(1), .string(Array("a".utf8))]))
    }

    @Test(arguments: ["for i = 1, 3 do", "if x then", "t = {", "f(", "s = [[", "function g()"])
    func anUnfinishedChunkIsIncomplete(chunk: String) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        #expect(await fixture.engine.evaluate(chunk) == .incomplete)
    }

    @Test func anErrorNamesTheLineAndTheSessionGoesOn() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        _ = await fixture.engine.evaluate("kept = 'yes'")
        #expect(await fixture.engine.evaluate("x = = 1") == .failed("stdin:1: unexpected symbol near '='"))
        #expect(await fixture.engine.evaluate("\nerror('boom')") == .failed("stdin:2: boom"))
        guard case .failed(let message) = await fixture.engine.evaluate("create_engagement{ Title = 'T' }") else { Issue.record("no failure"); return }
        #expect(message.hasPrefix("stdin:1: ValidationException: 1 problem in the request\n  Description: required field"))
        #expect(await fixture.engine.evaluate("kept") == .values([.string(Array("yes".utf8))]))
    }

    @Test func factsListGlobalsFieldsAndEngagementIdsSeen() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        _ = await fixture.engine.evaluate("e = create_engagement{ Title = 'T', Description = 'D' }")
        let id = try #require(await fixture.engine.evaluate("e.Id").snapshotText)
        let facts = await fixture.engine.sessionFacts()
        #expect(facts.globals.contains("create_context") && facts.globals.contains("e") && facts.globals.contains("string"))
        #expect(facts.fields["e"] == ["Arn", "Id", "ModifiedAt"])
        #expect(facts.fields["string"]?.contains("format") == true)
        #expect(facts.fields["json"]?.contains("encode") == true)
        #expect(facts.engagementIds == [id])
    }

    @Test func builderResultsCarryTheirLabel() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        guard case .values(let values) = await fixture.engine.evaluate("AddressSummary{ CountryCode = 'US' }"), case .table(let label, _, _)? = values.first else {
            Issue.record("no table"); return
        }
        #expect(label == "AddressSummary")
    }

    @Test(arguments: [
        ("help()", ["Operations", "create_context", "Builders", "Enum tables", "Industry (28)", "Helpers"]),
        ("help(update_context)", ["calls UpdateEngagementContext", "EngagementLastModifiedAt  [required]", "Example:", "update_context{"]),
        ("help('UpdateEngagementContext')", ["calls UpdateEngagementContext"]),
        ("help(LeadCustomer)", ["builds a LeadCustomer", "CompanyName  [required]", "LeadCustomer{ CompanyName = \"…\", Address = AddressSummary{ CountryCode = CountryCode[\"US\"] } }"]),
        ("help(Industry)", ["Aerospace", "Wholesale and Distribution"]),
        ("help(json.encode)", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help('json.decode')", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help(json)", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help(log)", ["log(...): a line on standard error"]),
    ])
    func helpExplainsFromTheModel(call: String, expected: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-help-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try runEngageForHelp(call, store: folder.appendingPathComponent("s.sqlite").path)
        for text in expected { #expect(output.contains(text), "\(call) lacks \(text):\n\(output)") }
    }
}

extension ScriptEngine.Evaluation {
    /// The first value when it is a string, for tests.
    var snapshotText: String? {
        guard case .values(let values) = self, case .string(let bytes)? = values.first else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs `engage run -` with `source` and returns what it printed: help writes to the process's stdout.
func runEngageForHelp(_ source: String, store: String) throws -> String {
    var folder = Bundle.main.bundleURL
    while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("engage").path), folder.path != "/" { folder.deleteLastPathComponent() }
    let process = Process()
    process.executableURL = folder.appendingPathComponent("engage")
    process.arguments = ["run", "-", "--store", store]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    try input.fileHandleForWriting.write(contentsOf: Data(source.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
