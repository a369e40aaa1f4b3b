import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage call` against a sandbox store in a fresh temporary folder.
@Suite(.tags(.process, .interop)) struct CallCommandTests {
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
        _ = try createEngagement()
        let result = try call("GetEngagement", #"{"Identifier": "eng-00000000000000"}"#, "--output", "json")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let document = try JSONValue(parsing: result.stderr)
        #expect(document["__type"] == "ResourceNotFoundException")
        #expect(document["message"]?.stringValue?.contains("eng-00000000000000") == true)
        #expect(document["Message"] == document["message"])
    }

    @Test func malformedJSONSaysWhere() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("CreateEngagement", #"{"Title": "A",}"#)
        #expect(result.status == 1)
        #expect(result.stderr.contains("engage: SerializationException: the request is not valid JSON: JSON line 1, column 15"))
    }

    /// Bytes FF FE in Description, as a file, on standard input and as the argument itself.
    static let notUTF8 = Data(#"{"Title": "Acme", "Description": ""#.utf8) + Data([0xFF, 0xFE]) + Data(#""}"#.utf8)

    @Test func aRequestThatIsNotUTF8IsRefusedNamingTheFieldAndNothingIsWritten() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("latin1.json")
        try Self.notUTF8.write(to: file)
        let fromFile = try call("CreateEngagement", "@\(file.path)")
        #expect(fromFile.status == 1)
        #expect(fromFile.stderr.contains("engage: SerializationException: the request is not valid JSON: JSON line 1, column 35, at Description: the string is not valid UTF-8: byte 0xFF"), "\(fromFile.stderr)")
        let fromStandardInput = try runEngage(["call", "CreateEngagement", "-", "--store", store, "--output", "json"], bytes: Self.notUTF8)
        #expect(fromStandardInput.status == 1)
        #expect(fromStandardInput.stdout.isEmpty)
        let document = try JSONValue(parsing: fromStandardInput.stderr)
        #expect(document["__type"] == "SerializationException")
        #expect(document["Message"]?.stringValue?.contains("at Description: the string is not valid UTF-8") == true, "\(document)")
        // Foundation's Process cannot pass bytes that are not UTF-8 as an argument; the shell can.
        let shell = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", #"exec "$0" call CreateEngagement "$(cat "$1")" --store "$2""#,
                                                                   engageBinary.path, file.path, store])
        #expect(shell.status == 1)
        #expect(shell.stderr.contains("at Description: the string is not valid UTF-8: byte 0xFF"), "\(shell.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store), "nothing was written, not even an empty store")
    }

    @Test(arguments: [
        (["CreateEngagement", #"{"Title": "A",}"#], "SerializationException", "not valid JSON: JSON line 1, column 15"),
        (["CreateEngagement", "[1, 2]"], "SerializationException", "the request must be a JSON object, not an array"),
        (["CreateEngagement", #"{"Title": "\ud800", "Description": "B"}"#], "SerializationException", #"at Title: lone high surrogate \uD800"#),
        (["CreateEngagement", "@/nonexistent/request.json"], "ValidationException", "cannot read the request file /nonexistent/request.json: No such file or directory"),
        (["CreateEngagment", "{}"], "UnknownOperationException", "did you mean 'CreateEngagement'?"),
        (["CreateEngagement", #"{"Title": "A", "Description": "B"}"#, "--store", "/dev/null/sandbox.sqlite"], "InternalServerException", "cannot open the sandbox store"),
        (["CreateEngagement", "{}", "--catalog", "Marketplace"], "ValidationException", "--catalog must be AWS or Sandbox, not 'Marketplace'"),
        (["CreateEngagement", "{}", "--no-such-option"], "ValidationException", "Unknown option '--no-such-option'"),
        ([], "ValidationException", "Missing expected argument '<operation>'"),
    ])
    func everyFailureInJSONModePrintsOneErrorDocument(arguments: [String], code: String, message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["call", "--output", "json"] + arguments + (arguments.contains("--store") ? [] : ["--store", store]))
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let document = try JSONValue(parsing: result.stderr)
        #expect(document["__type"] == .string(code), "\(result.stderr)")
        #expect(document["Message"]?.stringValue?.contains(message) == true, "\(result.stderr)")
        #expect(document["message"] == document["Message"])
    }

    @Test(.enabled(if: Botocore.isAvailable)) func botocoreReadsTheModeledMessageOfAnErrorDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let failed = try call("CreateEngagement", #"{"Title": "", "Description": "B"}"#, "--output", "json")
        let parsed = try Botocore.parse(failed.stderr, of: "CreateEngagement", status: 400)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let response = try JSONValue(parsing: parsed.stdout)
        #expect(response["Error"]?["Code"] == "ValidationException")
        #expect(response["Message"]?.stringValue?.contains("Title: must be 1 to 40 characters, got 0") == true, "\(response)")
        #expect(response["Reason"] == "REQUEST_VALIDATION_FAILED")
        #expect(response["ErrorList"]?.arrayValue?.first?["FieldName"] == "Title")
    }

    @Test func impossibleTimestampsAreRefusedAndNothingIsWritten() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement()
        for date in ["2025-06-30T23:59:60Z", "0000-01-01T00:00:00Z", "2025-02-29T12:00:00Z", "0001-01-01T00:30:00+01:00"] {
            let result = try call("CreateEngagementContext", Self.leadContext(id, interactionDate: date))
            #expect(result.status == 1)
            #expect(result.stderr.contains("Payload.Lead.Interactions[0].InteractionDate: '\(date)' is not a real instant"), "\(result.stderr)")
        }
        #expect(try JSONValue(parsing: try call("GetEngagement", #"{"Identifier": "\#(id)"}"#).stdout)["Contexts"]?.arrayValue?.isEmpty == true)
    }

    @Test func clientTimestampsAreStoredInUTCAndBotocoreParsesEveryTimestampReturned() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement()
        let sent = ["2025-06-30T10:00:00+05:30": "2025-06-30T04:30:00Z", "2025-06-30t14:05:09.123456789z": "2025-06-30T14:05:09.123456789Z",
                    "9999-12-31T22:30:00-01:00": "9999-12-31T23:30:00Z", "0001-01-01T00:00:00Z": "0001-01-01T00:00:00Z"]
        for date in sent.keys.sorted() {
            #expect(try call("CreateEngagementContext", Self.leadContext(id, interactionDate: date)).status == 0)
        }
        let got = try call("GetEngagement", #"{"Identifier": "\#(id)"}"#)
        let stored = try JSONValue(parsing: got.stdout)["Contexts"]?.arrayValue?.compactMap { $0["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.first?["InteractionDate"]?.stringValue }
        #expect(stored == sent.keys.sorted().map { sent[$0]! })
        // An interaction an update appends is stored the same way.
        let modifiedAt = try #require(try JSONValue(parsing: got.stdout)["ModifiedAt"]?.stringValue)
        let update = """
            {"EngagementIdentifier": "\(id)", "ContextIdentifier": "1", "EngagementLastModifiedAt": "\(modifiedAt)", "Type": "Lead",
             "Payload": {"Lead": {"Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}},
              "Interaction": {"SourceType": "Event", "SourceId": "e2", "SourceName": "Summit", "InteractionDate": "2025-07-01T09:00:00+09:00",
                "CustomerAction": "Asked again", "Contact": {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}}}}}
            """
        #expect(try call("UpdateEngagementContext", update).status == 0)
        let updated = try JSONValue(parsing: try call("GetEngagement", #"{"Identifier": "\#(id)"}"#).stdout)
        let first = updated["Contexts"]?.arrayValue?.first { $0["Id"] == "1" }
        #expect(first?["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.compactMap { $0["InteractionDate"]?.stringValue }.last == "2025-07-01T00:00:00Z")
        guard Botocore.isAvailable else { return }
        let parsed = try Botocore.parse(got.stdout, of: "GetEngagement", status: 200)
        #expect(parsed.status == 0, "botocore could not read the response: \(parsed.stderr)")
        #expect(parsed.stdout.contains(#""InteractionDate": "2025-06-30T04:30:00+00:00""#), "\(parsed.stdout)")
    }

    /// A Lead context with one interaction dated `interactionDate`.
    static func leadContext(_ id: String, interactionDate: String) -> String {
        """
        {"EngagementIdentifier": "\(id)", "Type": "Lead", "Payload": {"Lead": {
          "Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}},
          "Interactions": [{"SourceType": "Event", "SourceId": "e1", "SourceName": "Summit", "InteractionDate": "\(interactionDate)",
            "CustomerAction": "Asked for a demo", "Contact": {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}}]}}}
        """
    }

    @Test func anUnknownOperationSuggestsTheNearestWithoutReadingTheRequest() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try call("GetEngagment", "@/nonexistent/request.json")
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
