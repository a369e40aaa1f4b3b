import Foundation
import OrderedJSON
import Testing

/// `engage call` against a sandbox store in a fresh temporary folder.
@Suite struct CallCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-call-\(UUID().uuidString)")
    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }

    func call(_ arguments: String..., input: String? = nil) throws -> CommandResult {
        try runEngage(["call"] + arguments + ["--store", store], input: input)
    }

    func createEngagement(_ title: String = "Acme") throws -> String {
        let result = try call("CreateEngagement", #"{"Title": "\#(title)", "Description": "Pilot"}"#)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout)["Id"]?.stringValue ?? ""
    }

    @Test func createThenGetPrintsTheResponses() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement()
        #expect(id.hasPrefix("eng-"))
        let got = try call("GetEngagement", #"{"Identifier": "\#(id)"}"#)
        #expect(got.status == 0)
        let document = try JSONValue(parsing: got.stdout)
        #expect(document["Title"] == "Acme")
        #expect(document["Arn"]?.stringValue?.contains(":catalog/Sandbox/engagement/\(id)") == true)
    }

    @Test func aMissingClientTokenIsFilledInFreshEachCall() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try createEngagement()
        let second = try createEngagement()
        #expect(first != second)
        let listed = try JSONValue(parsing: try call("ListEngagements").stdout)
        #expect(listed["EngagementSummaryList"]?.arrayValue?.count == 2)
    }

    @Test func requestsComeFromAFileOrStandardInput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement()
        let file = folder.appendingPathComponent("get.json")
        try Data(#"{"Identifier": "\#(id)"}"#.utf8).write(to: file)
        #expect(try call("GetEngagement", "@\(file.path)").status == 0)
        let piped = try call("GetEngagement", "-", input: #"{"Identifier": "\#(id)"}"#)
        #expect(piped.status == 0)
        #expect(try JSONValue(parsing: piped.stdout)["Id"] == .string(id))
    }

    @Test func optionsMayComeBeforeTheOperation() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["call", "--store", store, "--catalog", "AWS", "CreateEngagement", #"{"Title": "A", "Description": "B"}"#])
        #expect(result.status == 0)
        #expect(result.stdout.contains(":catalog/AWS/engagement/"))
        #expect(try JSONValue(parsing: try call("ListEngagements").stdout)["EngagementSummaryList"]?.arrayValue?.isEmpty == true)
    }

    @Test func anInvalidRequestExitsOneNamingEachField() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("CreateEngagement", #"{"Title": "", "Descripton": "typo"}"#)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("ValidationException (REQUEST_VALIDATION_FAILED): 3 problems"))
        #expect(result.stderr.contains("Descripton: unknown field 'Descripton' in CreateEngagementRequest (did you mean 'Description'?)"))
        #expect(result.stderr.contains("Title: must be 1 to 40 characters, got 0"))
        #expect(result.stderr.contains("Description: required field 'Description'"))
    }

    @Test func jsonOutputPrintsTheServiceErrorDocumentOnStderr() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("GetEngagement", #"{"Identifier": "eng-00000000000000"}"#, "--output", "json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let document = try JSONValue(parsing: result.stderr)
        #expect(document["__type"] == "ResourceNotFoundException")
        #expect(document["message"]?.stringValue?.contains("eng-00000000000000") == true)
    }

    @Test func malformedJSONSaysWhere() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("CreateEngagement", #"{"Title": "A",}"#)
        #expect(result.status == 1)
        #expect(result.stderr.contains("not valid JSON: JSON line 1, column 15"))
    }

    @Test func anUnknownOperationSuggestsTheNearest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("GetEngagment", "{}")
        #expect(result.status == 1)
        #expect(result.stderr.contains("did you mean 'GetEngagement'?"))
        #expect(try call("get-engagement", #"{"Identifier": "eng-00000000000000"}"#).stderr.contains("ResourceNotFoundException"))
    }

    @Test func theDefaultStoreLivesUnderXDGDataHome() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["call", "CreateEngagement", #"{"Title": "A", "Description": "B"}"#], environment: ["XDG_DATA_HOME": folder.path])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("engage/sandbox.sqlite").path))
    }
}
