import Core
import Foundation
import GRDB
import REPL
import Scripting

// Scripts/bench: sandbox write throughput next to a bare SQLite ceiling measured in the same run, and the
// cost of the Lua bindings next to a bare Lua function call.
// The ceiling updates one 2 KB JSON row per IMMEDIATE transaction with the sandbox's own SQLite settings;
// the sandbox figures are whole operations through EngagementService (validation, reads, JSON, writes).
// The machine is noisy, so the three measurements alternate over several rounds, each round gives a
// ratio to its own ceiling, and the median round is reported.

let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory())
    .appendingPathComponent("engage-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let writes = Int(ProcessInfo.processInfo.environment["BENCH_WRITES"] ?? "") ?? 1000
let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 9

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try await clock.measure { try await body() }
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The journal mode and synchronous level the sandbox really runs with, read from its own connection.
let sandboxSettings = try SandboxService(path: folder.appendingPathComponent("settings.sqlite").path).storeSettings()
print("sandbox SQLite settings: journal_mode=\(sandboxSettings.journalMode) synchronous=\(sandboxSettings.synchronous)")

/// Bare SQLite with the sandbox's settings: one 2 KB JSON document rewritten per transaction.
func ceiling(round: Int) throws -> Double {
    let database = try DatabaseQueue(path: folder.appendingPathComponent("bare-\(round).sqlite").path)
    try database.writeWithoutTransaction { db in
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(sandboxSettings.journalMode)")
        try db.execute(sql: "PRAGMA synchronous = \(sandboxSettings.synchronous)")
    }
    try database.write { db in
        try db.execute(sql: "CREATE TABLE document (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        try db.execute(sql: "INSERT INTO document (id, body) VALUES (1, '')")
    }
    let payload = JSONValue.object(["Lead": .object(["Notes": .string(String(repeating: "x", count: 2000))])]).serialized()
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for index in 0..<writes {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "UPDATE document SET body = ? WHERE id = 1", arguments: [payload + String(index)])
                    return .commit
                }
            }
        }
    }
    return Double(writes) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

let contact = LeadContact(businessTitle: "CTO", email: "cto@acme.example", firstName: "Ada", lastName: "Lee")
let customer = LeadCustomer(
    industry: .retail, companyName: "Acme Corp", websiteUrl: "https://www.acme.example",
    address: AddressSummary(city: "Seattle", postalCode: "98101", stateOrRegion: "Washington", countryCode: .us), marketSegment: .large)
let interaction = LeadInteraction(
    sourceType: "Event", sourceId: "evt-1", sourceName: "Summit", usecase: "Migration", customerAction: "Asked for a workshop",
    businessProblem: "Runs 40 self-managed databases and wants managed services.", contact: contact)

func newEngagement(_ service: SandboxService) async throws -> String {
    try await service.createEngagement(CreateEngagementRequest(
        catalog: "Sandbox", clientToken: UUID().uuidString, title: "Bench", description: "Benchmark")).id!
}

func createLeadContext(_ service: SandboxService, _ engagement: String) async throws -> CreateEngagementContextResponse {
    try await service.createEngagementContext(CreateEngagementContextRequest(
        catalog: "Sandbox", engagementIdentifier: engagement, clientToken: UUID().uuidString, type: .lead,
        payload: .lead(LeadContext(customer: customer, interactions: [interaction]))))
}

/// createEngagementContext: five contexts on each of writes/5 engagements made beforehand.
func createContextRate(round: Int) async throws -> Double {
    let service = try SandboxService(path: folder.appendingPathComponent("create-\(round).sqlite").path)
    var engagements: [String] = []
    for _ in 0..<(writes / 5) { engagements.append(try await newEngagement(service)) }
    let elapsed = try await seconds {
        for engagement in engagements {
            for _ in 0..<5 { _ = try await createLeadContext(service, engagement) }
        }
    }
    return Double(engagements.count * 5) / elapsed
}

/// updateEngagementContext: the Lead's customer replaced again and again, each with the last ModifiedAt.
func updateContextRate(round: Int) async throws -> Double {
    let service = try SandboxService(path: folder.appendingPathComponent("update-\(round).sqlite").path)
    let engagement = try await newEngagement(service)
    var modified = try await createLeadContext(service, engagement).engagementLastModifiedAt!
    let elapsed = try await seconds {
        for index in 0..<writes {
            var changed = customer
            changed.awsMaturity = "Level \(index % 7)"
            modified = try await service.updateEngagementContext(UpdateEngagementContextRequest(
                catalog: "Sandbox", engagementIdentifier: engagement, contextIdentifier: "1", engagementLastModifiedAt: modified,
                type: .lead, payload: .lead(UpdateLeadContext(customer: changed)))).engagementLastModifiedAt
        }
    }
    return Double(writes) / elapsed
}

