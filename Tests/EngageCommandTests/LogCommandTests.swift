import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage log` on a store written by `engage call`, `engage run` and the REPL, run as the real binary.
@Suite(.tags(.process)) struct LogCommandTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-log-\(UUID().uuidString)")

    func engage(_ arguments: String..., input: String? = nil) throws -> CommandResult {
        try runEngage(arguments + ["--store", store], input: input)
    }

    /// Calls `operation` and returns its response.
    func call(_ operation: String, _ request: String) throws -> JSONValue {
        let result = try engage("call", operation, request)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout)
    }

    func createEngagement(_ title: String) throws -> JSONValue {
        try call("CreateEngagement", #"{"Title": "\#(title)", "Description": "Pilot", "ClientToken": "token-\#(title)"}"#)
    }

    /// Adds a Lead context to engagement `id`; returns the response.
    func addLead(to id: String) throws -> JSONValue {
        try call("CreateEngagementContext", #"""
            {"EngagementIdentifier": "\#(id)", "Type": "Lead", "Payload": {"Lead": {
              "Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}},
              "Interactions": [{"SourceType": "Event", "SourceId": "e1", "SourceName": "Summit", "CustomerAction": "Asked for a demo",
                "Contact": {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}}]}}}
            """#)
    }

    func entries(_ arguments: String...) throws -> [JSONValue] {
        let result = try runEngage(["log", "--output", "json", "--store", store] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout)["Entries"]?.arrayValue ?? []
    }

    @Test func logForAnEngagementPrintsTheWritesOfThatEngagementOnly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let acme = try createEngagement("Acme")["Id"]?.stringValue ?? ""
        let other = try createEngagement("Other")["Id"]?.stringValue ?? ""
        let context = try addLead(to: acme)
        let result = try engage("log", "--engagement", acme)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(!result.stdout.contains(other))
        #expect(lines.first?.hasSuffix("  call  CreateEngagement  Sandbox \(acme)  token token-Acme  created") == true, "\(result.stdout)")
        #expect(lines.last?.hasPrefix("\(context["EngagementLastModifiedAt"]?.stringValue ?? "?")  ") == true, "\(result.stdout)")
        #expect(lines.last?.contains("  call  CreateEngagementContext  Sandbox \(acme) context 1  token ") == true, "\(result.stdout)")
        #expect(lines.allSatisfy { $0.contains("@") && $0.contains(" pid ") && $0.hasSuffix("  created") }, "\(result.stdout)")
    }

    @Test func sinceLeavesOutEarlierWrites() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try createEngagement("First")["Id"]?.stringValue ?? ""
        let second = try createEngagement("Second")
        let since = second["ModifiedAt"]?.stringValue ?? ""
        let listed = try entries("--since", since)
        #expect(listed.map { $0["EngagementId"] } == [second["Id"]])
        #expect(listed.first?["Time"] == .string(since))
        #expect(try entries().count == 2)
        #expect(try entries("--since", since, "--engagement", first).isEmpty)
    }

    @Test func jsonOutputIsOneDocumentWithEveryField() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement("Acme")["Id"]?.stringValue ?? ""
        let result = try engage("log", "--output", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        let entry = try #require(document["Entries"]?.arrayValue?.first)
        #expect(entry.objectValue?.keys.elements == [
            "Sequence", "Time", "Backend", "Catalog", "Operation", "EngagementId", "ClientToken", "Outcome", "Actor", "ProcessId", "Command",
        ])
        #expect(entry["EngagementId"] == .string(id))
        #expect(entry["Backend"] == "sandbox")
        #expect(entry["Command"] == "call")
        #expect(entry["Outcome"] == "created")
    }

    @Test func runAndTheREPLRecordTheirCommandNames() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try createEngagement("Called")
        let script = #"create_engagement{ Title = "Scripted", Description = "d" }"#
        let run = try engage("run", "-", input: script)
        #expect(run.status == 0, "\(run.stderr)")
        let repl = try engage("repl", input: script)
        #expect(repl.status == 0, "\(repl.stderr)")
        #expect(try entries().map { $0["Command"] } == ["call", "run", "repl"])
    }

    @Test func aRecipeRunRecordsTheRecipeAndItsParametersAndADryRunNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = try file("one-lead.lua", #"""
            return recipe{
              description = "One engagement for a company",
              params = { company = { type = "string", required = true }, pilot = { type = "boolean", default = false } },
              run = function(p) create_engagement{ Title = p.company, Description = "Pilot" } end,
            }
            """#)
        let run = try engage("run", recipe, "--param", "company=Acme")
        #expect(run.status == 0, "\(run.stderr)")
        let dryRun = try engage("run", recipe, "--param", "company=Other", "--dry-run")
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let listed = try entries()
        #expect(listed.count == 1)
        #expect(listed.first?["Command"] == "run")
        #expect(listed.first?["Recipe"] == "one-lead")
        #expect(listed.first?["Parameters"] == ["company": "Acme", "pilot": false])
        #expect(try engage("log").stdout.contains("  run one-lead  CreateEngagement  "))
    }

    @Test func replaysAndRefusedWritesAreNotInTheLog() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createEngagement("Acme")["Id"]?.stringValue ?? ""
        _ = try createEngagement("Acme")
        #expect(try engage("call", "CreateEngagement", #"{"Title": "", "Description": "Pilot"}"#).status == 1)
        #expect(try engage("call", "UpdateEngagementContext", #"""
            {"EngagementIdentifier": "\#(id)", "ContextIdentifier": "1", "EngagementLastModifiedAt": "2025-01-01T00:00:00Z", "Type": "Lead",
             "Payload": {"Lead": {"Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}}}}}
            """#).status == 1)
        #expect(try entries().count == 1)
    }

    @Test(arguments: ["yesterday", "2025-06-31T00:00:00Z", ""])
    func aSinceThatIsNoTimestampIsAClearErrorBeforeAnythingIsOpened(since: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try engage("log", "--since", since, "--output", "json")
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--since '\(since)' is not"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func everyOptionHasHelp() throws {
        let help = try runEngage("log", "--help")
        #expect(help.status == 0)
        for option in ["--engagement <id>", "--since <time>", "--output <output>", "--store <path>", "--catalog <catalog>",
                       "Only the writes of this engagement", "Only the writes made at or after", "text prints one line"] {
            #expect(help.stdout.contains(option), "\(help.stdout)")
        }
    }
}
