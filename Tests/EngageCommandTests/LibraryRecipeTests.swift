import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The library's recipes — customer-project, nurture, qualify, export — run by name as a user runs them:
/// the real binary, a real store file, concurrent writers as separate processes.
@Suite(.tags(.process)) struct LibraryRecipeTests {
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

    /// An engagement with one Lead context (customer Acme, one interaction "seed"); its id.
    func leadEngagement() throws -> String {
        try lua(#"""
            local e = create_engagement{ Title = "Acme", Description = "Nurtured lead" }
            create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
              Customer = { CompanyName = "Acme", Address = { CountryCode = "US" } },
              Interactions = { { SourceType = "Event", SourceId = "seed", SourceName = "AWS Summit", CustomerAction = "Asked for a demo",
                Contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } } } } } }
            print(e.Id)
            """#).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The lead of context 1: its QualificationStatus and its interactions' SourceIds in order.
    func lead(_ engagement: String) throws -> (status: String?, sources: [String]) {
        let document = try JSONValue(parsing: try lua("""
            local lead = get_engagement("\(engagement)").Contexts[1].Payload.Lead
            local sources = {}
            for i, interaction in ipairs(lead.Interactions) do sources[i] = interaction.SourceId end
            print(json.encode({ status = lead.QualificationStatus, sources = sources }))
            """))
        return (document["status"]?.stringValue, (document["sources"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    static func nurture(_ engagement: String, source: String) -> [String: String] {
        ["engagement": engagement, "source_type": "Webinar", "source_id": source, "source_name": "Data on AWS webinar",
         "action": "Attended", "first_name": "Ada", "last_name": "Lee", "email": "ada@acme.example", "title": "CTO"]
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

    // MARK: nurture

    @Test(.timeLimit(.minutes(3))) func nurtureFromEightProcessesAppendsEachInteractionOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let sources = (1...8).map { "webinar-\($0)" }
        let runs = try runEngageConcurrently(sources.map { command("nurture", Self.nurture(engagement, source: $0)) }, environment: environment)
        for run in runs { #expect(try result(run)["appended"] == true) }
        let lead = try lead(engagement)
        #expect(lead.sources.count == 9)
        #expect(lead.sources.sorted() == (["seed"] + sources).sorted(), "every append present once")
    }

    @Test func nurtureRunTwiceAppendsOneInteraction() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let parameters = Self.nurture(engagement, source: "webinar-1").merging(["date": "2025-07-02"]) { $1 }
        #expect(try result(try run("nurture", parameters))["appended"] == true)
        let again = try result(try run("nurture", parameters))
        #expect(again["appended"] == false)
        #expect(try lead(engagement).sources == ["seed", "webinar-1"])
    }

    @Test func nurtureRefusesABadEmailAndAMissingLead() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let badEmail = try run("nurture", Self.nurture(engagement, source: "w").merging(["email": "ada-at-acme"]) { $1 })
        #expect(badEmail.status == 1)
        #expect(try failure(badEmail).contains("LeadContact.Email: 'ada-at-acme' is not an email address"), "\(badEmail.stdout)")
        let noLead = try run("nurture", Self.nurture(engagement, source: "w").merging(["context": "2"]) { $1 })
        #expect(noLead.status == 1)
        #expect(try failure(noLead).contains("ResourceNotFoundException: engagement \(engagement) has no Lead context '2'"), "\(noLead.stdout)")
        #expect(try lead(engagement).sources == ["seed"])
    }

    // MARK: qualify

    @Test(.timeLimit(.minutes(3))) func qualifyAmongConcurrentNurturesSetsTheStatusAndLosesNoInteraction() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let sources = (1...6).map { "webinar-\($0)" }
        var commands = sources.map { command("nurture", Self.nurture(engagement, source: $0)) }
        commands.insert(command("qualify", ["engagement": engagement, "status": "Sales qualified"]), at: 3)
        let runs = try runEngageConcurrently(commands, environment: environment)
        for run in runs { _ = try result(run) }
        #expect(try result(runs[3])["changed"] == true)
        let lead = try lead(engagement)
        #expect(lead.status == "Sales qualified")
        #expect(lead.sources.sorted() == (["seed"] + sources).sorted(), "every append present once")
    }

    /// Two identical qualify runs that have both read the lead before either writes: a `sqlite3` holding
    /// the store's write lock keeps their writes waiting until both have read. Exactly one writes; the
    /// other's write conflicts, and on its re-read it finds the status and sends nothing.
    @Test(.timeLimit(.minutes(3))) func twoIdenticalQualifyRunsAtOnceWriteOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let lock = Process()
        lock.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        lock.arguments = ["sqlite3", store]
        let lockInput = Pipe(), lockOutput = Pipe()
        (lock.standardInput, lock.standardOutput, lock.standardError) = (lockInput, lockOutput, FileHandle.nullDevice)
        try lock.run()
        let locked = LineReader(lockOutput.fileHandleForReading)
        try lockInput.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        #expect(locked.line(at: 0, within: .seconds(60)) == "locked")

        let runs = try (0..<2).map { _ in
            let process = Process()
            process.executableURL = engageBinary
            process.arguments = command("qualify", ["engagement": engagement, "status": "Sales qualified"]) + ["-v"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            let output = Pipe(), errors = Pipe()
            (process.standardOutput, process.standardError) = (output, errors)
            try process.run()
            return (process: process, output: output, errors: LineReader(errors.fileHandleForReading))
        }
        for run in runs {
            var index = 0
            while let line = run.errors.line(at: index, within: .seconds(60)), !line.contains("GetEngagement \(engagement)") { index += 1 }
            #expect(run.errors.lines.contains { $0.contains("GetEngagement \(engagement)") }, "\(run.errors.lines)")
        }
        try lockInput.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
        try lockInput.fileHandleForWriting.close()
        lock.waitUntilExit()

        let results = try runs.map { run in
            let stdout = run.output.fileHandleForReading.readDataToEndOfFile()
            run.process.waitUntilExit()
            #expect(run.process.terminationStatus == 0, "\(run.errors.text())")
            return try JSONValue(parsing: stdout)["result"] ?? .null
        }
        #expect(results.filter { $0["changed"] == true }.count == 1, "\(results)")
        #expect(results.filter { $0["changed"] == false && $0["previous"] == "Sales qualified" }.count == 1, "\(results)")
        #expect(results.allSatisfy { $0["status"] == "Sales qualified" })
        #expect(try lead(engagement).status == "Sales qualified")
        let audit = try runEngage(["log", "--engagement", engagement, "--output", "json", "--store", store])
        let updates = try (JSONValue(parsing: audit.stdout)["Entries"]?.arrayValue ?? []).filter { $0["Operation"] == "UpdateEngagementContext" }
        #expect(updates.count == 1, "\(audit.stdout)")
    }

    @Test func qualifyWithTheStatusTheLeadHasWritesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let first = try result(try run("qualify", ["engagement": engagement, "status": "Qualified"]))
        #expect(first["changed"] == true)
        #expect(first["previous"] == nil)
        let before = try CorpusStore.content(of: store)
        let again = try result(try run("qualify", ["engagement": engagement, "status": "Qualified"]))
        #expect(again["changed"] == false)
        #expect(try CorpusStore.content(of: store) == before)
        let changed = try result(try run("qualify", ["engagement": engagement, "status": "Disqualified: no budget"]))
        #expect(changed["previous"] == "Qualified")
        #expect(try lead(engagement) == ("Disqualified: no budget", ["seed"]))
    }

    @Test func qualifyRefusesAnEmptyStatusBeforeAnyCall() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let engagement = try leadEngagement()
        let refused = try run("qualify", ["engagement": engagement, "status": ""])
        #expect(refused.status == 2, "an empty required parameter is refused before the run starts")
        #expect(try failure(refused) == "qualify: parameter 'status' is required and must not be empty", "\(refused.stdout)")
        #expect(try JSONValue(parsing: refused.stdout)["calls"] == nil)
    }

    // MARK: export

    /// 25 engagements made in order; every third has a Lead whose company name holds commas and quotes, and
    /// one title and one description need quoting too. Returns them as (id, title, company) in creation order.
    func twentyFiveEngagements() throws -> [(id: String, title: String, company: String)] {
        let made = try JSONValue(parsing: try lua(#"""
            local made = {}
            for i = 1, 25 do
              local title = i == 5 and 'Globex, "West"' or ("Engagement " .. i)
              local e = create_engagement{ Title = title, Description = i == 7 and 'Two lines,\nand a "quote"' or "Pilot" }
              local company = ""
              if i % 3 == 0 then
                company = string.format('Acme %d, Inc. "the %s"', i, i % 2 == 0 and "even" or "odd")
                create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
                  Customer = { CompanyName = company, Address = { CountryCode = "US" } },
                  Interactions = { { SourceType = "Event", SourceId = "s" .. i, SourceName = "Summit", CustomerAction = "Asked",
                    Contact = { BusinessTitle = "CTO", Email = "cto@acme.example", FirstName = "Ada", LastName = "Lee" } } } } } }
              end
              made[i] = { id = e.Id, title = title, company = company }
            end
            print(json.encode(made))
            """#))
        return (made.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0["title"]?.stringValue ?? "", $0["company"]?.stringValue ?? "") }
    }

    @Test func exportAsJsonPagesThroughEveryEngagementWithItsContexts() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try twentyFiveEngagements()
        let out = folder.appendingPathComponent("engagements.json").path
        let exported = try run("export", ["out": out, "page_size": "7"])
        #expect(try result(exported)["engagements"] == 25)
        #expect(try result(exported)["out"]?.stringValue == out)
        let calls = try JSONValue(parsing: exported.stdout)["calls"]?.arrayValue ?? []
        #expect(calls.first { $0["operation"] == "ListEngagements" }?["count"] == 4, "25 engagements are 4 pages of 7")
        #expect(calls.first { $0["operation"] == "GetEngagement" }?["count"] == 25)
        let file = try JSONValue(parsing: String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self))
        let engagements = file.arrayValue ?? []
        #expect(engagements.map { $0["Id"]?.stringValue ?? "" } == made.map(\.id))
        #expect(engagements.map { $0["Title"]?.stringValue ?? "" } == made.map(\.title))
        let companies = engagements.map { $0["Contexts"]?.arrayValue?.first?["Payload"]?["Lead"]?["Customer"]?["CompanyName"]?.stringValue ?? "" }
        #expect(companies == made.map(\.company))
    }

    @Test func exportAsCsvReadsBackInPythonsCsvModule() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try twentyFiveEngagements()
        #expect(try lua("print(update_lead('\(made[2].id)', '1', function(l) l.QualificationStatus = 'Qualified, \"hot\"'; return l end).ContextId)") == "1\n")
        let out = folder.appendingPathComponent("engagements.csv").path
        let exported = try run("export", ["out": out, "format": "csv"])
        #expect(try result(exported)["engagements"] == 25)
        let calls = try JSONValue(parsing: exported.stdout)["calls"]?.arrayValue ?? []
        #expect(calls.first { $0["operation"] == "ListEngagements" }?["count"] == 2, "the default page is 20")
        let python = """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                header, *lines = list(csv.reader(f, strict=True))
            print(json.dumps({'header': header, 'widths': sorted({len(line) for line in lines}),
                              'rows': [dict(zip(header, line)) for line in lines]}))
            """
        let parsed = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", python, out])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let document = try JSONValue(parsing: parsed.stdout)
        #expect(document["header"] == ["id", "title", "description", "created_at", "modified_at", "context_types",
                                       "lead_company", "lead_interactions", "qualification_status"])
        #expect(document["widths"] == [9], "every row has every column")
        let rows = document["rows"]?.arrayValue ?? []
        #expect(rows.count == 25)
        #expect(rows.map { $0["id"]?.stringValue ?? "" } == made.map(\.id))
        #expect(rows.map { $0["title"]?.stringValue ?? "" } == made.map(\.title))
        #expect(rows.map { $0["lead_company"]?.stringValue ?? "" } == made.map(\.company))
        #expect(rows.map { $0["context_types"]?.stringValue ?? "" } == made.map { $0.company.isEmpty ? "" : "Lead" })
        #expect(rows.map { $0["lead_interactions"]?.stringValue ?? "" } == made.map { $0.company.isEmpty ? "" : "1" })
        #expect(rows[6]["description"] == "Two lines,\nand a \"quote\"")
        #expect(rows[2]["qualification_status"] == "Qualified, \"hot\"")
        #expect(rows.allSatisfy { ($0["created_at"]?.stringValue ?? "").hasSuffix("Z") })
    }

    @Test func exportRefusesAnUnknownFormatAndWritesNoFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("engagements.xml").path
        let refused = try run("export", ["out": out, "format": "xml"])
        #expect(refused.status == 2, "the runner refuses a value the enum does not list")
        #expect(try failure(refused).contains("parameter 'format' must be one of json, csv"), "\(refused.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let noFolder = try run("export", ["out": folder.appendingPathComponent("missing/engagements.json").path])
        #expect(noFolder.status == 2)
        #expect(try failure(noFolder).contains("parameter 'out': the folder"), "\(noFolder.stdout)")
    }

    @Test func exportInADryRunWritesNoFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("engagements.json").path
        let dry = try runEngage(["run", "export", "--param", "out=\(out)", "--dry-run", "--store", store])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("dry run: 0 engagements would be written to"), "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    // MARK: the library

    @Test(arguments: [
        ("customer-project", "Open an engagement with a CustomerProject context", "business_problem"),
        ("nurture", "Append one follow-up interaction to an existing lead", "action"),
        ("qualify", "Set a lead's QualificationStatus", "engagement"),
        ("export", "Write every engagement, contexts included, to a JSON or CSV file", "out"),
    ])
    func eachRecipeIsListedExplainsItselfAndNamesAMissingParameter(recipe: String, description: String, firstRequired: String) throws {
        let listing = try runEngage(["recipes"], environment: environment)
        #expect(listedDescription(of: recipe, in: listing.stdout)?.hasPrefix(description) == true, "\(listing.stdout)")
        let help = try runEngage(["run", recipe, "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("\(recipe): \(description)"))
        let missing = try runEngage(["run", recipe, "--store", store], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("\(recipe): missing required parameter '\(firstRequired)'"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store), "nothing was opened")
    }
}

/// Runs every command line at once, each `engage` process started and waited for on a thread of its own,
/// and returns their results in the commands' order.
func runEngageConcurrently(_ commands: [[String]], environment: [String: String] = [:]) throws -> [CommandResult] {
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: Result<CommandResult, any Error>] = [:]
        subscript(index: Int) -> Result<CommandResult, any Error>? {
            get { lock.withLock { values[index] } }
            set { lock.withLock { values[index] = newValue } }
        }
    }
    let results = Results()
    let group = DispatchGroup()
    for (index, arguments) in commands.enumerated() {
        group.enter()
        Thread.detachNewThread {
            results[index] = Result { try runEngage(arguments, environment: environment) }
            group.leave()
        }
    }
    group.wait()
    return try commands.indices.map { try results[$0]!.get() }
}

/// The description `engage recipes` printed for `recipe`: its line is the name, padding to the longest
/// name, then the description.
func listedDescription(of recipe: String, in listing: String) -> String? {
    for line in listing.split(separator: "\n") where line.hasPrefix(recipe + " ") {
        return line.dropFirst(recipe.count).trimmingCharacters(in: .whitespaces)
    }
    return nil
}
