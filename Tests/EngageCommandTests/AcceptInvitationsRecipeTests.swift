import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The accept-invitations recipe as a partner runs it: alice invites bob through a real `engage serve`, and
/// bob runs the recipe over `--endpoint-url`, signed as bob.
@Suite(.tags(.process), .timeLimit(.minutes(3))) struct AcceptInvitationsRecipeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-accept-invitations-\(UUID().uuidString)")

    /// Lua that opens one engagement per `{ company, title }` and invites `receiver` to it with an
    /// opportunity invitation of that customer and project; prints the invitation ids as JSON.
    static func inviting(_ receiver: String, _ invitations: [(company: String, title: String)]) -> String {
        let list = invitations.map { #"{ "\#($0.company)", "\#($0.title)" }"# }.joined(separator: ", ")
        return #"""
            local ids = json.decode("[]")
            for _, wanted in ipairs({ \#(list) }) do
              local e = create_engagement{ Title = wanted[1], Description = "Co-selling " .. wanted[2] }
              ids[#ids + 1] = create_engagement_invitation{ EngagementIdentifier = e.Id, Invitation = {
                Message = "Join us on " .. wanted[1], Receiver = { Account = { AwsAccountId = "\#(receiver)" } },
                Payload = { OpportunityInvitation = { ReceiverResponsibilities = { "Co-Sell Facilitator" },
                  Customer = { Industry = "Retail", CompanyName = wanted[1], WebsiteUrl = "https://example.com", CountryCode = "US" },
                  Project = { Title = wanted[2], BusinessProblem = "Nightly reports take eleven hours to build", TargetCompletionDate = "2099-01-31",
                    ExpectedCustomerSpend = { { Amount = "1000", CurrencyCode = "USD", Frequency = "Monthly", TargetCompany = "AWS" } } } } } } }.Id
            end
            print(json.encode(ids))
            """#
    }

    /// What alice sees of the invitations she sent: id → status and rejection reason.
    static let sentStatuses = #"""
        local seen = {}
        for s in each(list_engagement_invitations, { ParticipantType = "SENDER" }) do
          local i = get_engagement_invitation{ Identifier = s.Id }
          seen[s.Id] = { status = i.Status, reason = i.RejectionReason }
        end
        print(json.encode(seen))
        """#

    /// bob's opportunities: the customer's company name of each, in creation order.
    static let opportunityCompanies = #"""
        local companies = json.decode("[]")
        for o in each(list_opportunities, { Sort = { SortBy = "CreatedDate", SortOrder = "ASCENDING" } }) do
          companies[#companies + 1] = get_opportunity(o.Id).Customer.Account.CompanyName
        end
        print(json.encode(companies))
        """#

    func partners(_ server: ServedSandbox) -> (alice: ServedPartner, bob: ServedPartner) {
        (ServedPartner(ServedSandbox.alice, of: server, state: folder), ServedPartner(ServedSandbox.bob, of: server, state: folder))
    }

    func ids(_ value: JSONValue) -> [String] { (value.arrayValue ?? []).compactMap(\.stringValue) }

    /// The outcome of each invitation in a run's result, by invitation id.
    func outcomes(_ result: JSONValue) -> [String: String] {
        (result["invitations"]?.arrayValue ?? []).reduce(into: [:]) { $0[$1["invitation"]?.stringValue ?? ""] = $1["outcome"]?.stringValue }
    }

    func count(_ value: JSONValue?) -> Int64 {
        if case .integer(let number) = value { return number }
        return -1
    }

    func opportunities(_ result: JSONValue) -> [String] {
        (result["invitations"]?.arrayValue ?? []).compactMap { $0["opportunity"]?.stringValue }
    }

    @Test func everyPendingInvitationIsAcceptedIntoOneOpportunityAndASecondRunAnswersNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let sent = ids(try alice.lua(Self.inviting("bob", [("Acme", "Lakehouse"), ("Globex", "Plant data"), ("Initech", "Reports")])))
        #expect(sent.count == 3)

        let first = try bob.recipe("accept-invitations")
        #expect(first["accepted"] == 3)
        #expect(first["rejected"] == 0)
        #expect(outcomes(first) == Dictionary(uniqueKeysWithValues: sent.map { ($0, "accepted") }))
        let made = opportunities(first)
        #expect(Set(made).count == 3)
        #expect(try bob.lua(Self.opportunityCompanies) == ["Acme", "Globex", "Initech"])
        #expect(try alice.lua(Self.sentStatuses).objectValue?.values.allSatisfy { $0["status"] == "ACCEPTED" } == true)

        let tasksBefore = server.lines.filter { $0.contains("StartEngagementByAcceptingInvitationTask") }.count
        let second = try bob.recipe("accept-invitations")
        #expect(second["accepted"] == 0)
        #expect(second["answered_before"] == 3)
        #expect(outcomes(second) == Dictionary(uniqueKeysWithValues: sent.map { ($0, "accepted before") }))
        #expect(Set(opportunities(second)) == Set(made), "each is reported with the opportunity its task made")
        #expect(server.lines.filter { $0.contains("StartEngagementByAcceptingInvitationTask") }.count == tasksBefore, "nothing was sent again")
        #expect(try bob.lua(Self.opportunityCompanies) == ["Acme", "Globex", "Initech"])
        #expect(server.stop() == 0)
    }

    /// The pattern is looked for in the customer's company name and in the project's title.
    @Test func anInvitationThePatternNamesIsRejectedWithTheReasonAndTheOthersAccepted() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let sent = ids(try alice.lua(Self.inviting("bob", [("Acme", "Lakehouse"), ("Globex", "Plant data"), ("Initech", "Globe rollout")])))
        let result = try bob.recipe("accept-invitations", ["reject_if": "^Glob", "reason": "Not in our region"])
        #expect(result["accepted"] == 1)
        #expect(result["rejected"] == 2)
        #expect(outcomes(result) == [sent[0]: "accepted", sent[1]: "rejected", sent[2]: "rejected"])
        let statuses = try alice.lua(Self.sentStatuses)
        #expect(statuses[sent[0]] == ["status": "ACCEPTED"])
        #expect(statuses[sent[1]] == ["reason": "Not in our region", "status": "REJECTED"])
        #expect(statuses[sent[2]] == ["reason": "Not in our region", "status": "REJECTED"])
        #expect(try bob.lua(Self.opportunityCompanies) == ["Acme"])
        #expect(server.stop() == 0)
    }

    @Test func aPatternLuaRefusesIsNamedAndNothingIsAnswered() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        _ = try alice.lua(Self.inviting("bob", [("Acme", "Lakehouse"), ("Globex", "Plant data")]))
        let refused = try bob.engage(["run", "accept-invitations", "--param", "reject_if=Glob[ex"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("parameter 'reject_if': malformed pattern (missing ']')"), "\(refused.stderr)")
        #expect(try alice.lua(Self.sentStatuses).objectValue?.values.allSatisfy { $0["status"] == "PENDING" } == true)
        let tooLong = try bob.engage(["run", "accept-invitations", "--param", "reject_if=Glob", "--param", "reason=\(String(repeating: "é", count: 81))"])
        #expect(tooLong.status == 1)
        #expect(tooLong.stderr.contains("parameter 'reason' (RejectionReason) must be 1 to 80 characters, got 81"), "\(tooLong.stderr)")
        #expect(try alice.lua(Self.sentStatuses).objectValue?.values.allSatisfy { $0["status"] == "PENDING" } == true)
        #expect(server.stop() == 0)
    }

    /// Killed right after its fifth task came back, then run again: every invitation is answered once, and
    /// each has exactly one opportunity of bob's.
    @Test func aRunKilledMidwayAndRunAgainAnswersEachInvitationOnceWithOneOpportunity() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let companies = (1...12).map { "Company \($0)" }
        let sent = ids(try alice.lua(Self.inviting("bob", companies.map { ($0, "Project of \($0)") })))
        let run = try RunningEngage(["run", "accept-invitations", "-v", "--endpoint-url", server.endpoint], environment: bob.environment)
        var tasks = 0, index = 0
        while tasks < 5, let line = run.stderr.line(at: index, within: .seconds(60)) {
            if line.hasPrefix("engage: StartEngagementByAcceptingInvitationTask ") { tasks += 1 }
            index += 1
        }
        #expect(run.stop(with: SIGKILL), "the run was killed before it finished")

        let again = try bob.recipe("accept-invitations")
        #expect(count(again["answered_before"]) >= 5, "the killed run answered five: \(again)")
        #expect(count(again["accepted"]) + count(again["answered_before"]) == 12)
        #expect(Set(outcomes(again).keys) == Set(sent))
        #expect(Set(opportunities(again)).count == 12, "each invitation reports its own opportunity: \(again)")
        #expect(try bob.lua(Self.opportunityCompanies).arrayValue?.compactMap(\.stringValue).sorted() == companies.sorted(), "one opportunity each")
        #expect(try alice.lua(Self.sentStatuses).objectValue?.values.allSatisfy { $0["status"] == "ACCEPTED" } == true)
        #expect(server.stop() == 0)
    }

    /// Sixteen days on, the two invitations alice sent first have expired: they are reported and left, and
    /// the one she sends afterwards is accepted.
    @Test func anExpiredInvitationIsReportedAndSkipped() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let old = ids(try alice.lua(Self.inviting("bob", [("Acme", "Lakehouse"), ("Globex", "Plant data")])))
        let moved = try runEngage(["sandbox", "clock", "--advance", "16d", "--store", server.store])
        #expect(moved.status == 0, "\(moved.stderr)")
        let fresh = ids(try alice.lua(Self.inviting("bob", [("Initech", "Reports")])))
        let result = try bob.recipe("accept-invitations")
        #expect(result["expired"] == 2)
        #expect(result["accepted"] == 1)
        #expect(outcomes(result) == [old[0]: "expired", old[1]: "expired", fresh[0]: "accepted"])
        let statuses = try alice.lua(Self.sentStatuses)
        #expect(statuses[old[0]] == ["status": "EXPIRED"])
        #expect(try bob.lua(Self.opportunityCompanies) == ["Initech"])
        #expect(server.lines.filter { $0.contains("StartEngagementByAcceptingInvitationTask") }.count == 1, "no task for an expired one")
        #expect(server.stop() == 0)
    }

    /// On the sandbox backend every call is the sandbox's own account, so alice invites it through serve
    /// and the dry run reads the store directly.
    @Test func aDryRunListsTheTasksAndAnswersNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, _) = partners(server)
        _ = try alice.lua(Self.inviting("123456789012", [("Acme", "Lakehouse"), ("Globex", "Plant data")]))
        let before = try server.storeContent()
        let dry = try runEngage(["run", "accept-invitations", "--param", "reject_if=Globex", "--dry-run", "--store", server.store],
                                environment: ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("2 writes, every one would be accepted; nothing was written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("1. StartEngagementByAcceptingInvitationTask"), "\(dry.stdout)")
        #expect(dry.stdout.contains("2. RejectEngagementInvitation"), "\(dry.stdout)")
        #expect(try server.storeContent() == before)
        #expect(server.stop() == 0)
    }

    /// Over an endpoint a dry run copies each invitation (and its engagement) into its overlay before the
    /// pretend answer, so it answers as the real run then does, and writes nothing on the server.
    @Test func aDryRunOverAnEndpointAnswersAsTheRealRunDoes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        _ = try alice.lua(Self.inviting("bob", [("Acme", "Lakehouse"), ("Globex", "Plant data")]))
        let before = try server.storeContent()
        let dry = try bob.engage(["run", "accept-invitations", "--param", "reject_if=Globex", "--dry-run", "--output", "json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let pretended = try JSONValue(parsing: dry.stdout)["result"]
        #expect(pretended?["accepted"] == 1, "\(dry.stdout)")
        #expect(pretended?["rejected"] == 1)
        #expect(pretended?["failed"] == 0)
        #expect(try server.storeContent() == before)
        // A later read in the dry run sees its pretend answer.
        let reread = try bob.engage(["run", "-", "--dry-run"], input: """
            for s in each(list_engagement_invitations, { ParticipantType = "RECEIVER" }) do
              start_engagement_by_accepting_invitation_task{ Identifier = s.Id }
              print(get_engagement_invitation(s.Id).Status)
            end
            """)
        #expect(reread.stdout.hasPrefix("ACCEPTED\nACCEPTED\n"), "\(reread.stdout)\(reread.stderr)")
        let real = try bob.recipe("accept-invitations", ["reject_if": "Globex"])
        #expect(real["accepted"] == pretended?["accepted"])
        #expect(real["rejected"] == pretended?["rejected"])
        #expect(server.stop() == 0)
    }

    @Test func theRecipeExplainsItself() throws {
        let help = try runEngage(["run", "accept-invitations", "--help"],
                                 environment: ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("accept-invitations: Accept every pending engagement invitation received"), "\(help.stdout)")
        #expect(help.stdout.contains("reject_if  (string"), "\(help.stdout)")
        #expect(help.stdout.contains("reason  (string"), "\(help.stdout)")
    }
}
