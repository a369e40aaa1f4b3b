import Core
import Foundation
import GRDB
import Sandbox

/// The sandbox's write figures, each next to a ceiling measured in the same round: the `sqlite3` shell
/// rewriting one 2 KB JSON row per IMMEDIATE transaction with the sandbox's own journal mode and
/// synchronous level, so both pay the same fsyncs.
struct SandboxBench {
    let bench: Bench
    let settings: (journalMode: String, synchronous: Int)

    init(_ bench: Bench) throws {
        self.bench = bench
        // The journal mode and synchronous level the sandbox really runs with, read from its own connection.
        settings = try SandboxService(path: bench.path("settings.sqlite")).storeSettings()
    }

    /// Writes per second of the `sqlite3` shell for `writes` transactions, and its peak memory when sampled.
    func ceiling(_ writes: Int, round: Int, samplingPeak: Bool = false) throws -> (rate: Double, peakKilobytes: Int) {
        let row = String(repeating: "x", count: 2000)
        var script = """
            PRAGMA journal_mode = \(settings.journalMode);
            PRAGMA synchronous = \(settings.synchronous);
            CREATE TABLE document (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
            INSERT INTO document (id, body) VALUES (1, '');

            """
        for index in 0..<writes {
            script += "BEGIN IMMEDIATE; UPDATE document SET body = '{\"Lead\":{\"Notes\":\"\(row)\(index)\"}}' WHERE id = 1; COMMIT;\n"
        }
        let input = bench.path("ceiling-\(round).sql")
        try Data(script.utf8).write(to: URL(fileURLWithPath: input))
        let finished = try run(bench.sqlite3, [bench.path("ceiling-\(round).sqlite")], stdin: input, samplingPeak: samplingPeak, in: bench.folder)
        return (Double(writes) / finished.seconds, finished.peakKilobytes)
    }

    /// Writes per second of a Lua loop through `engage run` (start-up included): per engagement a create,
    /// a Lead context and nine `append_interaction`s, each of which reads the engagement first.
    func luaLoop(_ engagements: Int, round: Int) throws -> Double {
        let script = bench.path("writes.lua")
        try Data(Self.luaLoopScript.utf8).write(to: URL(fileURLWithPath: script))
        let finished = try run(bench.engage, ["run", script, String(engagements), "--store", bench.path("lua-writes-\(round).sqlite")], in: bench.folder)
        return Double(engagements * 11) / finished.seconds
    }