var results: [(bare: Double, create: Double, update: Double)] = []
for round in 0..<rounds {
    let bare = try ceiling(round: round)
    let create = try await createContextRate(round: round)
    let update = try await updateContextRate(round: round)
    results.append((bare, create, update))
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
/// A line of the table: the figure's name in a column of its own, then the figures.
func labelled(_ name: String, _ figures: String) -> String {
    name.padding(toLength: 34, withPad: " ", startingAt: 0) + figures
}
func row(_ name: String, rates: [Double], ratios: [Double]) -> String {
    labelled(name, String(format: "%9.0f writes/s   %.2f of the ceiling (rounds %.2f to %.2f)", median(rates), median(ratios), ratios.min() ?? 0, ratios.max() ?? 0))
}
print("sandbox writes: \(rounds) rounds of \(writes) writes each, medians; store in \(folder.deletingLastPathComponent().path)")
print(row("bare SQLite ceiling (2 KB row)", rates: results.map(\.bare), ratios: results.map { _ in 1 }))
print(row("createEngagementContext", rates: results.map(\.create), ratios: results.map { $0.create / $0.bare }))
print(row("updateEngagementContext", rates: results.map(\.update), ratios: results.map { $0.update / $0.bare }))
print("target: at least 0.30 of the ceiling for both")

// MARK: Lua bindings

/// Microseconds per iteration of `body` (Lua run `iterations` times in one chunk), median of the rounds.
func luaCost(_ engine: ScriptEngine, setup: String = "", body: String, iterations: Int) async throws -> Double {
    var samples: [Double] = []
    for _ in 0..<rounds {
        let source = setup + "\nfor i = 1, \(iterations) do \(body) end"
        var outcome: ScriptEngine.Outcome = .returned([])
        let elapsed = await ContinuousClock().measure { outcome = await engine.run(source, chunkName: "=bench") }
        if case .failed(let message) = outcome { throw BenchFailure(message) }
        samples.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations))
    }
    return median(samples)
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let luaEngine = ScriptEngine(service: try SandboxService(path: folder.appendingPathComponent("lua.sqlite").path))
let luaIterations = Int(ProcessInfo.processInfo.environment["BENCH_LUA_CALLS"] ?? "") ?? 20000
let customerTable = #"{ CompanyName = "Acme", Industry = "Retail", Address = { City = "Seattle", CountryCode = "US" } }"#
let bareCall = try await luaCost(luaEngine, setup: "local function f(t) return t end", body: "f(\(customerTable))", iterations: luaIterations)
let builderCall = try await luaCost(luaEngine, body: "LeadCustomer\(customerTable)", iterations: luaIterations)
let getCall = try await luaCost(
    luaEngine, setup: #"local id = create_engagement{ Title = "Bench", Description = "Lua" }.Id"#, body: "get_engagement(id)",
    iterations: max(1, luaIterations / 10))
func luaRow(_ name: String, _ micros: Double) -> String {
    labelled(name, String(format: "%9.2f µs   %6.1f × a bare Lua call", micros, micros / bareCall))
}
print("")
print("Lua bindings: medians of \(rounds) rounds")
print(luaRow("bare Lua function call (a table)", bareCall))
print(luaRow("LeadCustomer{...} builder", builderCall))
print(luaRow("get_engagement(id) on the sandbox", getCall))

// MARK: REPL

