import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The opportunity-intake recipe as a partner engineer runs it: a real CSV, a real store, the real binary,
/// found by name on the recipe search path.
@Suite(.tags(.process)) struct OpportunityIntakeRecipeTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-opportunity-intake-\(UUID().uuidString)")
    static let header = "partner_opportunity_id,company,industry,country,state,city,postal,street,website,title,business_problem,use_case,target_close_date,amount,currency,stage,closed_lost_reason,opportunity_type,next_steps"
    static let sample = repositoryRoot.appendingPathComponent("Recipes/samples/opportunities.csv").path

    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }

    func csv(_ rows: [String]) throws -> String {
        try file("opportunities.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
    }

    /// A row a submission accepts, with the cells a test changes.
    static func row(_ partnerId: String, company: String = "Acme", industry: String = "Retail", state: String = "Washington",
                    closeDate: String = "2030-06-30", amount: String = "25000", currency: String = "USD", website: String = "https://www.acme.example") -> String {
        "\(partnerId),\(company),\(industry),US,\(state),Seattle,98101,,\(website),Lakehouse migration,Nightly reports take eleven hours on the warehouse,Database,\(closeDate),\(amount),\(currency),Qualified,,Net New Business,"
    }

    func intake(_ csv: String, _ extra: [String] = []) throws -> CommandResult {
        try runEngage(["run", "opportunity-intake", "--param", "csv=\(csv)", "--store", store] + extra, environment: environment)
    }

    /// The result of a run that succeeded with `--output json`.
    func result(_ run: CommandResult) throws -> JSONValue {
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw TerminalError("the run failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return result
    }

    /// Every opportunity in the store, each read with GetOpportunity: partner id, id, company, solutions and
    /// review status, in the order ListOpportunities gives them.
    func opportunities(in store: String? = nil) throws -> [(partnerId: String, id: String, company: String, solutions: [String], reviewStatus: String)] {
        let script = #"""
            local out = json.decode("[]")
            for summary in each(list_opportunities, {}) do
              local o = get_opportunity(summary.Id)
              out[#out + 1] = { partner = o.PartnerOpportunityIdentifier, id = o.Id, company = o.Customer.Account.CompanyName,
                solutions = o.RelatedEntityIdentifiers.Solutions or json.decode("[]"), review = o.LifeCycle.ReviewStatus }
            end
            print(json.encode(out))
            """#
        let read = try runEngage(["run", "-", "--store", store ?? self.store], input: script)
        guard read.status == 0 else { throw TerminalError("reading the store failed: \(read.stderr)") }
        return (try JSONValue(parsing: read.stdout).arrayValue ?? []).map {
            ($0["partner"]?.stringValue ?? "", $0["id"]?.stringValue ?? "", $0["company"]?.stringValue ?? "",
             ($0["solutions"]?.arrayValue ?? []).compactMap(\.stringValue), $0["review"]?.stringValue ?? "")
        }
    }

    @Test func theSampleMakesOneOpportunityPerRowWithTheSolution() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try result(try intake(Self.sample, ["--output", "json"]))
        #expect(made["created"] == 4)
        #expect(made["associated"] == 4)
        #expect(made["submitted"] == 0)
        #expect(made["invalid_rows"] == 0)
        let stored = try opportunities()
        #expect(stored.map(\.partnerId).sorted() == ["CRM-1001", "CRM-1002", "CRM-1003", "CRM-1004"])
        #expect(Set(stored.map(\.company)) == ["Acme, Inc.", "Globex", "Proseware, Inc.", "Initech"])
        #expect(stored.allSatisfy { $0.solutions == ["S-1234567"] }, "\(stored)")
        #expect(stored.allSatisfy { $0.reviewStatus == "Pending Submission" }, "\(stored)")
        #expect(stored.allSatisfy { $0.id.hasPrefix("O") })
        for opportunity in stored { #expect(made["opportunities"]?[opportunity.partnerId]?.stringValue == opportunity.id) }
    }

    @Test func submitTrueSubmitsEachOpportunityOnceAndRunningAgainChangesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try result(try intake(Self.sample, ["--output", "json"]))["submitted"] == 0)
        let unsubmitted = try opportunities()
        let submitted = try result(try intake(Self.sample, ["--param", "submit=true", "--output", "json"]))
        #expect(submitted["created"] == 4)
        #expect(submitted["submitted"] == 4)
        let stored = try opportunities()
        #expect(stored.map(\.id).sorted() == unsubmitted.map(\.id).sorted(), "the second run replayed the creates")
        #expect(stored.allSatisfy { $0.reviewStatus == "Submitted" && $0.solutions == ["S-1234567"] }, "\(stored)")
        let before = try CorpusStore.content(of: store)
        let again = try intake(Self.sample, ["--param", "submit=true", "--output", "json"])
        #expect(try result(again) == submitted)
        #expect(try CorpusStore.content(of: store) == before)
    }

    @Test func aBadRowNamesItsLineAndFieldAndNothingIsWritten() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("P-1"),
            Self.row("P-2", company: "Globex", currency: "GBP"),
            Self.row("P-3", company: "Initech", industry: "Retial"),
            Self.row("P-4", company: "Hooli", state: "WA"),
            Self.row("P-5", company: "Umbrella", closeDate: "2020-01-31"),
        ])
        let refused = try intake(path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("opportunities.csv line 3 (Globex): currency: ExpectedCustomerSpend.CurrencyCode must be USD or EUR, got 'GBP'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("opportunities.csv line 4 (Initech): Account.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("opportunities.csv line 5 (Hooli): state: Address.StateOrRegion 'WA' is not a US state's full name"), "\(refused.stderr)")
        #expect(refused.stderr.contains("opportunities.csv line 6 (Umbrella): target_close_date: LifeCycle.TargetCloseDate 2020-01-31 is in the past"), "\(refused.stderr)")
        #expect(refused.stderr.contains("4 of 5 rows are invalid (listed above); nothing was written"), "\(refused.stderr)")
        #expect(try opportunities().isEmpty)
        let skipping = try intake(path, ["--param", "skip_invalid=true", "--output", "json"])
        #expect(try result(skipping)["invalid_rows"] == 4)
        #expect(try opportunities().map(\.partnerId) == ["P-1"])
    }

    @Test func submitTrueRefusesARowMissingWhatASubmissionNeeds() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([Self.row("P-1"), Self.row("P-2", amount: "", currency: "", website: "")])
        let refused = try intake(path, ["--param", "submit=true"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("opportunities.csv line 3 (Acme): to submit, these cells are needed: website, amount"), "\(refused.stderr)")
        #expect(try opportunities().isEmpty)
        #expect(try result(try intake(path, ["--output", "json"]))["created"] == 2, "without submit=true the row is complete enough")
    }

    @Test func aPartnerIdTwiceInTheFileIsAnInvalidRow() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([Self.row("P-1"), Self.row("P-1", company: "Globex"), Self.row("", company: "Initech")])
        let refused = try intake(path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("opportunities.csv line 3 (Globex): partner_opportunity_id: 'P-1' is also on line 2"), "\(refused.stderr)")
        #expect(refused.stderr.contains("opportunities.csv line 4 (Initech): partner_opportunity_id: required"), "\(refused.stderr)")
        #expect(try opportunities().isEmpty)
    }

    @Test func aSolutionTheCatalogDoesNotListIsRefusedBeforeAnyWrite() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try intake(Self.sample, ["--param", "solution=S-7654321"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("solution S-7654321 is not among the catalog's solutions; nothing was written"), "\(refused.stderr)")
        #expect(try opportunities().isEmpty)
    }

    /// A row changed after its opportunity was made is another request under the row's token: the service
    /// refuses it rather than making a second opportunity.
    @Test func aRowEditedAfterItsOpportunityWasMadeIsRefusedNotDuplicated() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try result(try intake(try csv([Self.row("P-1")]), ["--output", "json"]))
        let edited = try csv([Self.row("P-1", company: "Acme Holdings")])
        let refused = try intake(edited, ["--param", "submit=true"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("ConflictException: ClientToken 'opportunity-intake/P-1' was already used for a different CreateOpportunity request"), "\(refused.stderr)")
        #expect(try opportunities().map(\.company) == ["Acme"])
    }

    /// 30 rows submitted, the run killed three times, each right after one of a row's writes returned
    /// (before the row was recorded as done), then run to the end: every row's opportunity exists once,
    /// with the solution once, submitted once.
    @Test(.timeLimit(.minutes(3))) func aRunKilledAfterEachKindOfWriteAndRunAgainLeavesEachRowsOpportunityOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let partnerIds = (1...30).map { "P-\($0)" }
        let path = try csv(partnerIds.map { Self.row($0, company: "Company \($0)") })
        var killedPartWay = 0
        for (operation, count) in [("CreateOpportunity", 5), ("AssociateOpportunity", 10), ("SubmitOpportunity", 15)] {
            let run = try RunningEngage(["run", "opportunity-intake", "--param", "csv=\(path)", "--param", "submit=true", "--store", store, "-v"],
                                        environment: environment)
            var seen = 0, index = 0
            while seen < count, let line = run.stderr.line(at: index, within: .seconds(60)) {
                if line.hasPrefix("engage: \(operation) ") { seen += 1 }
                index += 1
            }
            if run.stop(with: SIGKILL) { killedPartWay += 1 }
        }
        #expect(killedPartWay == 3, "every run was killed before it finished")
        let finish = try intake(path, ["--param", "submit=true", "--output", "json"])
        #expect(try result(finish)["created"] == 30)
        #expect(try result(finish)["submitted"] == 30)
        let stored = try opportunities()
        #expect(stored.map(\.partnerId).sorted() == partnerIds.sorted(), "each row's opportunity exactly once")
        #expect(stored.allSatisfy { $0.solutions == ["S-1234567"] && $0.reviewStatus == "Submitted" }, "\(stored)")
        let integrity = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, "PRAGMA integrity_check"])
        #expect(integrity.stdout == "ok\n")
    }

    /// The same through `engage serve`: the journal is kept locally, the tokens are replayed by the server.
    @Test(.timeLimit(.minutes(3))) func overAnEndpointARunKilledPartWayAndRunAgainLeavesEachRowsOpportunityOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let environment = server.isolated(self.environment.merging([
            "AWS_ACCESS_KEY_ID": ServedSandbox.alice.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.alice.secret,
            "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
        ]) { _, new in new })
        let partnerIds = (1...12).map { "P-\($0)" }
        let path = try csv(partnerIds.map { Self.row($0, company: "Company \($0)") })
        let command = ["run", "opportunity-intake", "--param", "csv=\(path)", "--param", "submit=true", "--endpoint-url", server.endpoint]
        let run = try RunningEngage(command + ["-v"], environment: environment)
        var associations = 0, index = 0
        while associations < 5, let line = run.stderr.line(at: index, within: .seconds(60)) {
            if line.hasPrefix("engage: AssociateOpportunity ") { associations += 1 }
            index += 1
        }
        #expect(run.stop(with: SIGKILL), "the run was killed before it finished")
        let finish = try runEngage(command + ["--output", "json"], environment: environment)
        #expect(try result(finish)["submitted"] == 12)
        let stored = try opportunities(in: server.store)
        #expect(stored.map(\.partnerId).sorted() == partnerIds.sorted(), "each row's opportunity exactly once")
        #expect(stored.allSatisfy { $0.solutions == ["S-1234567"] && $0.reviewStatus == "Submitted" }, "\(stored)")
        #expect(server.stop() == 0)
    }

    @Test func aDryRunListsTheWritesAndLeavesTheStoreAsItWas() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runEngage(["run", "-", "--store", store], input: "list_opportunities{}").status == 0, "the first call creates the store")
        let before = try CorpusStore.content(of: store)
        let dry = try intake(Self.sample, ["--param", "submit=true", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("12 writes, every one would be accepted; nothing was written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("1. CreateOpportunity"), "\(dry.stdout)")
        #expect(dry.stdout.contains("2. AssociateOpportunity"), "\(dry.stdout)")
        #expect(dry.stdout.contains("3. SubmitOpportunity"), "\(dry.stdout)")
        #expect(try CorpusStore.content(of: store) == before)
    }

    @Test func theRecipeExplainsItselfAndRefusesAMissingParameter() throws {
        let help = try runEngage(["run", "opportunity-intake", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("opportunity-intake: Create opportunities from a CSV"))
        #expect(help.stdout.contains("usage: engage run opportunity-intake --param csv=PATH"), "\(help.stdout)")
        #expect(help.stdout.contains("submit  (boolean, default false)"), "\(help.stdout)")
        let missing = try runEngage(["run", "opportunity-intake", "--store", store], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("opportunity-intake: missing required parameter 'csv'"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store), "nothing was opened")
    }
}
