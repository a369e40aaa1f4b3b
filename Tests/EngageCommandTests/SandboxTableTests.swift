import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Lua's `sandbox` table in `engage run` and the REPL, on a real store, checked with `engage call`.
@Suite(.tags(.process)) struct SandboxTableTests: SandboxOpportunityScratch {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-sandbox-lua-\(UUID().uuidString)")

    /// Runs `script` with `engage run -` on the store; `arguments` go to its `arg`.
    func run(_ script: String, _ arguments: String..., options: [String] = []) throws -> CommandResult {
        try runEngage(["run", "-", "--store", store] + options + arguments, input: script)
    }

    @Test func reviewReturnsTheOpportunityGetOpportunityThenShows() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try submittedOpportunity()
        let result = try run("""
            local o = sandbox.review(arg[1], {status = "Action Required", comments = "fix postal", aws_stage = "Qualified"})
            print(o.Id, o.LifeCycle.ReviewStatus, o.LifeCycle.ReviewComments)
            """, id)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(id)\tAction Required\tfix postal\n")
        let read = try call("GetOpportunity", #"{"Identifier": "\#(id)"}"#)
        #expect(read["LifeCycle"]?["ReviewStatus"] == "Action Required")
        #expect(read["LifeCycle"]?["ReviewComments"] == "fix postal")
        let summary = try call("GetAwsOpportunitySummary", #"{"RelatedOpportunityIdentifier": "\#(id)"}"#)
        #expect(summary["LifeCycle"]?["Stage"] == "Qualified")
    }

    @Test func aRefusedReviewIsAnErrorValueNamingTheFieldAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try submittedOpportunity()
        let before = try auditOperations()
        let result = try run("""
            local ok, e = pcall(function() return sandbox.review(arg[1], {status = "Aproved"}) end)
            print(e.code, e.fields[1].FieldName, e.where)
            print(e.fields[1].Message)
            """, id)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "ValidationException\tstatus\tstdin:1: ", "\(result.stdout)")
        #expect(lines.last?.hasSuffix("(did you mean 'Approved'?)") == true, "\(result.stdout)")
        #expect(try auditOperations() == before)
    }

    @Test func unknownKeysAndTextThatIsNotUTF8AreRefusedByName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(#"""
            local ok, e = pcall(function() return sandbox.review("O1", {statsu = "Approved"}) end)
            print(e)
            ok, e = pcall(function() return sandbox.add_user{email = "\xff@example.com", first_name = "A", last_name = "B"} end)
            print(e.code, e.fields[1].FieldName)
            ok, e = pcall(function() return sandbox.add_solution{id = "S-3000001"} end)
            print(e)
            ok, e = pcall(function() return sandbox.add_user{email = "a@example.com", first_name = 1, last_name = "B"} end)
            print(e)
            print(#sandbox.users(), #sandbox.solutions())
            """#)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.stdout)")
        #expect(lines.first?.hasPrefix("stdin:1: bad argument #2 to 'sandbox.review' (unknown field 'statsu' (did you mean 'status'?)") == true, "\(result.stdout)")
        #expect(lines.dropFirst().first == "SerializationException\temail", "\(result.stdout)")
        #expect(lines.dropFirst(2).first == "stdin:5: bad argument #1 to 'sandbox.add_solution' (field 'name' is required)", "\(result.stdout)")
        #expect(lines.dropFirst(3).first == "stdin:7: bad argument #1 to 'sandbox.add_user' (field 'first_name' must be a string, got number)", "\(result.stdout)")
        #expect(lines.last == "3\t5", "nothing was added: \(result.stdout)")
    }

    @Test func addedSolutionsAndUsersServeAssociateAndAssign() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = try createOpportunity()
        let result = try run("""
            local s = sandbox.add_solution{id = "S-3000001", name = "Fraud Detection", category = "Managed Service"}
            print(s.Id, s.Status, s.Category)
            associate_opportunity{OpportunityIdentifier = arg[1], RelatedEntityType = "Solutions", RelatedEntityIdentifier = s.Id}
            local listed = sandbox.solutions()
            print(#listed, listed[#listed].Name)
            local ada = sandbox.add_user{email = "ada@example.com", first_name = "Ada", last_name = "Lovelace"}
            assign_opportunity{Identifier = arg[1], Assignee = ada}
            local ok, e = pcall(assign_opportunity, {Identifier = arg[1], Assignee = {Email = "grace@example.com", FirstName = "Grace",
              LastName = "Hopper", BusinessTitle = "OpportunityOwner"}})
            print(ok, e.fields[1].FieldName)
            print(sandbox.users()[4].Email)
            """, id)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "S-3000001\tActive\tManaged Service\n6\tFraud Detection\nfalse\tAssignee.Email\nada@example.com\n", "\(result.stdout)")
        let listed = try call("ListSolutions", #"{"Identifier": ["S-3000001"]}"#)["SolutionSummaries"]?.arrayValue ?? []
        #expect(listed.map { $0["Name"] } == ["Fraud Detection"])
        let team = try call("GetOpportunity", #"{"Identifier": "\#(id)"}"#)["OpportunityTeam"]?.arrayValue ?? []
        #expect(team.contains { $0["Email"] == "ada@example.com" }, "\(team)")
    }

    @Test func overHTTPTheControlsRaiseNamingWhereTheSessionSends() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["run", "-", "--endpoint-url", "http://127.0.0.1:9"], input: """
            local id = "O1"
            sandbox.review(id, {status = "Approved"})
            """)
        #expect(result.status == 1)
        #expect(result.stderr.contains("stdin:2: sandbox.review acts on the embedded sandbox only; this session sends to the endpoint http://127.0.0.1:9"),
                "\(result.stderr)")
    }

    @Test func aRecipeReachesTheSandboxInItsRunNotInItsChunk() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let inRun = try file("users.lua", """
            return recipe{ description = "Counts the users", run = function() return #sandbox.users() end }
            """)
        let counted = try runEngage(["run", inRun, "--store", store, "--output", "json"])
        #expect(counted.status == 0, "\(counted.stderr)")
        #expect(try JSONValue(parsing: counted.stdout)["result"] == 3, "\(counted.stdout)")
        let inChunk = try file("early.lua", """
            local users = sandbox.users()
            return recipe{ description = "Counts the users too early", run = function() return #users end }
            """)
        let refused = try runEngage(["run", inChunk, "--store", store])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("early.lua:1: sandbox.users acts on the embedded sandbox only; a recipe's chunk only declares the recipe"), "\(refused.stderr)")
    }

    @Test func aDryRunsControlsActOnItsCopy() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try createOpportunity()
        let result = try run("""
            sandbox.add_user{email = "ada@example.com", first_name = "Ada", last_name = "Lovelace"}
            print(#sandbox.users())
            """, options: ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("4\n"), "\(result.stdout)")
        let users = try engage("sandbox", "users", "--output", "json")
        #expect(try JSONValue(parsing: users.stdout)["Users"]?.arrayValue?.count == 3)
    }

    @Test func theREPLReachesTheSandbox() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["repl", "--store", store], input: "return sandbox.users()[1].Email\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("maria.garcia@example.com"), "\(result.stdout)")
    }

    @Test func theClockIsShownMovedAndResetFromLua() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run("""
            print(sandbox.clock().AheadBySeconds, sandbox.clock{advance = "1d12h"}.AheadBySeconds, sandbox.clock{reset = "true"}.AheadBySeconds)
            print(pcall(sandbox.clock, {advance = "soon"}))
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("0.0\t129600.0\t0.0\nfalse\t"), "\(result.stdout)")
        #expect(result.stdout.contains("field 'advance' 'soon' is not a duration"))
    }

    @Test func inviteFromLuaIsAnInvitationTheSessionAccepts() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run("""
            local invitation = sandbox.invite()
            local task = start_engagement_by_accepting_invitation_task{ Identifier = invitation.Id }
            print(invitation.Status, task.TaskStatus, get_opportunity(task.OpportunityId).Customer.Account.CompanyName)
            print(sandbox.invite(nil, { to = "bob" }).Receiver.Account.AwsAccountId)
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "PENDING\tCOMPLETE\tExample Retail Co\nbob\n")
    }
}
