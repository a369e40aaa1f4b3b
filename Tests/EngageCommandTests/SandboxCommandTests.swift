import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage sandbox review|solutions|users`, run as the real binary on a real store, with `engage call` doing
/// what a partner does around them.
@Suite(.tags(.process)) struct SandboxCommandTests: SandboxOpportunityScratch {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-sandbox-\(UUID().uuidString)")

    @Test func reviewSetsTheStatusAndCommentsThatGetOpportunityShows() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try submittedOpportunity()
        let review = try engage("sandbox", "review", id, "--status", "Action Required", "--comments", "fix postal")
        #expect(review.status == 0, "\(review.stderr)")
        let printed = try JSONValue(parsing: review.stdout)
        #expect(printed["Id"] == .string(id))
        #expect(printed["LifeCycle"]?["ReviewStatus"] == "Action Required")
        let read = try call("GetOpportunity", #"{"Identifier": "\#(id)"}"#)
        #expect(read["LifeCycle"]?["ReviewStatus"] == "Action Required")
        #expect(read["LifeCycle"]?["ReviewComments"] == "fix postal")
        #expect(read["LastModifiedDate"] == printed["LastModifiedDate"])
        #expect(try auditOperations().last == "Review")
    }

    @Test func aMisspeltStatusNamesTheOptionWithASuggestionAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try submittedOpportunity()
        let before = try auditOperations()
        let review = try engage("sandbox", "review", id, "--status", "Action Requird", "--aws-stage", "Qualifed")
        #expect(review.status == 1)
        #expect(review.stdout.isEmpty)
        #expect(review.stderr.contains("engage: ValidationException (REQUEST_VALIDATION_FAILED): 2 problems"), "\(review.stderr)")
        #expect(review.stderr.contains("  --status: 'Action Requird' is not a status a review sets"), "\(review.stderr)")
        #expect(review.stderr.contains("(did you mean 'Action Required'?)"), "\(review.stderr)")
        #expect(review.stderr.contains("  --aws-stage: 'Qualifed' is not an AwsOpportunityStage (did you mean 'Qualified'?)"), "\(review.stderr)")
        #expect(try auditOperations() == before)
        #expect(try call("GetOpportunity", #"{"Identifier": "\#(id)"}"#)["LifeCycle"]?["ReviewStatus"] == "Submitted")
    }

    @Test func reviewingAnOpportunityNotYetSubmittedIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createOpportunity()
        let before = try auditOperations()
        let review = try engage("sandbox", "review", id, "--status", "Approved")
        #expect(review.status == 1)
        #expect(review.stderr.contains("LifeCycle.ReviewStatus"), "\(review.stderr)")
        #expect(review.stderr.contains("is Pending Submission; AWS reviews an opportunity once it is submitted"), "\(review.stderr)")
        #expect(try auditOperations() == before)
    }

    @Test func anAddedSolutionIsListedAndCanBeAssociated() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let added = try engage("sandbox", "solutions", "add", "--id", "S-3000001", "--name", "Fraud Detection", "--category", "Managed Service")
        #expect(added.status == 0, "\(added.stderr)")
        let solution = try JSONValue(parsing: added.stdout)
        #expect(solution["Status"] == "Active")
        let created = solution["CreatedDate"]?.stringValue ?? ""
        #expect(created.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/#) != nil, "\(created)")
        let listed = try call("ListSolutions", #"{"Identifier": ["S-3000001"]}"#)["SolutionSummaries"]?.arrayValue ?? []
        #expect(listed.map { $0["Name"] } == ["Fraud Detection"])
        #expect(listed.first?["Category"] == "Managed Service")
        let id = try createOpportunity()
        let associate = try engage("call", "AssociateOpportunity", #"{"OpportunityIdentifier": "\#(id)", "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-3000001"}"#)
        #expect(associate.status == 0, "\(associate.stderr)")
        let table = try engage("sandbox", "solutions")
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID         STATUS    CATEGORY") == true, "\(table.stdout)")
        #expect(lines.last?.hasPrefix("S-3000001  Active    Managed Service") == true, "\(table.stdout)")
        #expect(lines.last?.hasSuffix("  Fraud Detection") == true, "\(table.stdout)")
    }

    @Test func aSolutionTheSandboxHoldsAlreadyOrABadIdIsRefusedAndNothingIsAdded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let again = try engage("sandbox", "solutions", "add", "--id", "S-1234567", "--name", "Twin")
        #expect(again.status == 1)
        #expect(again.stderr.contains("engage: ConflictException: the sandbox already holds solution S-1234567"), "\(again.stderr)")
        let bad = try engage("sandbox", "solutions", "add", "--id", "X-1", "--name", "Bad", "--status", "Actve")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("  --id: "), "\(bad.stderr)")
        #expect(bad.stderr.contains("  --status: 'Actve' is not a SolutionStatus"), "\(bad.stderr)")
        #expect(bad.stderr.contains("(did you mean 'Active'?)"), "\(bad.stderr)")
        let listed = try engage("sandbox", "solutions", "--output", "json")
        let ids = try JSONValue(parsing: listed.stdout)["Solutions"]?.arrayValue?.compactMap { $0["Id"]?.stringValue }
        #expect(ids == ["S-1234567", "S-2000001", "S-2000002", "S-2000003", "S-2000004"])
    }

    @Test func anAddedUserCanBeAssignedWhileAnUnknownEmailIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let added = try engage("sandbox", "users", "add", "--email", "ada@example.com", "--first-name", "Ada", "--last-name", "Lovelace", "--title", "PartnerAccountManager")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try JSONValue(parsing: added.stdout) == [
            "Email": "ada@example.com", "FirstName": "Ada", "LastName": "Lovelace", "BusinessTitle": "PartnerAccountManager",
        ])
        let id = try createOpportunity()
        let assign = try engage("call", "AssignOpportunity", Self.assignment(id, email: "ada@example.com"))
        #expect(assign.status == 0, "\(assign.stderr)")
        let team = try call("GetOpportunity", #"{"Identifier": "\#(id)"}"#)["OpportunityTeam"]?.arrayValue ?? []
        #expect(team.contains { $0["Email"] == "ada@example.com" }, "\(team)")
        let unknown = try engage("call", "AssignOpportunity", Self.assignment(id, email: "grace@example.com"))
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("Assignee.Email: 'grace@example.com' is not a user of this Partner Central account"), "\(unknown.stderr)")
        let users = try engage("sandbox", "users")
        #expect(users.stdout.split(separator: "\n").contains("ada@example.com           PartnerAccountManager  Ada Lovelace"), "\(users.stdout)")
    }

    @Test func aUserWithABadTitleIsRefusedNamingTheOption() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try engage("sandbox", "users", "add", "--email", "ada@example.com", "--first-name", "Ada", "--last-name", "Lovelace", "--title", "Owner")
        #expect(result.status == 1)
        #expect(result.stderr.contains("  --title: 'Owner' is not a title; use OpportunityOwner or PartnerAccountManager"), "\(result.stderr)")
        let users = try engage("sandbox", "users", "--output", "json")
        #expect(try JSONValue(parsing: users.stdout)["Users"]?.arrayValue?.contains { $0["Email"] == "ada@example.com" } == false)
    }

    @Test func anOptionThatIsNotUTF8IsRefusedByNameAndNothingIsAdded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Foundation's Process cannot pass bytes that are not UTF-8 as an argument; the shell can.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = folder.appendingPathComponent("name").path
        try (Data("Caf".utf8) + Data([0xE9])).write(to: URL(fileURLWithPath: name))
        let result = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", #"exec "$0" sandbox solutions add --id S-3000001 --name "$(cat "$1")" --store "$2""#,
                                                                    engageBinary.path, name, store])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--name is not valid UTF-8 text"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store), "nothing was written, not even an empty store")
    }

    @Test(arguments: [["--endpoint-url", "http://127.0.0.1:9"], ["--aws"]])
    func theControlsRefuseToSendOverHTTP(_ transport: [String]) throws {
        for command in [["sandbox", "review", "O1", "--status", "Approved"], ["sandbox", "solutions"], ["sandbox", "users", "add", "--email", "a@b.co", "--first-name", "A", "--last-name", "B"]] {
            let result = try runEngage(command + transport)
            #expect(result.status == 64, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("acts on the embedded sandbox only"), "\(result.stderr)")
            #expect(result.stderr.contains("\(transport[0]) sends to a service over HTTP"), "\(result.stderr)")
        }
    }

    @Test func listingFromAStoreThatIsNotThereCreatesNoneAndSaysSo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try engage("sandbox", "users")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("maria.garcia@example.com"))
        #expect(result.stderr.contains("engage: note: no sandbox store is at \(store) yet"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func theHelpExplainsEachControl() throws {
        let group = try runEngage("sandbox", "--help")
        #expect(group.status == 0)
        for word in ["review", "solutions", "users", "people at AWS review the opportunities you submit"] {
            #expect(group.stdout.contains(word), "\(word): \(group.stdout)")
        }
        // The help wraps its lines: words are compared one space apart.
        let review = try runEngage("sandbox", "review", "--help").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(review.contains("--status <status> The review's outcome: In review, Approved, Action Required or Rejected."), "\(review)")
        let solutions = try runEngage("sandbox", "solutions", "add", "--help")
        #expect(solutions.stdout.contains("S- and up to 19 digits"), "\(solutions.stdout)")
    }

    /// The clock moved by one command is every later command's: a close date two days ahead is in the past
    /// after three days, and back at the real time it is not.
    @Test func theClockMovesForwardForEveryLaterCommandAndBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let soon = String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(2 * 86_400)).prefix(10))
        let request = #"{"Customer": {"Account": {"CompanyName": "Acme", "Industry": "Other", "OtherIndustry": "Anvils"}}, "LifeCycle": {"TargetCloseDate": "\#(soon)"}}"#
        let moved = try engage("sandbox", "clock", "--advance", "3d", "--output", "json")
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(try JSONValue(parsing: moved.stdout)["AheadBySeconds"] == .number(259_200))
        let shown = try engage("sandbox", "clock")
        #expect(shown.stdout.hasSuffix("(3d ahead of the real time)\n"), "\(shown.stdout)")
        let late = try engage("call", "CreateOpportunity", request)
        #expect(late.status == 1)
        #expect(late.stderr.contains("LifeCycle.TargetCloseDate: \(soon) is in the past"), "\(late.stderr)")
        let backwards = try engage("sandbox", "clock", "--advance", "-1d")
        #expect(backwards.status != 0)
        #expect(try engage("sandbox", "clock", "--reset").stdout.hasSuffix("(the real time)\n"))
        #expect(try engage("call", "CreateOpportunity", request).status == 0)
        #expect(try auditOperations().filter { $0 == "MoveClock" }.count == 2)
    }

    @Test func inviteHasAWSReferAnOpportunityThatTheAccountCanAccept() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let invited = try engage("sandbox", "invite")
        #expect(invited.status == 0, "\(invited.stderr)")
        let invitation = try JSONValue(parsing: invited.stdout)
        #expect(invitation["Status"] == "PENDING")
        #expect(invitation["SenderAwsAccountId"] == "AWS")
        let received = try call("ListEngagementInvitations", #"{"ParticipantType": "RECEIVER"}"#)
        #expect(received["EngagementInvitationSummaries"]?.arrayValue?.map { $0["Id"] } == [invitation["Id"] ?? .null])
        let task = try call("StartEngagementByAcceptingInvitationTask", #"{"Identifier": "\#(invitation["Id"]?.stringValue ?? "")"}"#)
        #expect(task["TaskStatus"] == "COMPLETE")
        let toBob = try engage("sandbox", "invite", "--to", "bob")
        #expect(try JSONValue(parsing: toBob.stdout)["Receiver"]?["Account"]?["AwsAccountId"] == "bob")
        let bad = try engage("sandbox", "invite", "--to", "not an account")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--to 'not an account' is not an account"), "\(bad.stderr)")
    }
}

/// A store with opportunities made as a partner makes them: created, associated with a solution, submitted.
protocol SandboxOpportunityScratch: ScratchFolder {}

extension SandboxOpportunityScratch {
    func engage(_ arguments: String...) throws -> CommandResult {
        try runEngage(arguments + ["--store", store])
    }

    /// Calls `operation` and returns its response.
    func call(_ operation: String, _ request: String) throws -> JSONValue {
        let result = try engage("call", operation, request)
        #expect(result.status == 0, "\(operation): \(result.stderr)")
        return try JSONValue(parsing: result.stdout)
    }

    /// An opportunity with everything a submission needs; returns its id.
    func createOpportunity() throws -> String {
        let request = #"""
            {"Origin": "Partner Referral", "OpportunityType": "Net New Business",
             "Customer": {"Account": {"CompanyName": "Acme", "Industry": "Retail", "WebsiteUrl": "https://acme.example",
               "Address": {"CountryCode": "US", "PostalCode": "98101", "StateOrRegion": "Washington"}}},
             "Project": {"Title": "Acme analytics", "CustomerBusinessProblem": "Acme's reports take a day to build by hand.",
               "ExpectedCustomerSpend": [{"Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}]},
             "LifeCycle": {"TargetCloseDate": "2099-06-30"}}
            """#
        return try call("CreateOpportunity", request)["Id"]?.stringValue ?? ""
    }

    /// An opportunity associated with S-1234567 and submitted for Co-Sell; returns its id.
    func submittedOpportunity() throws -> String {
        let id = try createOpportunity()
        _ = try call("AssociateOpportunity", #"{"OpportunityIdentifier": "\#(id)", "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-1234567"}"#)
        _ = try call("SubmitOpportunity", #"{"Identifier": "\#(id)", "InvolvementType": "Co-Sell"}"#)
        return id
    }

    /// The operations of the audit, oldest first.
    func auditOperations() throws -> [String] {
        let result = try runEngage(["log", "--output", "json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout)["Entries"]?.arrayValue?.compactMap { $0["Operation"]?.stringValue } ?? []
    }

    static func assignment(_ id: String, email: String) -> String {
        #"{"Identifier": "\#(id)", "Assignee": {"Email": "\#(email)", "FirstName": "Ada", "LastName": "Lovelace", "BusinessTitle": "OpportunityOwner"}}"#
    }
}
