import EngageTestSupport
import Foundation
import Testing

/// Lua code that used to kill engage (a Swift trap or a bad pointer) run through the real binary: each
/// must end in an error the script catches, and the script must go on to its next line.
@Suite(.tags(.process)) struct LuaCrashTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-crash-\(UUID().uuidString)")
    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }

    @Test(arguments: [
        (#"json.encode{ ["\u{E9}"] = 1, ["e\u{301}"] = 2 }"#, "different Unicode forms"),
        (#"json.encode{ ["\xff"] = 1, ["\xfe"] = 2 }"#, "not valid UTF-8"),
        (#"LeadCustomer{ ["\u{E9}"] = 1, ["e\u{301}"] = 2 }"#, "different Unicode forms"),
        (#"create_engagement{ Title = "T", Description = "D", ["\xff"] = 1, ["\xfe"] = 2 }"#, "not valid UTF-8"),
        (#"local t = {} for i = 1, 999950 do t[i] = i end json.decode(string.rep("[", 40) .. string.rep("]", 40), table.unpack(t))"#, "stack overflow"),
        ("debug.setupvalue(uuid, 1, io.stdout) uuid()", "debug.setupvalue"),
        ("debug.setupvalue(json.encode, 1, 'x') json.encode({})", "debug.setupvalue"),
    ])
    func aFormerCrashIsAnErrorTheScriptCatches(statement: String, expected: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = """
            local ok, err = pcall(function() \(statement) end)
            print(ok, tostring(err):find("\(expected)", 1, true) ~= nil)
            print(json.decode("[1,2]")[2], #now())
            """
        let result = try runEngage(["run", "-", "--store", store], input: script)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "false\ttrue\n2\t27\n", "\(result.stdout)\(result.stderr)")
    }
}
