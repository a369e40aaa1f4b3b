import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The rehearse-co-sell recipe played by two partners through one real `engage serve`: alice runs the
/// sender's side, bob the receiver's, each over `--endpoint-url` signed with its own key.
@Suite(.tags(.process), .timeLimit(.minutes(3))) struct RehearseCoSellRecipeTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-rehearse-co-sell-\(UUID().uuidString)")

    func partners(_ server: ServedSandbox) -> (alice: ServedPartner, bob: ServedPartner) {
        (ServedPartner(ServedSandbox.alice, of: server, state: folder), ServedPartner(ServedSandbox.bob, of: server, state: folder))
    }

    /// A side's run with `--output json`: its result, and the steps it printed (on stderr in that mode).
    func rehearse(_ partner: ServedPartner, _ parameters: [String]) throws -> (result: JSONValue, steps: [String]) {
        let run = try partner.engage(["run", "rehearse-co-sell", "--output", "json"] + parameters.flatMap { ["--param", $0] })
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw ServeTestError("rehearse-co-sell as \(partner.signer.identity) failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return (result, run.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("[") })
    }

    /// The revision numbers of a list of `{ revision, … }`.
    func revisionNumbers(_ list: JSONValue?) -> [JSONValue] { (list?.arrayValue ?? []).compactMap { $0["revision"] } }

    @Test func theSenderSharesASnapshottedOpportunityAndTheReceiverAcceptsAndSeesEachRevision() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let sender = try rehearse(alice, ["side=sender", "partner=bob", "customer=Acme"])
        let invitation = try #require(sender.result["invitation"]?.stringValue)
        let engagement = try #require(sender.result["engagement"]?.stringValue)
        let shared = try #require(sender.result["opportunity"]?.stringValue)
        let job = try #require(sender.result["job"]?.stringValue)
        #expect(sender.result["status"] == "PENDING")
        #expect(revisionNumbers(sender.result["revisions"]) == [1, 2], "the job's start took 1, the update 2")
        #expect(sender.steps.count == 5, "\(sender.steps)")
        #expect(sender.steps[2] == "[sender] 3. snapshot job \(job) (OpportunitySummary of \(shared)) is Running; revisions: 1", "\(sender.steps)")
        #expect(sender.steps[3].hasPrefix("[sender] 4. invited bob: invitation \(invitation), status PENDING, expires "), "\(sender.steps)")
        #expect(sender.steps[4] == "[sender] 5. moved \(shared) to Technical Validation (next steps: Architecture workshop booked); the running job took a revision in the same write; revisions: 1, 2", "\(sender.steps)")

        let receiver = try rehearse(bob, ["side=receiver", "partner=alice"])
        let accepted = try #require(receiver.result["accepted"]?.arrayValue)
        #expect(accepted.count == 1)
        #expect(accepted.first?["invitation"]?.stringValue == invitation)
        #expect(accepted.first?["engagement"]?.stringValue == engagement)
        #expect(accepted.first?["status"] == "COMPLETE")
        #expect(accepted.first?["members"] == ["alice", "bob"])
        let opportunity = try #require(accepted.first?["opportunity"]?.stringValue)
        #expect(opportunity != shared, "bob's opportunity is his own")
        let snapshots = accepted.first?["snapshots"]?.arrayValue ?? []
        #expect(snapshots.map { [$0["opportunity"], $0["revision"], $0["by"], $0["stage"]] }
                    == [[.string(shared), 1, "alice", nil], [.string(shared), 2, "alice", "Technical Validation"]], "\(snapshots)")
        #expect(receiver.steps.first == "[receiver] 1. 1 pending invitation from alice", "\(receiver.steps)")
        #expect(receiver.steps.contains { $0.hasPrefix("[receiver] 2. \(invitation) from alice (Partner alice) on Acme: Data platform migration") }, "\(receiver.steps)")
        #expect(receiver.steps.contains("[receiver] 3. accepted; task \(accepted.first?["task"]?.stringValue ?? "") made opportunity \(opportunity): Acme, Data platform migration, Pending Submission"), "\(receiver.steps)")
        #expect(receiver.steps.contains("[receiver] 4. engagement \(engagement) members: alice, bob"), "\(receiver.steps)")
        #expect(receiver.steps.last == "[receiver] 5. OpportunitySummary revision 2 of \(shared) by alice: stage Technical Validation, next steps Architecture workshop booked", "\(receiver.steps)")
        #expect(try bob.lua("print(json.encode({ get_opportunity('\(opportunity)').Customer.Account.CompanyName }))") == ["Acme"])
        #expect(server.stop() == 0)
    }

    @Test func eachSideRunAgainReplaysInsteadOfRepeating() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let first = try rehearse(alice, ["side=sender", "partner=bob"])
        let again = try rehearse(alice, ["side=sender", "partner=bob"])
        #expect(again.result == first.result, "the same engagement, opportunity, job and invitation, and no third revision")
        #expect(again.steps.last?.contains("is already at Technical Validation (next steps: Architecture workshop booked): nothing sent, no new revision; revisions: 1, 2") == true,
                "\(again.steps)")
        #expect(try rehearse(bob, ["side=receiver"]).result["accepted"]?.arrayValue?.count == 1)
        let second = try rehearse(bob, ["side=receiver"])
        #expect(second.result["accepted"] == [])
        #expect(second.steps == ["[receiver] 1. 0 pending invitations"])
        let listing = #"local ids = json.decode("[]"); for o in each(list_opportunities) do ids[#ids + 1] = o.Id end; print(json.encode(ids))"#
        let seen = Set((try alice.lua(listing).arrayValue ?? []) + (try bob.lua(listing).arrayValue ?? []))
        #expect(seen.count == 2, "alice's opportunity and the one bob's acceptance made, each once: \(seen)")
        #expect(try alice.lua(#"""
            local n = 0; for _ in each(list_engagement_invitations, { ParticipantType = "SENDER" }) do n = n + 1 end
            local jobs = 0; for _ in each(list_resource_snapshot_jobs) do jobs = jobs + 1 end
            print(json.encode({ n, jobs }))
            """#) == [1, 1])
        #expect(server.stop() == 0)
    }

    @Test func aDryRunOfTheSenderListsItsWritesAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let dry = try runEngage(["run", "rehearse-co-sell", "--param", "side=sender", "--param", "partner=bob", "--dry-run", "--store", store],
                                environment: ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("8 writes, every one would be accepted; nothing was written"), "\(dry.stdout)")
        // Each write names what it is about: the job a start names, the opportunity an update names.
        #expect(dry.stdout.contains("StartResourceSnapshotJob job-"), "\(dry.stdout)")
        #expect(dry.stdout.contains("UpdateOpportunity O"), "\(dry.stdout)")
        let listed = dry.stdout.split(separator: "\n").compactMap { $0.firstMatch(of: /^  \d+\. (\w+)/).map { String($0.1) } }
        #expect(listed == ["CreateEngagement", "CreateEngagementContext", "StartOpportunityFromEngagementTask", "UpdateOpportunity",
                           "CreateResourceSnapshotJob", "StartResourceSnapshotJob", "CreateEngagementInvitation", "UpdateOpportunity"], "\(dry.stdout)")
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func theRecipeExplainsItselfAndTheSenderNeedsAPartner() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path]
        let help = try runEngage(["run", "rehearse-co-sell", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("rehearse-co-sell: One side of a co-selling exchange"), "\(help.stdout)")
        #expect(help.stdout.contains("side  (one of sender, receiver, required)"), "\(help.stdout)")
        let alone = try runEngage(["run", "rehearse-co-sell", "--param", "side=sender", "--store", store], environment: environment)
        #expect(alone.status == 1)
        #expect(alone.stderr.contains("side=sender needs --param partner=ACCOUNT"), "\(alone.stderr)")
        let missing = try runEngage(["run", "rehearse-co-sell", "--store", store], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("rehearse-co-sell: missing required parameter 'side'"), "\(missing.stderr)")
    }
}
