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

    @Test func theSenderInvitesAndTheReceiverAcceptsIntoAnOpportunityOfItsOwn() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let sender = try rehearse(alice, ["side=sender", "partner=bob", "customer=Acme"])
        let invitation = try #require(sender.result["invitation"]?.stringValue)
        let engagement = try #require(sender.result["engagement"]?.stringValue)
        #expect(sender.result["status"] == "PENDING")
        #expect(sender.steps.count == 3, "\(sender.steps)")
        #expect(sender.steps.last?.hasPrefix("[sender] 3. invited bob: invitation \(invitation) is PENDING until ") == true, "\(sender.steps)")

        let receiver = try rehearse(bob, ["side=receiver", "partner=alice"])
        let accepted = try #require(receiver.result["accepted"]?.arrayValue)
        #expect(accepted.count == 1)
        #expect(accepted.first?["invitation"]?.stringValue == invitation)
        #expect(accepted.first?["engagement"]?.stringValue == engagement)
        #expect(accepted.first?["status"] == "COMPLETE")
        #expect(accepted.first?["members"] == ["alice", "bob"])
        let opportunity = try #require(accepted.first?["opportunity"]?.stringValue)
        #expect(receiver.steps.first == "[receiver] 1. 1 pending invitation from alice", "\(receiver.steps)")
        #expect(receiver.steps.contains { $0.hasPrefix("[receiver] 2. \(invitation) from alice (Partner alice) on Acme: Data platform migration") }, "\(receiver.steps)")
        #expect(receiver.steps.contains("[receiver] 3. accepted; task \(accepted.first?["task"]?.stringValue ?? "") made opportunity \(opportunity): Acme, Data platform migration, Pending Submission"), "\(receiver.steps)")
        #expect(receiver.steps.last == "[receiver] 4. engagement \(engagement) members: alice, bob", "\(receiver.steps)")
        #expect(try bob.lua("print(json.encode({ get_opportunity('\(opportunity)').Customer.Account.CompanyName }))") == ["Acme"])
        #expect(server.stop() == 0)
    }

    @Test func eachSideRunAgainReplaysInsteadOfRepeating() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let (alice, bob) = partners(server)
        let first = try rehearse(alice, ["side=sender", "partner=bob"])
        let again = try rehearse(alice, ["side=sender", "partner=bob"])
        #expect(again.result == first.result, "the same opportunity, engagement and invitation")
        #expect(try rehearse(bob, ["side=receiver"]).result["accepted"]?.arrayValue?.count == 1)
        let second = try rehearse(bob, ["side=receiver"])
        #expect(second.result["accepted"] == [])
        #expect(second.steps == ["[receiver] 1. 0 pending invitations"])
        let listing = #"local ids = json.decode("[]"); for o in each(list_opportunities) do ids[#ids + 1] = o.Id end; print(json.encode(ids))"#
        let seen = Set((try alice.lua(listing).arrayValue ?? []) + (try bob.lua(listing).arrayValue ?? []))
        #expect(seen.count == 2, "alice's opportunity and the one bob's acceptance made, each once: \(seen)")
        #expect(try alice.lua(#"""
            local n = 0; for _ in each(list_engagement_invitations, { ParticipantType = "SENDER" }) do n = n + 1 end; print(n)
            """#) == 1)
        #expect(server.stop() == 0)
    }

    @Test func aDryRunOfTheSenderListsItsWritesAndWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let dry = try runEngage(["run", "rehearse-co-sell", "--param", "side=sender", "--param", "partner=bob", "--dry-run", "--store", store],
                                environment: ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("3 writes, every one would be accepted; nothing was written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("1. CreateOpportunity"), "\(dry.stdout)")
        #expect(dry.stdout.contains("2. CreateEngagement"), "\(dry.stdout)")
        #expect(dry.stdout.contains("3. CreateEngagementInvitation"), "\(dry.stdout)")
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
