import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The lead-to-opportunity recipe after lead-intake and qualify, as a partner engineer chains them: the real
/// binary, a real store, the recipes found by name.
@Suite(.tags(.process)) struct LeadToOpportunityRecipeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-lead-to-opportunity-\(UUID().uuidString)")
    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }
    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }

    func run(_ recipe: String, _ parameters: [String: String] = [:]) throws -> JSONValue {
        let arguments = ["run", recipe] + parameters.flatMap { ["--param", "\($0.key)=\($0.value)"] } + ["--store", store, "--output", "json"]
        let run = try runEngage(arguments, environment: environment)
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw TerminalError("\(recipe) failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return result
    }

    func lua(_ script: String) throws -> String {
        let result = try runEngage(["run", "-", "--store", store], input: script)
        guard result.status == 0 else { throw TerminalError("the script failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// lead-intake's sample: four engagements with a Lead each; engagement ids by title.
    func sampleLeads() throws -> [String: String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(try run("lead-intake", ["csv": repositoryRoot.appendingPathComponent("Recipes/samples/leads.csv").path])["engagements"] == 4)
        let ids = try JSONValue(parsing: try lua(#"""
            local ids = {}
            for summary in each(list_engagements) do ids[get_engagement(summary.Id).Title] = summary.Id end
            print(json.encode(ids))
            """#))
        return (ids.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue }
    }

    /// The opportunities an engagement lists among its resource associations.
    func associatedOpportunities(_ engagement: String) throws -> [String] {
        let listed = try JSONValue(parsing: try lua("""
            local ids = json.decode("[]")
            for a in each(list_engagement_resource_associations, { EngagementIdentifier = "\(engagement)" }) do
              if a.ResourceType == "Opportunity" then ids[#ids + 1] = a.ResourceId end
            end
            print(json.encode(ids))
            """))
        return (listed.arrayValue ?? []).compactMap(\.stringValue)
    }

    func opportunityCount() throws -> Int {
        Int(try lua("local n = 0; for _ in each(list_opportunities, {}) do n = n + 1 end; print(n)")) ?? -1
    }

    @Test func aQualifiedLeadBecomesOneOpportunityTheEngagementListsAndASecondRunMakesNone() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagements = try sampleLeads()
        let acme = try #require(engagements["Acme, Inc."])
        let globex = try #require(engagements["Globex"])
        #expect(try run("qualify", ["engagement": acme, "status": "Qualified"])["changed"] == true)
        #expect(try run("qualify", ["engagement": globex, "status": "Disqualified"])["changed"] == true)

        let first = try run("lead-to-opportunity")
        #expect(first["started"] == 1)
        #expect(first["failed"] == 0)
        #expect(first["not_qualified"] == 3, "Globex is disqualified, the other two have no status")
        let lead = try #require(first["leads"]?.arrayValue?.first)
        #expect(lead["engagement"]?.stringValue == acme)
        #expect(lead["status"] == "COMPLETE")
        let opportunity = try #require(lead["opportunity"]?.stringValue)
        #expect(opportunity.hasPrefix("O"))
        #expect(try associatedOpportunities(acme) == [opportunity])
        #expect(try associatedOpportunities(globex).isEmpty)
        #expect(try lua("print(get_opportunity('\(opportunity)').Customer.Account.CompanyName)") == "Acme, Inc.")

        let second = try run("lead-to-opportunity")
        #expect(second["started"] == 0)
        #expect(second["already_opportunity"] == 1)
        #expect(second["leads"]?.arrayValue?.isEmpty == true)
        #expect(try opportunityCount() == 1)
        #expect(try associatedOpportunities(acme) == [opportunity])
    }

    @Test func theStatusIsComparedIgnoringCaseAndCanBeChosen() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagements = try sampleLeads()
        let acme = try #require(engagements["Acme, Inc."])
        let initech = try #require(engagements["Initech"])
        #expect(try run("qualify", ["engagement": acme, "status": "QUALIFIED"])["changed"] == true)
        #expect(try run("qualify", ["engagement": initech, "status": "Sales qualified"])["changed"] == true)
        #expect(try run("lead-to-opportunity")["started"] == 1)
        #expect(try associatedOpportunities(acme).count == 1)
        #expect(try associatedOpportunities(initech).isEmpty)
        let chosen = try run("lead-to-opportunity", ["status": "sales qualified"])
        #expect(chosen["started"] == 1)
        #expect(try associatedOpportunities(initech).count == 1)
        #expect(try opportunityCount() == 2)
    }

    @Test func aDryRunListsTheTaskAndStartsNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let acme = try #require(try sampleLeads()["Acme, Inc."])
        #expect(try run("qualify", ["engagement": acme, "status": "Qualified"])["changed"] == true)
        let dry = try runEngage(["run", "lead-to-opportunity", "--dry-run", "--store", store], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("1 write, every one would be accepted; nothing was written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("1. StartOpportunityFromEngagementTask \(acme)/1"), "\(dry.stdout)")
        #expect(try opportunityCount() == 0)
        #expect(try associatedOpportunities(acme).isEmpty)
    }

    @Test func theRecipeExplainsItself() throws {
        let help = try runEngage(["run", "lead-to-opportunity", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("lead-to-opportunity: Turn every qualified lead of the catalog into an opportunity"), "\(help.stdout)")
        #expect(help.stdout.contains("status  (string, default Qualified)"), "\(help.stdout)")
    }
}
