import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Recipes over `--endpoint-url`, against a real `engage serve` on 127.0.0.1: the run journal is kept in a
/// local file under $XDG_STATE_HOME/engage, so a run killed mid-way and run again skips the items that
/// finished; a dry run reads the service and answers its writes from a local overlay, writing nothing there.
@Suite(.tags(.process)) struct RecipesOverHTTPTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-http-journal-\(UUID().uuidString)")

    static let fiveEngagements = #"""
        return recipe{
          description = "Create five engagements, one item each",
          run = function(p)
            local ids = {}
            for i = 1, 5 do
              ids[i] = item("engagement " .. i, function()
                io.stderr:write("doing " .. i .. "\n")
                local id = create_engagement{ Title = "Item " .. i, Description = "One of five" }.Id
                if i == 3 and os.getenv("PAUSE_IN_THREE") then io.stderr:write("paused\n") sleep(600000) end
                return id
              end)
            end
            return ids
          end,
        }
        """#

    func environment(_ server: ServedSandbox) -> [String: String] {
        server.isolated(["AWS_ACCESS_KEY_ID": ServedSandbox.alice.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.alice.secret,
                         "XDG_STATE_HOME": folder.appendingPathComponent("state").path])
    }

    /// The server's CreateEngagement requests so far, from its log.
    func creates(_ server: ServedSandbox) -> Int {
        server.lines.filter { $0.contains("CreateEngagement") }.count
    }

    @Test(.timeLimit(.minutes(3))) func aRunKilledMidwayOverAnEndpointSkipsTheFinishedItemsWhenRunAgain() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let recipe = try file("five.lua", Self.fiveEngagements)
        let engage = try RunningEngage(["run", recipe, "--endpoint-url", server.endpoint], environment: environment(server).merging(["PAUSE_IN_THREE": "1"]) { _, new in new })
        #expect(engage.stderr.line(at: 3, within: .seconds(60)) == "paused", "\(engage.stderr.lines)")
        #expect(engage.stop(with: SIGKILL))
        let sentBefore = server.lines(until: { $0.filter { $0.contains("CreateEngagement") }.count >= 3 }).filter { $0.contains("CreateEngagement") }.count
        #expect(sentBefore == 3)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("state/engage/run-journal.sqlite").path))

        let again = try runEngage(["run", recipe, "--endpoint-url", server.endpoint, "--output", "json"], environment: environment(server))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.split(separator: "\n").filter { $0.hasPrefix("doing") } == ["doing 3", "doing 4", "doing 5"], "items 1 and 2 come from the journal: \(again.stderr)")
        let ids = try JSONValue(parsing: again.stdout)["result"]?.arrayValue ?? []
        #expect(Set(ids).count == 5)
        _ = server.lines(until: { $0.filter { $0.contains("CreateEngagement") }.count >= 6 })
        #expect(creates(server) == 6, "item 3 is sent again with its token, 4 and 5 are new")
        let listed = try runEngage(["call", "ListEngagements", "--store", server.store])
        #expect(try JSONValue(parsing: listed.stdout)["EngagementSummaryList"]?.arrayValue?.count == 5, "\(listed.stdout)")
        #expect(server.stop() == 0)
    }

    static let leadWork = #"""
        return recipe{
          description = "Create a lead and follow up on another",
          params = { existing = { type = "string", required = true, help = "an engagement with a Lead context" } },
          run = function(p)
            local e = create_engagement{ Title = "New lead", Description = "Made by the recipe" }
            create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
              Customer = { CompanyName = "Globex", Address = { CountryCode = "DE" } },
              Interactions = { { SourceType = "Event", SourceId = "g-1", SourceName = "Summit", CustomerAction = "Asked for a demo",
                Contact = { BusinessTitle = "CIO", Email = "hans@globex.example", FirstName = "Hans", LastName = "Muller" } } } } } }
            append_interaction(p.existing, "1", { SourceType = "Webinar", SourceId = "w-2", SourceName = "Data day", CustomerAction = "Joined",
              Contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } })
            local listed = #list_engagements{ MaxResults = 50 }.EngagementSummaryList
            return {
              new_contexts = #get_engagement(e.Id).Contexts,
              interactions = #get_engagement(p.existing).Contexts[1].Payload.Lead.Interactions,
              listed = listed,
            }
          end,
        }
        """#

    @Test(.timeLimit(.minutes(3))) func aDryRunOverAnEndpointWritesNothingThereAndListsWhatARealRunWrites() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let created = try runEngage(["run", "-", "--endpoint-url", server.endpoint], input: #"""
            local e = create_engagement{ Title = "Acme", Description = "Existing lead" }
            create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
              Customer = { CompanyName = "Acme", Address = { CountryCode = "US" } },
              Interactions = { { SourceType = "Event", SourceId = "a-1", SourceName = "Summit", CustomerAction = "Asked for a demo",
                Contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } } } } } }
            print(e.Id)
            """#, environment: environment(server))
        #expect(created.status == 0, "\(created.stderr)")
        let existing = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let recipe = try file("lead-work.lua", Self.leadWork)
        let command = ["run", recipe, "--param", "existing=\(existing)", "--endpoint-url", server.endpoint, "--output", "json"]
        let before = try server.storeContent()

        let dry = try runEngage(command + ["--dry-run"], environment: environment(server))
        #expect(dry.status == 0, "\(dry.stderr) \(dry.stdout)")
        let dryDocument = try JSONValue(parsing: dry.stdout)
        #expect(dryDocument["result"] == ["interactions": 2, "listed": 2, "new_contexts": 1], "later reads see the pretend writes: \(dry.stdout)")
        #expect(try server.storeContent() == before, "the dry run wrote nothing on the server")
        let pretended = (dryDocument["writes"]?.arrayValue ?? []).map { [$0["operation"], $0["summary"], $0["accepted"]] }
        #expect(pretended.count == 3)

        let real = try runEngage(command, environment: environment(server))
        #expect(real.status == 0, "\(real.stderr)")
        #expect(try JSONValue(parsing: real.stdout)["result"] == dryDocument["result"])
        let log = try runEngage(["log", "--store", server.store, "--output", "json"])
        let entries = try JSONValue(parsing: log.stdout)["Entries"]?.arrayValue ?? []
        let written = entries.dropFirst(2).map { $0["Operation"]?.stringValue ?? "" }
        #expect(written == pretended.map { $0[0]?.stringValue ?? "" }, "the dry run listed what the real run wrote: \(written)")
        #expect(pretended.allSatisfy { $0[2] == true })
        #expect(server.stop() == 0)
    }

    static let opportunityWork = #"""
        return recipe{
          description = "Change an opportunity of the service and create one, reading both back",
          params = { existing = { type = "string" } },
          run = function(p)
            modify_opportunity(p.existing, function(r) r.PartnerOpportunityIdentifier = "changed"; return r end)
            local o = create_opportunity{ Customer = { Account = { CompanyName = "Globex", Industry = "Other", OtherIndustry = "Toys" } } }
            associate_opportunity{ OpportunityIdentifier = o.Id, RelatedEntityType = "Solutions", RelatedEntityIdentifier = "S-1234567" }
            local listed = 0
            for _ in each(list_opportunities) do listed = listed + 1 end
            return { existing = get_opportunity(p.existing).PartnerOpportunityIdentifier,
                     solutions = #get_opportunity(o.Id).RelatedEntityIdentifiers.Solutions, listed = listed }
          end,
        }
        """#

    /// Opportunities in a dry run over an endpoint: the service's one is copied before the pretend write, the
    /// new one lives in the overlay, later reads and lists see both, and nothing reaches the server.
    @Test(.timeLimit(.minutes(3))) func aDryRunOverAnEndpointPretendsItsOpportunityWritesAndReadsThemBack() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let created = try runEngage(["run", "-", "--endpoint-url", server.endpoint], input: #"""
            print(create_opportunity{ PartnerOpportunityIdentifier = "original",
              Customer = { Account = { CompanyName = "Acme", Industry = "Other", OtherIndustry = "Anvils" } } }.Id)
            """#, environment: environment(server))
        #expect(created.status == 0, "\(created.stderr)")
        let existing = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let recipe = try file("opportunity-work.lua", Self.opportunityWork)
        let before = try server.storeContent()
        let dry = try runEngage(
            ["run", recipe, "--param", "existing=\(existing)", "--endpoint-url", server.endpoint, "--output", "json", "--dry-run"],
            environment: environment(server))
        #expect(dry.status == 0, "\(dry.stderr) \(dry.stdout)")
        #expect(try JSONValue(parsing: dry.stdout)["result"] == ["existing": "changed", "listed": 2, "solutions": 1], "\(dry.stdout)")
        #expect(try server.storeContent() == before, "the dry run wrote nothing on the server")
        #expect(server.stop() == 0)
    }
}