/// Microseconds per completion of `text` (the engine's pure function), median of the rounds.
func completionCost(_ text: String, context: CompletionContext, iterations: Int) -> (micros: Double, candidates: Int) {
    var samples: [Double] = []
    var candidates = 0
    for _ in 0..<rounds {
        let elapsed = ContinuousClock().measure {
            for _ in 0..<iterations { candidates = CompletionEngine.complete(text, context: context).candidates.count }
        }
        samples.append((Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(iterations))
    }
    return (median(samples), candidates)
}

let facts = await luaEngine.sessionFacts()
let completionContext = CompletionContext(globals: facts.globals, fields: facts.fields, engagementIds: facts.engagementIds)
let countryCodes = completionCost(#"AddressSummary{ CountryCode = ""#, context: completionContext, iterations: 200)
print("")
print("REPL: medians of \(rounds) rounds")
print(luaRow("completion over \(countryCodes.candidates) country codes", countryCodes.micros) + "   (target under 1000 µs)")

/// The resident memory of a program idle at its prompt in a terminal (tmux), in kB.
func idleResidentKilobytes(_ command: [String], prompt: String) throws -> Int {
    let socket = "engage-bench-\(UUID().uuidString.prefix(8))"
    // Through /bin/sh and waitpid, not Foundation's Process: the tmux server the first command starts keeps
    // the descriptors it inherits, and Process would wait for them to close.
    func tmux(_ arguments: [String]) throws -> String {
        let output = folder.appendingPathComponent("tmux-output.txt").path
        let quoted = (["/usr/bin/tmux", "-L", socket] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let words: [String] = ["/bin/sh", "-c", "exec " + quoted.joined(separator: " ") + " </dev/null >'\(output)' 2>/dev/null"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // Threads of this process may block signals, and a child inherits the mask: tmux and what runs in its
        // panes must die on SIGHUP and SIGTERM, or kill-server would leave them behind.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ) == 0 else { throw BenchFailure("cannot start tmux") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
    defer { _ = try? tmux(["kill-server"]) }
    _ = try tmux(["new-session", "-d", "-x", "120", "-y", "40", command.map { "'\($0)'" }.joined(separator: " ")])
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline, !(try tmux(["capture-pane", "-p"])).contains(prompt) { Thread.sleep(forTimeInterval: 0.1) }
    Thread.sleep(forTimeInterval: 1)
    let pid = try tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

let engageBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("engage").path
let replKilobytes = try idleResidentKilobytes([engageBinary, "--store", folder.appendingPathComponent("repl.sqlite").path], prompt: "sandbox:Sandbox> ")
let sqliteKilobytes = try idleResidentKilobytes(["/usr/bin/sqlite3", folder.appendingPathComponent("shell.sqlite").path], prompt: "sqlite> ")
print(labelled("idle REPL resident memory", String(format: "%9.1f MB   %6.1f × the sqlite3 shell idle (%.1f MB)   (target under 40 MB)", Double(replKilobytes) / 1024, Double(replKilobytes) / Double(max(sqliteKilobytes, 1)), Double(sqliteKilobytes) / 1024)))

// MARK: Recipes

/// The lead-intake recipe through the real binary (start-up included) on a 200-row CSV of 40 companies,
/// next to the sandbox's createEngagementContext rate measured just before it in the same round.
func leadIntakeRound(_ round: Int) async throws -> (rowsPerSecond: Double, bareWrites: Double) {
    let header = "company,industry,country,website,segment,city,state,postal,first_name,last_name,email,title,phone,source_type,source_id,source_name,action,date,use_case"
    var lines = [header]
    for company in 1...40 {
        for person in 1...5 {
            lines.append("Company \(company),Retail,US,https://www.example.com,Enterprise,Seattle,Washington,98101,Ada,Lee,p\(person)@c\(company).example,CTO,,Event,c\(company)-\(person),AWS Summit,Asked for a demo,2025-06-30,Migration")
        }
    }
    let csv = folder.appendingPathComponent("bench-leads.csv")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: csv)
    let bare = try await createContextRate(round: 100 + round)
    let store = folder.appendingPathComponent("intake-\(round).sqlite").path
    let elapsed = try await seconds {
        try runToEnd(engageBinary, ["run", "Recipes/lead-intake.lua", "--param", "csv=\(csv.path)", "--store", store, "-q"], environment: [:])
    }
    return (200 / elapsed, bare)
}

var intakeRounds: [(rowsPerSecond: Double, bareWrites: Double)] = []
for round in 0..<rounds { intakeRounds.append(try await leadIntakeRound(round)) }
let intakeRows = median(intakeRounds.map(\.rowsPerSecond))
let intakeBare = median(intakeRounds.map(\.bareWrites))
print("")
print("Recipes: medians of \(rounds) rounds, each a new store")
print(labelled("sandbox createEngagementContext", String(format: "%9.0f writes/s   1.00", intakeBare)))
print(labelled("lead-intake, 200 rows of 40 firms", String(format: "%9.0f rows/s     %.2f × the bare write rate (%.0f writes/s for its 240 writes, start-up included)",
             intakeRows, intakeRows / intakeBare, intakeRows * 240 / 200)))

// MARK: engage serve

/// `engage serve` on a free loopback port with one access key; stopped when the bench ends.
func startServer() throws -> (process: Process, endpoint: String, environment: [String: String]) {
    let credentials = folder.appendingPathComponent("bench-keys.json")
    try Data(#"{"AccessKeys": [{"AccessKeyId": "AKIDBENCH", "SecretAccessKey": "bench-secret", "Identity": "bench"}]}"#.utf8).write(to: credentials)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: engageBinary)
    process.arguments = ["serve", "--port", "0", "--store", folder.appendingPathComponent("serve.sqlite").path, "--credentials-file", credentials.path]
    let log = Pipe()
    process.standardError = log
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    var seen = Data()
    while !seen.contains(UInt8(ascii: "\n")) {
        let chunk = log.fileHandleForReading.availableData
        guard !chunk.isEmpty else { throw BenchFailure("engage serve stopped before it listened") }
        seen.append(chunk)
    }
    // Keep draining the access log so the server never blocks on a full pipe.
    Thread.detachNewThread { while !log.fileHandleForReading.availableData.isEmpty {} }
    let line = String(decoding: seen, as: UTF8.self)
    guard let match = line.firstMatch(of: #/listening on (http://[^ ]+) /#) else { throw BenchFailure("engage serve said: \(line)") }
    let environment = ["AWS_ACCESS_KEY_ID": "AKIDBENCH", "AWS_SECRET_ACCESS_KEY": "bench-secret",
                       "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_REGION": "us-east-1"]
    return (process, String(match.1), environment)
}

/// Runs a program to its end with extra environment variables; fails on a non-zero status.
func runToEnd(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchFailure("\(arguments.first ?? executable) failed with status \(process.terminationStatus)") }
}

let server = try startServer()
defer { server.process.terminate(); server.process.waitUntilExit() }
let calls = Int(ProcessInfo.processInfo.environment["BENCH_HTTP_CALLS"] ?? "") ?? 200
let seed = folder.appendingPathComponent("bench-seed.lua")
try Data(#"print(create_engagement{ Title = "Bench", Description = "GetEngagement target" }.Id)"#.utf8).write(to: seed)
let seedOutput = Pipe()
let seeding = Process()
seeding.executableURL = URL(fileURLWithPath: engageBinary)
seeding.arguments = ["run", seed.path, "--endpoint-url", server.endpoint]
seeding.environment = ProcessInfo.processInfo.environment.merging(server.environment) { _, new in new }
seeding.standardOutput = seedOutput
try seeding.run()
seeding.waitUntilExit()
let target = String(decoding: seedOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
let engageReads = folder.appendingPathComponent("bench-reads.lua")
try Data("for i = 1, \(calls) do get_engagement('\(target)') end".utf8).write(to: engageReads)
let botoReads = """
    import boto3, sys
    c = boto3.client('partnercentral-selling', region_name='us-east-1', endpoint_url=sys.argv[1])
    for i in range(\(calls)): c.get_engagement(Catalog='Sandbox', Identifier=sys.argv[2])
    """
var httpRounds: [(engage: Double, boto: Double, concurrent: Double)] = []
for _ in 0..<rounds {
    let engageSeconds = try await seconds { try runToEnd(engageBinary, ["run", engageReads.path, "--endpoint-url", server.endpoint], environment: server.environment) }
    let botoSeconds = try await seconds { try runToEnd("/usr/bin/env", ["python3", "-c", botoReads, server.endpoint, target], environment: server.environment) }
    // Four engage clients at once: the server's requests per second.
    let concurrentSeconds = try await seconds {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { try runToEnd(engageBinary, ["run", engageReads.path, "--endpoint-url", server.endpoint], environment: server.environment) }
            }
            try await group.waitForAll()
        }
    }
    httpRounds.append((Double(calls) / engageSeconds, Double(calls) / botoSeconds, Double(4 * calls) / concurrentSeconds))
}
let engageRate = median(httpRounds.map(\.engage))
let botoRate = median(httpRounds.map(\.boto))
print("")
print("engage serve: \(calls) GetEngagement calls a client, start-up included, medians of \(rounds) rounds")
print(labelled("boto3 client", String(format: "%9.0f calls/s   1.00", botoRate)))
print(labelled("engage client (engage run)", String(format: "%9.0f calls/s   %.2f × boto3   (target at least 5×)", engageRate, engageRate / botoRate)))
print(labelled("server, 4 engage clients at once", String(format: "%9.0f requests/s   %.2f × one engage client", median(httpRounds.map(\.concurrent)), median(httpRounds.map(\.concurrent)) / engageRate)))
