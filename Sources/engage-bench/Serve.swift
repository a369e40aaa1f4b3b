import Foundation

/// `engage serve` on a free loopback port with one access key, its log in a file; stopped when the bench ends.
struct Server {
    let process: Spawned
    let endpoint: String
    let environment: [String: String]
    let log: String

    init(_ bench: Bench) throws {
        let credentials = bench.path("bench-keys.json")
        try Data(#"{"AccessKeys": [{"AccessKeyId": "AKIDBENCH", "SecretAccessKey": "bench-secret", "Identity": "bench"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: credentials))
        log = bench.path("serve.log")
        process = try Spawned(bench.engage, ["serve", "--port", "0", "--store", bench.path("serve.sqlite"), "--credentials-file", credentials], stderr: log)
        let deadline = Date().addingTimeInterval(30)
        var line = ""
        while Date() < deadline {
            line = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").first.map(String.init) ?? ""
            if !line.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let match = line.firstMatch(of: #/listening on (http://[^ ]+) /#) else {
            process.stop()
            throw BenchFailure("engage serve said: \(line)")
        }
        endpoint = String(match.1)
        environment = ["AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                       "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_REGION": "us-east-1"]
    }

    /// How many access-log lines have a 5xx status (the fourth field: time, identity, operation, status).
    func serverErrors() -> Int {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ")
            return fields.count > 3 && fields[3].count == 3 && fields[3].hasPrefix("5")
        }.count
    }
}

/// The figures over HTTP: GetEngagement through engage's client next to boto3 against the same server,
/// the server's rate under 4 clients, contention through the server, and the server's memory after a soak.
func serveFigures(_ bench: Bench, contention: inout [Figure]) throws -> [Figure] {
    let server = try Server(bench)
    defer { server.process.stop() }
    let calls = Int(ProcessInfo.processInfo.environment["BENCH_HTTP_CALLS"] ?? "") ?? 200
    let seed = bench.path("bench-seed.lua")
    try Data(#"print(create_engagement{ Title = "Bench", Description = "GetEngagement target" }.Id)"#.utf8).write(to: URL(fileURLWithPath: seed))
    let seedOutput = bench.path("seed-output.txt")
    try run(bench.engage, ["run", seed, "--endpoint-url", server.endpoint], environment: server.environment, stdout: seedOutput, in: bench.folder)
    let target = try String(contentsOfFile: seedOutput, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let reads = bench.path("bench-reads.lua")
    try Data("for i = 1, \(calls) do get_engagement('\(target)') end".utf8).write(to: URL(fileURLWithPath: reads))
    let boto = """
        import boto3, sys
        c = boto3.client('partnercentral-selling', region_name='us-east-1', endpoint_url=sys.argv[1])
        for i in range(\(calls)): c.get_engagement(Catalog='Sandbox', Identifier=sys.argv[2])
        """
    let startedAt = server.process.residentKilobytes().now
    var engage: [Double] = []
    var botoRates: [Double] = []
    var together: [Double] = []
    for _ in 0..<bench.rounds {
        engage.append(Double(calls) / (try run(bench.engage, ["run", reads, "--endpoint-url", server.endpoint], environment: server.environment, in: bench.folder)).seconds)
        botoRates.append(Double(calls) / (try run(bench.python, ["-c", boto, server.endpoint, target], environment: server.environment, in: bench.folder)).seconds)
        let four = try runTogether(4, bench.engage, environment: server.environment, in: bench.folder) { _ in ["run", reads, "--endpoint-url", server.endpoint] }
        together.append(Double(4 * calls) / four.seconds)
    }
    let section = "engage serve: \(calls) GetEngagement calls a client, start-up included"
    var figures = [
        Figure(section, "engage client (engage run --endpoint-url)", values: engage, unit: "calls/s", baseline: "boto3, same calls, same server",
               baselineValues: botoRates, ratioUnit: "× boto3", target: ("at least 5×", { $0 >= 5 })),
        Figure(section, "server, 4 engage clients at once", values: together, unit: "requests/s", baseline: "one engage client",
               baselineValues: engage, baselineUnit: "calls/s", ratioUnit: "× one client"),
    ]
    contention += try contentionFigures(bench, over: server)
    figures.append(try soakFigure(bench, server, getRate: figures[1]))
    let after = server.process.residentKilobytes()
    let memory = Figure("memory", "peak RSS of engage serve after the soak", values: [Double(after.peak) / 1024], unit: "MB",
                        baseline: "its RSS once listening", baselineValues: [Double(startedAt) / 1024], ratioUnit: "× at start")
    figures.append(memory)
    return figures
}

/// 4 clients at once making a fixed mix through the server (creates, contexts, reads, lists and appends),
/// next to the 4-client GetEngagement rate. A 5xx answer anywhere in the run fails the bench.
func soakFigure(_ bench: Bench, _ server: Server, getRate: Figure) throws -> Figure {
    let rounds = Int(ProcessInfo.processInfo.environment["BENCH_SOAK_ROUNDS"] ?? "") ?? 25
    let script = bench.path("soak.lua")
    try Data((contentionHelpers + #"""
        for i = 1, tonumber(arg[1]) do
          local e, c = engagement_with_lead("soak " .. arg[2] .. "-" .. i)
          get_engagement(e.Id)
          for k = 1, 3 do append_interaction(e.Id, c.ContextId, interaction(arg[2] .. "-" .. k)) end
          list_engagements{ MaxResults = 5 }
        end
        """#).utf8).write(to: URL(fileURLWithPath: script))
    let soak = try runTogether(4, bench.engage, environment: server.environment, in: bench.folder) {
        ["run", script, String(rounds), "client\($0)", "--endpoint-url", server.endpoint]
    }
    let errors = server.serverErrors()
    guard errors == 0 else { throw BenchFailure("engage serve answered \(errors) requests with a 5xx status; see \(server.log)") }
    // Per client and round: create, context, get, three reads and updates, list (at least; conflicts add more).
    let requests = Double(4 * rounds * 10)
    return Figure("engage serve soak: 4 clients, at least \(Int(requests)) mixed requests, no 5xx", "mixed requests per second",
                  values: [requests / soak.seconds], unit: "requests/s", baseline: "GetEngagement, 4 clients", baselineValues: [getRate.value],
                  ratioUnit: "× GetEngagement")
}

let contentionHelpers = #"""
    local function interaction(source)
      return LeadInteraction{ SourceType = "Event", SourceId = source, SourceName = "AWS Summit", CustomerAction = "Asked for a demo",
        Contact = LeadContact{ BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } }
    end
    local function engagement_with_lead(title)
      local e = create_engagement{ Title = title, Description = "Bench" }
      local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = LeadContext{
        Customer = LeadCustomer{ CompanyName = "Acme", Industry = "Retail", Address = AddressSummary{ CountryCode = "US" } },
        Interactions = { interaction("seed") } } } }
      return e, c
    end

    """#

/// 8 processes appending to the same lead at once, lead after lead (each lead holds ten interactions, so
/// each takes one append from each process), next to one process making the same appends alone.
/// Reported on the sandbox file and, when `server` is given, through `engage serve`.
func contentionFigures(_ bench: Bench, over server: Server? = nil) throws -> [Figure] {
    let leads = Int(ProcessInfo.processInfo.environment["BENCH_CONTENTION_LEADS"] ?? "") ?? 20
    let prepare = bench.path("contention-prepare.lua")
    try Data((contentionHelpers + #"""
        for i = 1, tonumber(arg[1]) do local e, c = engagement_with_lead("contention " .. i); print(e.Id) end
        """#).utf8).write(to: URL(fileURLWithPath: prepare))
    let worker = bench.path("contention-worker.lua")
    try Data((contentionHelpers + #"""
        local appends, attempts = 0, 0
        for id in io.lines(arg[1]) do
          local r = append_interaction(id, "1", interaction(arg[2]), { max_attempts = 100 })
          appends, attempts = appends + 1, attempts + r.Attempts
        end
        print(appends, attempts)
        """#).utf8).write(to: URL(fileURLWithPath: worker))
    let backend: [String] = server.map { ["--endpoint-url", $0.endpoint] } ?? []
    let environment = server?.environment ?? [:]
    var together: [Double] = []
    var alone: [Double] = []
    var retries: [Double] = []
    for round in 0..<bench.rounds {
        func prepared(_ name: String) throws -> (ids: String, store: [String]) {
            let store = server == nil ? ["--store", bench.path("contention-\(name)-\(round).sqlite")] : []
            let ids = bench.path("contention-\(name)-\(round).txt")
            try run(bench.engage, ["run", prepare, String(leads)] + store + backend, environment: environment, stdout: ids, in: bench.folder)
            return (ids, store)
        }
        let single = try prepared("alone")
        let one = try run(bench.engage, ["run", worker, single.ids, "alone"] + single.store + backend, environment: environment, in: bench.folder)
        alone.append(Double(leads) / one.seconds)
        let shared = try prepared("shared")
        let outputs = (0..<8).map { bench.path("contention-output-\(round)-\($0).txt") }
        let eight = try runTogether(8, bench.engage, environment: environment, stdout: { outputs[$0] }, in: bench.folder) {
            ["run", worker, shared.ids, "writer-\($0)"] + shared.store + backend
        }
        together.append(Double(8 * leads) / eight.seconds)
        var (appends, attempts) = (0, 0)
        for output in outputs {
            let fields = try String(contentsOfFile: output, encoding: .utf8).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            guard fields.count == 2 else { throw BenchFailure("a contention worker printed \(fields)") }
            appends += fields[0]
            attempts += fields[1]
        }
        retries.append(Double(attempts - appends) / Double(max(appends, 1)))
    }
    let door = server == nil ? "sandbox file" : "engage serve"
    let figure = Figure("contention: 8 processes appending to one lead at a time, \(leads) leads", "appends/s, 8 writers (\(door))", values: together,
                        unit: "appends/s", baseline: "one writer alone", baselineValues: alone, ratioUnit: "× one writer")
    var conflicts = figure
    conflicts.name = "conflict retries per append (\(door))"
    conflicts.value = median(retries)
    conflicts.unit = "retries"
    conflicts.baseline = "one writer alone"
    conflicts.baselineValue = 0
    conflicts.baselineUnit = "retries"
    conflicts.ratio = median(retries)
    conflicts.ratioUnit = "retries per append"
    conflicts.ratioRange = retries.count > 1 ? [retries.min()!, retries.max()!] : nil
    return [figure, conflicts]
}
