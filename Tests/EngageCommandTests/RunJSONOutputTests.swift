import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// With `--output json`, standard output carries exactly one JSON document whatever the run did: wrote to
/// io.stdout, called os.exit, returned what JSON cannot hold, or named no recipe at all.
@Suite(.tags(.process)) struct RunJSONOutputTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-run-json-\(UUID().uuidString)")

    func recipe(_ body: String) throws -> String {
        try file("r.lua", "return recipe{ description = \"A test recipe\", run = function(p)\n\(body)\nend }\n")
    }

    /// The one document on standard output; a failure when there is none, or anything besides it.
    func document(_ result: CommandResult) throws -> JSONValue {
        try JSONValue(parsing: result.stdout)
    }

    @Test func aResultJSONCannotHoldIsAnErrorNamingThePathToTheValue() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try recipe("return { name = 'x', callback = function() end }")
        let json = try runEngage(["run", path, "--output", "json", "--store", store])
        #expect(json.status == 1)
        let parsed = try document(json)
        #expect(parsed["ok"] == false)
        #expect(parsed["error"] == "result.callback: a function cannot be written as JSON")
        #expect(parsed["result"] == nil || parsed["result"] == .null)
        let text = try runEngage(["run", path, "--store", store])
        #expect(text.status == 1)
        #expect(text.stdout == "")
        #expect(text.stderr.contains("result.callback: a function cannot be written as JSON"), "\(text.stderr)")
    }

    @Test func ioWriteAndIoStdoutGoToStandardErrorInJSONMode() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try recipe("io.write('written ') io.stdout:write('to stdout ') io.output():write('and output\\n') os.execute('echo from a child') return 7")
        let result = try runEngage(["run", path, "--output", "json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try document(result)["result"] == 7, "\(result.stdout)")
        #expect(result.stderr.contains("written to stdout and output\n"), "\(result.stderr)")
        #expect(result.stderr.contains("from a child\n"), "\(result.stderr)")
        let script = try file("plain.lua", "io.write('plain ') print('printed') return 1")
        let plain = try runEngage(["run", script, "--output", "json", "--store", store])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try document(plain)["result"] == 1, "\(plain.stdout)")
        #expect(plain.stderr.contains("plain printed\n"), "\(plain.stderr)")
    }

    @Test func osExitStillPrintsOneDocumentWithTheExitCode() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let failing = try recipe("io.write('before exit') os.exit(3)")
        let result = try runEngage(["run", failing, "--output", "json", "--store", store])
        #expect(result.status == 3)
        let parsed = try document(result)
        #expect(parsed["ok"] == false)
        #expect(parsed["exitCode"] == 3)
        #expect(parsed["error"] == "the recipe called os.exit(3)")
        #expect(result.stderr.contains("before exit"))
        let succeeding = try file("plain.lua", "create_engagement{ Title = 'T', Description = 'D' } os.exit(true)")
        let plain = try runEngage(["run", succeeding, "--output", "json", "--store", store])
        #expect(plain.status == 0, "\(plain.stderr)")
        let plainDocument = try document(plain)
        #expect(plainDocument["ok"] == true)
        #expect(plainDocument["exitCode"] == 0)
        #expect(plainDocument["calls"]?.arrayValue?.count == 1, "\(plain.stdout)")
    }

    @Test func noRecipeOrAnUnknownOneIsAJSONErrorDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let none = try runEngage(["run", "--output", "json"])
        #expect(none.status != 0)
        let noneDocument = try document(none)
        #expect(noneDocument["ok"] == false)
        #expect(noneDocument["error"]?.stringValue?.contains("file") == true, "\(none.stdout)")
        let unknown = try runEngage(["run", "nosuch-recipe", "--output", "json"])
        #expect(unknown.status == 2)
        let unknownDocument = try document(unknown)
        #expect(unknownDocument["ok"] == false)
        #expect(unknownDocument["error"]?.stringValue?.hasPrefix("no recipe or file 'nosuch-recipe'") == true, "\(unknown.stdout)")
        #expect(unknown.stderr.isEmpty, "\(unknown.stderr)")
    }
}
