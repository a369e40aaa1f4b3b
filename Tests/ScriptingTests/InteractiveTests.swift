import Core
import Sandbox
import Foundation
import Scripting
import Testing

/// The engine as the REPL drives it: lua.c's evaluation rules, errors that keep the session, facts for
/// completion, help from the model.
@Suite(.tags(.unit)) struct InteractiveTests {
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

    @Test func completionAsksForGlobalsFieldsAndEngagementIdsSeen() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        _ = await fixture.engine.evaluate("e = create_engagement{ Title = 'T', Description = 'D' }")
        let id = try #require(await fixture.engine.evaluate("e.Id").snapshotText)
        let engine = fixture.engine
        #expect(engine.globalNames(startingWith: "create_con") == ["create_context"])
        #expect(engine.globalNames(startingWith: "").contains("e"))
        #expect(engine.fieldNames(of: ["e"], startingWith: "")?.sorted() == ["Arn", "Id", "ModifiedAt"])
        #expect(engine.fieldNames(of: ["e"], startingWith: "mod") == ["ModifiedAt"])
        #expect(engine.fieldNames(of: ["string"], startingWith: "for") == ["format"])
        #expect(engine.fieldNames(of: ["json"], startingWith: "en") == ["encode"])
        #expect(engine.fieldNames(of: ["e", "Id"], startingWith: "") == nil)
        #expect(engine.engagementIdsSeen() == [id])
    }

    /// What the sandbox's controls answer carries ids too: an invitation AWS sent is offered for the accept.
    @Test func idsTheSandboxsControlsAnswerAreOfferedForCompletion() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-script-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sandbox = try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path)
        let engine = ScriptEngine(service: sandbox, sandbox: .controls(sandbox))
        _ = await engine.evaluate("i = sandbox.invite()")
        let id = try #require(await engine.evaluate("i.Id").snapshotText)
        #expect(engine.idsSeen().contains(id))
    }

    @Test func completionSeesEveryKeyOfABigTable() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        _ = await fixture.engine.evaluate("big = {} for i = 1, 20000 do big['key' .. i] = i end")
        let keys = try #require(fixture.engine.fieldNames(of: ["big"], startingWith: "key999"))
        #expect(keys.sorted() == ["key999"] + (0...9).map { "key999\($0)" })
        #expect(fixture.engine.fieldNames(of: ["big"], startingWith: "")?.count == 20000)
    }

    @Test(arguments: [
        ("error({code = 1})", "(error object is a table value)"),
        ("error(42)", "42"),
        ("error(4.5)", "4.5"),
        ("error(2^63)", "9.2233720368548e+18"),
        ("error()", "(error object is a nil value)"),
        ("error(true)", "(error object is a boolean value)"),
        ("error(setmetatable({}, { __tostring = function() return 'custom text' end }))", "custom text"),
        ("error(setmetatable({}, { __tostring = function() return 7 end }))", "(error object is a table value)"),
        ("error('plain', 0)", "plain"),
    ])
    func anErrorValuePrintsAsLuaDoes(chunk: String, expected: String) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        #expect(await fixture.engine.evaluate(chunk) == .failed(expected))
    }

    @Test func builderResultsCarryTheirLabel() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        guard case .values(let values) = await fixture.engine.evaluate("AddressSummary{ CountryCode = 'US' }"), case .table(let label, _, _)? = values.first else {
            Issue.record("no table"); return
        }
        #expect(label == "AddressSummary")
    }
}

extension ScriptEngine.Evaluation {
    /// The first value when it is a string, for tests.
    var snapshotText: String? {
        guard case .values(let values) = self, case .string(let bytes)? = values.first else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
