import Foundation
import OrderedJSON
import Testing

/// The library's recipes — customer-project — run by name as a user runs them:
/// the real binary, a real store file.
@Suite struct LibraryRecipeTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-library-\(UUID().uuidString)")
    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }
    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }

    /// `engage run RECIPE --param k=v … --store STORE --output json` as one command line.
    func command(_ recipe: String, _ parameters: [String: String]) -> [String] {
        ["run", recipe] + parameters.flatMap { ["--param", "\($0.key)=\($0.value)"] } + ["--store", store, "--output", "json"]
    }

    func run(_ recipe: String, _ parameters: [String: String]) throws -> CommandResult {
        try runEngage(command(recipe, parameters), environment: environment)
    }

    /// The recipe's result from the JSON document a successful run printed.
    func result(_ run: CommandResult) throws -> JSONValue {
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw TerminalError("the run failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return result
    }

    /// The error a failed run reported in its JSON document.
    func failure(_ run: CommandResult) throws -> String {
        try JSONValue(parsing: run.stdout)["error"]?.stringValue ?? ""
    }

    /// Runs a plain Lua script on the store and returns what it printed.
    func lua(_ script: String) throws -> String {
        let result = try runEngage(["run", "-", "--store", store], input: script)
        guard result.status == 0 else { throw TerminalError("the script failed: \(result.stderr)") }
        return result.stdout
    }

    static let project: [String: String] = [
        "title": "Acme data platform", "description": "Joint pilot", "company": "Acme, Inc.", "industry": "Retail",
        "country": "US", "website": "https://www.acme.example", "project_title": "Lakehouse migration",
        "business_problem": "Nightly reports take eleven hours on the current warehouse", "target_date": "2026-03-31",
    ]

    // MARK: customer-project

    @Test func customerProjectOpensAnEngagementWithTheCustomerAndItsProject() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let opened = try result(try run("customer-project", Self.project))
        let engagement = try #require(opened["engagement"]?.stringValue)
        #expect(opened["context"] == "1")
        let stored = try JSONValue(parsing: try lua("print(json.encode(get_engagement('\(engagement)')))"))
        #expect(stored["Title"] == "Acme data platform")
        #expect(stored["Description"] == "Joint pilot")
        let context = try #require(stored["Contexts"]?.arrayValue?.first)
        #expect(context["Type"] == "CustomerProject")
        let customer = context["Payload"]?["CustomerProject"]?["Customer"]
        #expect(customer?["CompanyName"] == "Acme, Inc.")
        #expect(customer?["Industry"] == "Retail")
        #expect(customer?["CountryCode"] == "US")
        #expect(customer?["WebsiteUrl"] == "https://www.acme.example")
        let project = context["Payload"]?["CustomerProject"]?["Project"]
        #expect(project?["Title"] == "Lakehouse migration")
        #expect(project?["BusinessProblem"] == "Nightly reports take eleven hours on the current warehouse")
        #expect(project?["TargetCompletionDate"] == "2026-03-31")
    }

    /// The recipe has no items, so a rerun sends both creates again: the run's ClientTokens make the service
    /// replay them, and the store does not change.
    @Test func customerProjectRunTwiceOpensOneEngagementThroughItsClientTokens() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try result(try run("customer-project", Self.project))
        let before = try CorpusStore.content(of: store)
        let again = try run("customer-project", Self.project)
        #expect(try result(again) == first)
        let calls = try JSONValue(parsing: again.stdout)["calls"]?.arrayValue ?? []
        #expect(calls.map { $0["operation"] } == ["CreateEngagement", "CreateEngagementContext"])
        #expect(calls.allSatisfy { $0["count"] == 1 && $0["failures"] == 0 })
        #expect(try CorpusStore.content(of: store) == before, "the replayed creates wrote nothing")
        let other = try result(try run("customer-project", Self.project.merging(["title": "Acme second platform"]) { $1 }))
        #expect(other["engagement"] != first["engagement"], "other parameters are another run, with other tokens")
        #expect(try lua("print(#list_engagements{}.EngagementSummaryList)") == "2\n")
    }

    @Test(arguments: [
        ("industry", "Retial", "EngagementCustomer.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)"),
        ("business_problem", "Reports are so slow", "EngagementCustomerProjectDetails.BusinessProblem: must be 20 to 2000 characters, got 19"),
        ("target_date", "2026-3-31", "EngagementCustomerProjectDetails.TargetCompletionDate: '2026-3-31' is not a date written YYYY-MM-DD"),
        ("country", "USA", "EngagementCustomer.CountryCode: 'USA' is not a valid CountryCode"),
        ("title", String(repeating: "T", count: 41), "Title: must be 1 to 40 characters, got 41"),
    ])
    func customerProjectRefusesABadValueAndOpensNothing(parameter: String, value: String, message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try run("customer-project", Self.project.merging([parameter: value]) { $1 })
        #expect(refused.status == 1)
        #expect(try failure(refused).contains(message), "\(refused.stdout)")
        #expect(try lua("print(#list_engagements{}.EngagementSummaryList)") == "0\n")
    }
}

/// The description `engage recipes` printed for `recipe`: its line is the name, padding to the longest
/// name, then the description.
func listedDescription(of recipe: String, in listing: String) -> String? {
    for line in listing.split(separator: "\n") where line.hasPrefix(recipe + " ") {
        return line.dropFirst(recipe.count).trimmingCharacters(in: .whitespaces)
    }
    return nil
}
