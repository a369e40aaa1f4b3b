import Core
import Foundation
import Sandbox
@testable import Scripting
import Testing

/// The sandbox, recording every request that reaches the service, so a test can see exactly what a Lua
/// value became and that a refused request was never sent.
final class RecordingService: EngagementService, @unchecked Sendable {
    private let sandbox: SandboxService
    private let lock = NSLock()
    private var recorded: [String] = []

    init(_ sandbox: SandboxService) { self.sandbox = sandbox }

    /// The titles and descriptions of the CreateEngagement requests that arrived, in order.
    var created: [String] { lock.withLock { recorded } }

    func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        if let create = request.request as? CreateEngagementRequest {
            lock.withLock { recorded += [create.title, create.description] }
        }
        return try await sandbox.call(request)
    }
}

/// Lua strings are bytes: they reach the service with every byte, and what is not UTF-8 is refused there.
@Suite(.tags(.unit)) struct ValueBridgeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-bridge-\(UUID().uuidString)")

    func engine() throws -> (ScriptEngine, RecordingService) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let service = RecordingService(try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path))
        return (ScriptEngine(service: service), service)
    }

    func run(_ engine: ScriptEngine, _ source: String) async -> ScriptEngine.Outcome {
        await engine.run(source, chunkName: "@test.lua", scriptName: "test.lua")
    }

    @Test func nulInATitleReachesTheServiceWithEveryByte() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, service) = try engine()
        let outcome = await run(engine, #"create_engagement{ Title = "a\0b", Description = "tab\tand\0nul" } return 1"#)
        #expect(outcome == .returned([1]))
        #expect(service.created == ["a\u{0}b", "tab\tand\u{0}nul"])
    }

    @Test(arguments: [
        (#"create_engagement{ Title = "T", Description = "caf\xe9" }"#, "Description", "byte 4 is 0xE9"),
        (#"create_engagement{ Title = "\xff", Description = "D" }"#, "Title", "byte 1 is 0xFF"),
        (#"create_engagement{ Title = "T", Description = "D", ["caf\xe9"] = "x" }"#, "caf\\xE9", "byte 4 is 0xE9"),
        (#"create_context{ EngagementIdentifier = "eng-00000000000000", Type = "Lead", Payload = { Lead = { Customer = { CompanyName = "Ac\xc3me" } } } }"#,
         "Payload.Lead.Customer.CompanyName", "byte 3 is 0xC3"),
        (#"create_context{ EngagementIdentifier = "eng-00000000000000", Type = "Lead", Payload = { Lead = { Interactions = { {}, { SourceName = "\xed\xa0\x80" } } } } }"#,
         "Payload.Lead.Interactions[1].SourceName", "byte 1 is 0xED"),
        (#"get_engagement("eng-\xff")"#, "Identifier", "byte 5 is 0xFF"),
        (#"LeadCustomer{ CompanyName = "caf\xe9" }"#, "CompanyName", "byte 4 is 0xE9"),
    ])
    func invalidUTF8IsASerializationExceptionNamingTheFieldAndNothingIsSent(call: String, field: String, detail: String) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, service) = try engine()
        let outcome = await run(engine, """
            local ok, err = pcall(function() return \(call) end)
            return ok, err.code, err.fields[1].FieldName, err.fields[1].Code, tostring(err)
            """)
        guard case .returned(let values) = outcome, values.count == 5 else {
            Issue.record("\(outcome)")
            return
        }
        #expect(values[0] == false)
        #expect(values[1] == "SerializationException")
        #expect(values[2] == .string(field))
        #expect(values[3] == "INVALID_STRING_FORMAT")
        let text = values[4].stringValue ?? ""
        #expect(text.hasPrefix("test.lua:1: SerializationException: ") && text.contains("not valid UTF-8") && text.contains(detail), "\(text)")
        #expect(service.created.isEmpty, "nothing reached the service")
        #expect(await run(engine, "return list_engagements().EngagementSummaryList[1] == nil") == .returned([true]), "nothing was written")
    }

    /// Keys that Swift's String considers equal used to crash (a duplicate key in OrderedDictionary); the error
    /// names both spellings, the shorter first.
    @Test(arguments: [
        (#"json.encode{ ["\u{E9}"] = 1, ["e\u{301}"] = 2 }"#, "json.encode: cannot encode"),
        (#"create_engagement{ Title = "T", Description = "D", ["\u{E9}"] = 1, ["e\u{301}"] = 2 }"#, "SerializationException: cannot send"),
        (#"LeadCustomer{ ["\u{E9}"] = 1, ["e\u{301}"] = 2 }"#, "SerializationException: cannot send"),
        (#"append_interaction("eng-00000000000000", "1", { ["\u{E9}"] = 1, ["e\u{301}"] = 2 })"#, "SerializationException: cannot send"),
    ])
    func canonicallyEquivalentKeysAreAnErrorNamingBothKeys(call: String, refusal: String) async throws {
        let text = try await errorRaised(by: call)
        #expect(text == "test.lua:1: \(refusal) two keys that are the same text in different Unicode forms: \"é\" (U+00E9) and \"é\" (U+0065 U+0301); write the key once, in one form")
    }

    /// Two keys that are not UTF-8 used to crash the same way; the error names the first one met, whichever
    /// Lua's table order gives.
    @Test(arguments: [
        (#"json.encode{ x = { ["\xff"] = 1, ["\xfe"] = 2 } }"#, "json.encode: cannot encode", "x."),
        (#"create_engagement{ Title = "T", Description = "D", ["\xff"] = 1, ["\xfe"] = 2 }"#, "SerializationException: cannot send", ""),
        (#"LeadCustomer{ Address = { ["\xff"] = 1, ["\xfe"] = 2 } }"#, "SerializationException: cannot send", "Address."),
    ])
    func keysThatAreNotUTF8AreAnErrorNamingTheKey(call: String, refusal: String, path: String) async throws {
        let text = try await errorRaised(by: call)
        let named = ["FF", "FE"].map { "test.lua:1: \(refusal) a key that is not valid UTF-8 at \(path)\\x\($0): byte 1 is 0x\($0)" }
        #expect(named.contains(text), "\(text)")
    }

    /// The message `call` raises, checking that it raised one and that the state still works afterwards.
    private func errorRaised(by call: String) async throws -> String {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, "local ok, err = pcall(function() return \(call) end) return ok, tostring(err)")
        #expect(await run(engine, "return 1 + 1") == .returned([2]), "the state still works")
        guard case .returned(let values) = outcome, values.count == 2, values[0] == false, let text = values[1].stringValue else {
            Issue.record("\(call) raised no error: \(outcome)")
            return ""
        }
        return text
    }

    @Test func canonicallyEquivalentKeysNameBothSpellings() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, #"return select(2, pcall(json.encode, { a = { ["\u{E9}"] = 1, ["e\u{301}"] = 2 } }))"#)
        #expect(outcome == .returned([
            "json.encode: cannot encode two keys that are the same text in different Unicode forms at a: \"é\" (U+00E9) and \"é\" (U+0065 U+0301); write the key once, in one form",
        ]))
    }

    /// A nearly full Lua stack used to fail a precondition in Swift; now it is a Lua error pcall catches.
    @Test(arguments: [
        #"json.decode(string.rep("[", 40) .. string.rep("]", 40), table.unpack(filler))"#,
        #"json.encode(nested, table.unpack(filler))"#,
        #"create_engagement(nested, table.unpack(filler))"#,
    ])
    func aNearlyFullStackIsAStackOverflowError(call: String) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, """
            filler = {}
            for i = 1, 999950 do filler[i] = i end
            nested = {}
            local t = nested
            for i = 1, 40 do t.x = {}; t = t.x end
            local ok, err = pcall(function() return \(call) end)
            filler = nil
            return ok, tostring(err)
            """)
        guard case .returned(let values) = outcome, values.count == 2 else {
            Issue.record("\(outcome)")
            return
        }
        #expect(values[0] == false)
        #expect(values[1].stringValue?.contains("stack overflow") == true, "\(values[1])")
        #expect(await run(engine, "return json.encode(json.decode('[[1]]'))") == .returned(["[[1]]"]), "the state still works")
    }

    @Test func deepLuaRecursionAroundJSONDecodeIsAStackOverflowError() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, """
            local text = "[[1]]"
            local function dive(n) local v = json.decode(text) return dive(n + 1) + (v and 0) end
            local ok, err = pcall(dive, 1)
            return ok, tostring(err):find("stack overflow", 1, true) ~= nil
            """)
        #expect(outcome == .returned([false, true]))
        #expect(await run(engine, "return 1 + 1") == .returned([2]), "the state still works")
    }

    /// The bound functions' C pointers live where Lua code cannot replace them.
    @Test(arguments: [
        "debug.setupvalue(uuid, 1, io.stdout); return uuid()",
        "debug.setupvalue(json.encode, 1, 'x'); return json.encode({})",
        "debug.setupvalue(create_engagement, 1, 1 << 40); return create_engagement{}",
        "debug.setupvalue(getmetatable(LeadCustomer{}).__tostring, 1, {}); return tostring(LeadCustomer{})",
    ])
    func replacingABindingsUpvalueIsAnErrorNotACrash(source: String) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, "local ok, err = pcall(function() \(source) end) return ok, tostring(err)")
        guard case .returned(let values) = outcome, values.count == 2 else {
            Issue.record("\(outcome)")
            return
        }
        #expect(values[0] == false)
        #expect(values[1].stringValue?.contains("debug.setupvalue") == true, "\(values[1])")
        #expect(await run(engine, "return type(now()), json.decode('[7]')[1]") == .returned(["string", 7]), "the other bindings still work")
    }

    @Test func aBindingHasNoUpvalueThatBreaksItSilently() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        let outcome = await run(engine, "local name = debug.setupvalue(json.encode, 2, nil) return name == nil, json.encode({1, 2})")
        #expect(outcome == .returned([true, "[1,2]"]))
    }

    @Test func aScriptWithANulByteRunsToTheEnd() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, _) = try engine()
        #expect(await run(engine, "local s = '\u{0}' return #s, 'after'") == .returned([1, "after"]))
    }
}

/// Running out of Lua memory while a binding builds its result is a Lua error, not a longjmp through Swift.
@Suite(.tags(.unit)) struct LuaMemoryTests {
    @Test(arguments: [
        "json.decode(text)",
        "json.encode(json.decode(text))",
        "read_json(path)",
    ])
    func runningOutOfMemoryInABindingIsAnErrorAndTheStateRecovers(call: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "[" + Array(repeating: #"{"a":[1,2,3],"b":"text"}"#, count: 20_000).joined(separator: ",") + "]"
        let path = folder.appendingPathComponent("big.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let state = LuaState()
        let bridge = Bridge(service: try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path), catalog: "Sandbox", state: state)
        bridge.registerGlobals()
        #expect(state.run("text, path = ...", name: "=setup", arguments: [text, path]) == .returned([]))
        state.limitMemory(toMore: 256 << 10)
        let outcome = state.run("local ok, err = pcall(function() return \(call) end) return ok, err", name: "=test")
        state.limitMemory(toMore: nil)
        #expect(outcome == .returned([false, "not enough memory"]))
        #expect(state.run("return #json.decode(text)", name: "=after") == .returned([20_000]), "the state works once memory is back")
    }
}
