import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The lead-intake recipe as a partner engineer runs it: a real CSV, a real store, the real binary, found by
/// name on the recipe search path.
@Suite(.tags(.process)) struct LeadIntakeRecipeTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-intake-\(UUID().uuidString)")
    static let header = "company,industry,country,website,segment,city,state,postal,first_name,last_name,email,title,phone,source_type,source_id,source_name,action,date,use_case"

    /// The recipes of this repository, found by name as `engage run lead-intake` finds them.
    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }

    func csv(_ rows: [String]) throws -> String {
        try file("leads.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
    }

    static func row(_ company: String, email: String, sourceId: String, action: String = "Asked for a demo", date: String = "2025-06-30",
                    sourceName: String = "AWS Summit", useCase: String = "Migration") -> String {
        func quoted(_ cell: String) -> String {
            cell.contains(",") || cell.contains("\"") ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        return "\(quoted(company)),Retail,US,https://www.example.com,Enterprise,Seattle,Washington,98101,Ada,Lee,\(email),CTO,+12065550100,Event,\(sourceId),\(quoted(sourceName)),\(quoted(action)),\(date),\(quoted(useCase))"
    }

    func intake(_ csv: String, _ extra: [String] = []) throws -> CommandResult {
        try runEngage(["run", "lead-intake", "--param", "csv=\(csv)", "--store", store] + extra, environment: environment)
    }

    /// Every engagement in the store: title → (Lead company, the interactions' SourceIds in order).
    func leads() throws -> [String: (company: String, contexts: Int, sources: [String])] {
        let script = #"""
            local out, token = {}, nil
            repeat
              local page = list_engagements{ MaxResults = 50, NextToken = token }
              for _, summary in ipairs(page.EngagementSummaryList) do
                local e = get_engagement(summary.Id)
                local sources = {}
                local lead = e.Contexts[1] and e.Contexts[1].Payload.Lead
                for _, interaction in ipairs(lead and lead.Interactions or {}) do sources[#sources + 1] = interaction.SourceId end
                out[#out + 1] = { title = e.Title, company = lead and lead.Customer.CompanyName or "", contexts = #e.Contexts, sources = sources }
              end
              token = page.NextToken
            until token == nil
            print(json.encode(out))
            """#
        let result = try runEngage(["run", "-", "--store", store], input: script)
        guard result.status == 0 else { throw TerminalError("reading the store failed: \(result.stderr)") }
        var leads: [String: (String, Int, [String])] = [:]
        for entry in try JSONValue(parsing: result.stdout).arrayValue ?? [] {
            leads[entry["title"]?.stringValue ?? ""] = (entry["company"]?.stringValue ?? "", { if case .integer(let n)? = entry["contexts"] { Int(n) } else { 0 } }(),
                                                         (entry["sources"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        return leads
    }

    @Test func eachCompanyGetsOneEngagementWithALeadAndItsRowsInFileOrder() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme, Inc.", email: "ada@acme.example", sourceId: "a-1"),
            Self.row("Globex", email: "hans@globex.example", sourceId: "g-1"),
            Self.row("Acme, Inc.", email: "ben@acme.example", sourceId: "a-2", date: "2025-07-01T10:00:00Z"),
            Self.row("\"Big\" Co, Ltd", email: "kim@big.example", sourceId: "b-1"),
            Self.row("Acme, Inc.", email: "cleo@acme.example", sourceId: "a-3", action: "Requested a quote, urgently"),
        ])
        let result = try intake(path)
        #expect(result.status == 0, "\(result.stderr)")
        let leads = try leads()
        #expect(leads.count == 3)
        #expect(leads["Acme, Inc."]?.company == "Acme, Inc.")
        #expect(leads["Acme, Inc."]?.contexts == 1)
        #expect(leads["Acme, Inc."]?.sources == ["a-1", "a-2", "a-3"])
        #expect(leads["Globex"]?.sources == ["g-1"])
        #expect(leads["\"Big\" Co, Ltd"]?.company == "\"Big\" Co, Ltd")
    }

    @Test func runningItAgainChangesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"), Self.row("Acme", email: "ben@acme.example", sourceId: "a-2")])
        #expect(try intake(path).status == 0)
        let before = try CorpusStore.content(of: store)
        let again = try intake(path)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try CorpusStore.content(of: store) == before)
    }

    @Test func aDryRunListsTheWritesAndLeavesTheStoreAsItWas() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runEngage(["run", "-", "--store", store], input: "list_engagements()").status == 0, "the first call creates the store")
        let before = try CorpusStore.content(of: store)
        let path = try csv([Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"), Self.row("Acme", email: "ben@acme.example", sourceId: "a-2")])
        let result = try intake(path, ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dry run on a throw-away copy of the sandbox, catalog Sandbox: 3 writes, every one would be accepted; nothing was written"), "\(result.stdout)")
        #expect(result.stdout.contains("1. CreateEngagement eng-"))
        #expect(result.stdout.contains("2. CreateEngagementContext eng-"))
        #expect(result.stdout.contains("3. UpdateEngagementContext eng-"))
        #expect(result.stdout.contains("+ interaction a-2"))
        #expect(try CorpusStore.content(of: store) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path).filter { $0.hasPrefix("engage-dry-run-") }
        #expect(leftovers.isEmpty, "the throw-away copy is removed")
    }

    @Test func aBadEmailNamesItsLineAndFieldAndNothingIsWritten() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"),
            Self.row("Proseware, Inc.", email: "not-an-email", sourceId: "p-1"),
        ])
        let result = try intake(path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("leads.csv line 3 (Proseware, Inc.): LeadContact.Email: 'not-an-email' is not an email address"), "\(result.stderr)")
        #expect(result.stderr.contains("1 of 2 rows are invalid (listed above); nothing was written"))
        #expect(try leads().isEmpty)
        let skipping = try intake(path, ["--param", "skip_invalid=true"])
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(try leads().keys.sorted() == ["Acme"])
    }

    /// The same source, action and contact with another use case or source name is another interaction.
    @Test func rowsThatDifferOnlyInUseCaseOrSourceNameAreEachStored() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", useCase: "Migration"),
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", useCase: "Analytics"),
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", date: "", sourceName: "AWS Summit Berlin"),
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", date: "", sourceName: "AWS Summit Paris"),
        ])
        let result = try intake(path, ["--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["result"]?["interactions"] == 4)
        #expect(document["result"]?["duplicate_rows"] == 0)
        #expect(try leads()["Acme"]?.sources == ["a-1", "a-1", "a-1", "a-1"])
    }

    /// A row repeated word for word is one interaction: the repeat is named with both lines, counted apart
    /// and not sent.
    @Test func anIdenticalRowIsReportedAsASkippedDuplicateWithBothLines() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"),
            Self.row("Acme", email: "ben@acme.example", sourceId: "a-2", date: ""),
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"),
            Self.row("Acme", email: "ben@acme.example", sourceId: "a-2", date: ""),
        ])
        let result = try intake(path, ["--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("leads.csv line 4 (Acme): same interaction as line 2, skipped"), "\(result.stderr)")
        #expect(result.stderr.contains("leads.csv line 5 (Acme): same interaction as line 3, skipped"), "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["result"]?["interactions"] == 2)
        #expect(document["result"]?["duplicate_rows"] == 2)
        #expect(try leads()["Acme"]?.sources == ["a-1", "a-2"])
        let again = try intake(path, ["--output", "json"])
        #expect(try JSONValue(parsing: again.stdout)["result"]?["interactions"] == 2, "\(again.stderr)")
        #expect(try leads()["Acme"]?.sources == ["a-1", "a-2"])
    }

    /// A date is the instant it names, as the append compares it: the same instant written with an offset
    /// is a repeat reported as skipped, never an interaction counted as written and then not stored.
    @Test func theSameInstantWrittenWithAnOffsetIsASkippedDuplicate() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", date: "2025-06-30T00:00:00Z"),
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1", date: "2025-06-30T02:00:00+02:00"),
        ])
        let result = try intake(path, ["--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("leads.csv line 3 (Acme): same interaction as line 2, skipped"), "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["result"]?["interactions"] == 1)
        #expect(document["result"]?["duplicate_rows"] == 1)
        #expect(try leads()["Acme"]?.sources == ["a-1"])
    }

    /// Title (40) and Description (255) are cut by characters, as the model counts them: a cut that fell
    /// inside `É` by bytes made text that is not UTF-8, and the run failed.
    @Test func longNamesWithAccentsAreCutByCharacters() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let company = String(repeating: "a", count: 39) + "Ébène et Fils"
        let source = String(repeating: "é", count: 250)
        let path = try csv([Self.row(company, email: "ada@acme.example", sourceId: "a-1", sourceName: source)])
        let result = try intake(path)
        #expect(result.status == 0, "\(result.stderr)")
        let title = String(repeating: "a", count: 39) + "É"
        #expect(try leads()[title]?.company == company)
        let description = try runEngage(["run", "-", "--store", store],
                                        input: "print(get_engagement(list_engagements{}.EngagementSummaryList[1].Id).Description)")
        #expect(description.stdout == "Lead from " + String(repeating: "é", count: 245) + "\n", "\(description.stderr)")
    }

    /// One row saved in Latin-1 among UTF-8 ones is that row's error, named by its line and field; with
    /// skip_invalid=true the other rows are sent.
    @Test func aRowThatIsNotUTF8IsThatRowsErrorAndCanBeSkipped() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([
            Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"),
            Self.row("Caf\u{E9} Noir", email: "jo@cafe.example", sourceId: "c-1"),
        ])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let accent = bytes.firstRange(of: Data("\u{E9}".utf8))!
        bytes.replaceSubrange(accent, with: [0xE9])
        try bytes.write(to: URL(fileURLWithPath: path))
        let refused = try intake(path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("leads.csv line 3 (Caf\\xE9 Noir): "), "\(refused.stderr)")
        #expect(refused.stderr.contains("CompanyName") && refused.stderr.contains("byte 4 is 0xE9"), "\(refused.stderr)")
        #expect(refused.stderr.contains("1 of 2 rows are invalid (listed above); nothing was written"), "\(refused.stderr)")
        #expect(try leads().isEmpty)
        let skipping = try intake(path, ["--param", "skip_invalid=true"])
        #expect(skipping.status == 0, "\(skipping.stderr)")
        #expect(try leads().keys.sorted() == ["Acme"])
    }

    /// A column name is a name, not a Lua pattern: `.+` and `[` are unknown columns like any other.
    @Test(arguments: [".+", "[", "%a"])
    func aHeaderColumnIsComparedByItsName(column: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file("leads.csv", Self.header + "," + column + "\n" + Self.row("Acme", email: "ada@acme.example", sourceId: "a-1") + ",x\n")
        let result = try intake(path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown column '\(column)'; the header must be: company,industry"), "\(result.stderr)")
        #expect(try leads().isEmpty)
    }

    @Test func rowsPastTheTenthOfACompanyAreReportedAndNotSent() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv((1...12).map { Self.row("Acme", email: "p\($0)@acme.example", sourceId: "a-\($0)") })
        let result = try intake(path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("leads.csv line 12 (Acme): not sent: Acme already has 10 interactions"))
        #expect(result.stderr.contains("leads.csv line 13 (Acme): not sent"))
        #expect(try leads()["Acme"]?.sources == (1...10).map { "a-\($0)" })
    }

    @Test func jsonOutputIsOneDocumentWithTheResultAndTheCalls() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try csv([Self.row("Acme", email: "ada@acme.example", sourceId: "a-1"), Self.row("Acme", email: "ben@acme.example", sourceId: "a-2")])
        let result = try intake(path, ["--output", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["recipe"] == "lead-intake")
        #expect(document["ok"] == true)
        #expect(document["result"]?["engagements"] == 1)
        #expect(document["result"]?["interactions"] == 2)
        let calls = document["calls"]?.arrayValue ?? []
        #expect(calls.first { $0["operation"] == "CreateEngagement" }?["count"] == 1)
        #expect(calls.first { $0["operation"] == "UpdateEngagementContext" }?["count"] == 1)
    }

    /// 40 companies of 5 rows, killed twice part-way, then run to the end: every intended write exactly once.
    @Test(.timeLimit(.minutes(3))) func aRunKilledPartWayAndRunAgainWritesEverythingOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows: [String] = []
        for company in 1...40 { for n in 1...5 { rows.append(Self.row("Company \(company)", email: "p\(n)@c\(company).example", sourceId: "c\(company)-\(n)")) } }
        let path = try csv(rows)
        var killedPartWay = 0
        for stopAt in [8, 25] {
            let process = Process()
            process.executableURL = engageBinary
            process.arguments = ["run", "lead-intake", "--param", "csv=\(path)", "--store", store, "-q"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            while process.isRunning, (try? engagementCount()) ?? 0 < stopAt { usleep(2_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedPartWay += 1
            }
            process.waitUntilExit()
        }
        #expect(killedPartWay > 0, "at least one run was killed before it finished")
        let finish = try intake(path, ["-q"])
        #expect(finish.status == 0, "\(finish.stderr)")
        let leads = try leads()
        #expect(leads.count == 40)
        for company in 1...40 {
            #expect(leads["Company \(company)"]?.contexts == 1)
            #expect(leads["Company \(company)"]?.sources == (1...5).map { "c\(company)-\($0)" })
        }
        let integrity = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, "PRAGMA integrity_check"])
        #expect(integrity.stdout == "ok\n")
    }

    func engagementCount() throws -> Int {
        let result = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, "SELECT count(*) FROM engagement"])
        return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    @Test func theRecipeExplainsItselfAndRefusesAMissingParameter() throws {
        let help = try runEngage(["run", "lead-intake", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("lead-intake: Import leads from a CSV"))
        #expect(help.stdout.contains("usage: engage run lead-intake --param csv=PATH [--param skip_invalid=true|false]"))
        #expect(help.stdout.contains("csv  (path of a file to read, required)"))
        let missing = try runEngage(["run", "lead-intake", "--store", store], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("lead-intake: missing required parameter 'csv'"))
        let listing = try runEngage(["recipes"], environment: environment)
        #expect(listing.status == 0)
        #expect(listedDescription(of: "lead-intake", in: listing.stdout)?.hasPrefix("Import leads from a CSV") == true, "\(listing.stdout)")
        #expect(listing.stdout.contains("Recipes/lead-intake.lua  params: csv [skip_invalid]"))
    }
}

/// The repository's root folder, from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
