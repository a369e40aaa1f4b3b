import Core
import Foundation
import RecipeRunner
import Sandbox
import Scripting
import Testing

/// What makes a recipe safe to run again, through the engine on a real sandbox file: ClientTokens derived
/// from the run and the item, the run journal, appends that skip what the lead already has, and errors
/// labelled by their item.
@Suite(.tags(.unit)) struct RecipeSessionTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-session-\(UUID().uuidString)")

    static let recipe = #"""
        local contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" }
        local function interaction(id) return { SourceType = "Event", SourceId = id, SourceName = "Summit", CustomerAction = "Met", Contact = contact } end
        return recipe{
          description = "Create one lead and append to it",
          params = { company = { type = "string", required = true } },
          run = function(p)
            return item(p.company, function()
              local e = create_engagement{ Title = p.company, Description = "Pilot" }
              local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
                Customer = { CompanyName = p.company, Address = { CountryCode = "US" } }, Interactions = { interaction("first") } } } }
              local appended = append_interaction(e.Id, c.ContextId, interaction("second"))
              return { engagement = e.Id, context = c.ContextId, again = appended.AlreadyAppended or false }
            end, "company " .. p.company)
          end,
        }
        """#

    func engine(_ sandbox: SandboxService) async throws -> ScriptEngine {
        let engine = ScriptEngine(service: sandbox)
        _ = try await engine.declareRecipe(script: Array(Self.recipe.utf8), chunkName: "@lead.lua", scriptName: "lead.lua").get()
        return engine
    }

    func sandbox() throws -> SandboxService {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path)
    }

    @Test func theSameRunReplaysItsWritesEvenWithoutTheJournal() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = try sandbox()
        let parameters: JSONValue = ["company": "Acme"]
        // No journal: each run does all its work again, and the derived ClientTokens replay the creates.
        let first = await try engine(sandbox).runDeclaredRecipe(parameters: parameters, session: RecipeSession(recipe: "lead", parameters: parameters, catalog: "Sandbox", journal: nil))
        let second = await try engine(sandbox).runDeclaredRecipe(parameters: parameters, session: RecipeSession(recipe: "lead", parameters: parameters, catalog: "Sandbox", journal: nil))
        guard case .returned(let one) = first, case .returned(let two) = second else { Issue.record("\(first) \(second)"); return }
        #expect(one.first?["engagement"] == two.first?["engagement"])
        #expect(one.first?["again"] == false)
        #expect(two.first?["again"] == true, "the second append found its interaction on the lead")
        let listed = try await sandbox.listEngagements(ListEngagementsRequest(catalog: "Sandbox"))
        #expect(listed.engagementSummaryList.count == 1)
        let engagement = try await sandbox.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: one.first?["engagement"]?.stringValue ?? ""))
        #expect(engagement.wire["Contexts"]?.arrayValue?.first?["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.count == 2)
    }

    @Test func otherParametersAreAnotherRun() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = try sandbox()
        for company in ["Acme", "Globex"] {
            let parameters: JSONValue = ["company": .string(company)]
            let outcome = await try engine(sandbox).runDeclaredRecipe(parameters: parameters, session: RecipeSession(recipe: "lead", parameters: parameters, catalog: "Sandbox", journal: nil))
            guard case .returned = outcome else { Issue.record("\(outcome)"); return }
        }
        let listed = try await sandbox.listEngagements(ListEngagementsRequest(catalog: "Sandbox"))
        #expect(listed.engagementSummaryList.count == 2)
    }

    @Test func aFinishedItemIsSkippedWithTheResultTheJournalKept() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = try sandbox()
        let parameters: JSONValue = ["company": "Acme"]
        let session = { RecipeSession(recipe: "lead", parameters: parameters, catalog: "Sandbox", journal: sandbox) }
        let first = await try engine(sandbox).runDeclaredRecipe(parameters: parameters, session: session())
        let second = await try engine(sandbox).runDeclaredRecipe(parameters: parameters, session: session())
        #expect(first == second, "the journal's result, not a new run's (which would say again = true)")
        let journaled = try await sandbox.finishedItem(run: session().runId, item: "Acme")
        #expect(journaled?["again"] == false)
    }

    @Test func anErrorInsideAnItemCarriesItsLabel() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = ScriptEngine(service: try sandbox())
        let outcome = await engine.run(#"""
            local ok, e = pcall(item, "row-7", function() return LeadContact{ Email = "nope" } end, "leads.csv line 7 (Acme)")
            local ok2, e2 = pcall(item, "row-8", function() error("no such column") end, "leads.csv line 8 (Globex)")
            return tostring(e), e2
            """#, chunkName: "@test.lua")
        guard case .returned(let values) = outcome else { Issue.record("\(outcome)"); return }
        #expect(values.first?.stringValue?.hasPrefix("test.lua:1: leads.csv line 7 (Acme): LeadContact.Email: 'nope' is not an email address") == true, "\(values)")
        #expect(values.last == "test.lua:2: leads.csv line 8 (Globex): no such column")
    }

    @Test func tokensAreTheSameForTheSameRunAndItem() {
        let parameters: JSONValue = ["b": 1, "a": "x"]
        let reordered: JSONValue = ["a": "x", "b": 1]
        let one = RecipeSession(recipe: "r", parameters: parameters, catalog: "Sandbox", journal: nil)
        let two = RecipeSession(recipe: "r", parameters: reordered, catalog: "Sandbox", journal: nil)
        let other = RecipeSession(recipe: "r", parameters: parameters, catalog: "AWS", journal: nil)
        #expect(one.runId == two.runId, "member order does not matter")
        #expect(one.runId != other.runId, "another catalog is another run")
    }
}