    static let luaLoopScript = #"""
        local customer = LeadCustomer{ CompanyName = "Acme", Industry = "Retail", Address = AddressSummary{ City = "Seattle", CountryCode = "US" } }
        local function interaction(source)
          return LeadInteraction{ SourceType = "Event", SourceId = source, SourceName = "AWS Summit", CustomerAction = "Asked for a demo",
            Contact = LeadContact{ BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } }
        end
        for i = 1, tonumber(arg[1]) do
          local e = create_engagement{ Title = "Bench " .. i, Description = "Writes from a Lua loop" }
          local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead",
            Payload = { Lead = LeadContext{ Customer = customer, Interactions = { interaction("seed") } } } }
          for k = 1, 9 do append_interaction(e.Id, c.ContextId, interaction("append-" .. k)) end
        end
        """#

    static let contact = LeadContact(businessTitle: "CTO", email: "cto@acme.example", firstName: "Ada", lastName: "Lee")
    static let customer = LeadCustomer(
        industry: .retail, companyName: "Acme Corp", websiteUrl: "https://www.acme.example",
        address: AddressSummary(city: "Seattle", postalCode: "98101", stateOrRegion: "Washington", countryCode: .us), marketSegment: .large)
    static let interaction = LeadInteraction(
        sourceType: "Event", sourceId: "evt-1", sourceName: "Summit", usecase: "Migration", customerAction: "Asked for a workshop",
        businessProblem: "Runs 40 self-managed databases and wants managed services.", contact: contact)

    static func newEngagement(_ service: SandboxService) async throws -> String {
        try await service.createEngagement(CreateEngagementRequest(
            catalog: "Sandbox", clientToken: UUID().uuidString, title: "Bench", description: "Benchmark")).id!
    }

    static func createLeadContext(_ service: SandboxService, _ engagement: String) async throws -> CreateEngagementContextResponse {
        try await service.createEngagementContext(CreateEngagementContextRequest(
            catalog: "Sandbox", engagementIdentifier: engagement, clientToken: UUID().uuidString, type: .lead,
            payload: .lead(LeadContext(customer: customer, interactions: [interaction]))))
    }

    /// createEngagementContext through EngagementService in this process: five contexts on each of
    /// writes/5 engagements made beforehand.
    func createContextRate(_ writes: Int, round: Int) async throws -> Double {
        let service = try SandboxService(path: bench.path("create-\(round).sqlite"))
        var engagements: [String] = []
        for _ in 0..<(writes / 5) { engagements.append(try await Self.newEngagement(service)) }
        let elapsed = try await seconds {
            for engagement in engagements {
                for _ in 0..<5 { _ = try await Self.createLeadContext(service, engagement) }
            }
        }
        return Double(engagements.count * 5) / elapsed
    }

    /// updateEngagementContext: the Lead's customer replaced again and again, each with the last ModifiedAt.
    func updateContextRate(_ writes: Int, round: Int) async throws -> Double {
        let service = try SandboxService(path: bench.path("update-\(round).sqlite"))
        let engagement = try await Self.newEngagement(service)
        var modified = try await Self.createLeadContext(service, engagement).engagementLastModifiedAt!
        let elapsed = try await seconds {
            for index in 0..<writes {
                var changed = Self.customer
                changed.awsMaturity = "Level \(index % 7)"
                modified = try await service.updateEngagementContext(UpdateEngagementContextRequest(
                    catalog: "Sandbox", engagementIdentifier: engagement, contextIdentifier: "1", engagementLastModifiedAt: modified,
                    type: .lead, payload: .lead(UpdateLeadContext(customer: changed)))).engagementLastModifiedAt
            }
        }
        return Double(writes) / elapsed
    }

    func figures() async throws -> [Figure] {
        let engagements = max(1, bench.writes / 11)
        var rounds: [(ceiling: Double, lua: Double, create: Double, update: Double)] = []
        for round in 0..<bench.rounds {
            let ceiling = try self.ceiling(engagements * 11, round: round).rate
            let lua = try luaLoop(engagements, round: round)
            let create = try await createContextRate(bench.writes, round: round)
            let update = try await updateContextRate(bench.writes, round: round)
            rounds.append((ceiling, lua, create, update))
        }
        let section = "sandbox writes (\(settings.journalMode), synchronous=\(settings.synchronous)), \(engagements * 11) writes a measurement"
        let ceiling = "sqlite3 shell, 2 KB row a transaction"
        return [
            Figure(section, "Lua loop via engage run: create, context, 9 appends", values: rounds.map(\.lua), unit: "writes/s",
                   baseline: ceiling, baselineValues: rounds.map(\.ceiling), ratioUnit: "of the ceiling", target: ("at least 0.5", { $0 >= 0.5 })),
            Figure(section, "createEngagementContext (in process)", values: rounds.map(\.create), unit: "writes/s",
                   baseline: ceiling, baselineValues: rounds.map(\.ceiling), ratioUnit: "of the ceiling", target: ("at least 0.3", { $0 >= 0.3 })),
            Figure(section, "updateEngagementContext (in process)", values: rounds.map(\.update), unit: "writes/s",
                   baseline: ceiling, baselineValues: rounds.map(\.ceiling), ratioUnit: "of the ceiling", target: ("at least 0.3", { $0 >= 0.3 })),
        ]
    }
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let elapsed = try await ContinuousClock().measure { try await body() }
    return elapsed.seconds
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
