import Core
import Foundation
import REPL
import Sandbox
import Scripting

/// Start-up: `engage run` of a trivial script on the sandbox next to `lua5.4` running the same file,
/// alternating, after a warm-up of each: as typed (`engage run FILE`, the default store, which a script
/// that makes no call never opens) and with an engage option, which goes through ArgumentParser.
func startupFigures(_ bench: Bench) throws -> [Figure] {
    let script = bench.path("trivial.lua")
    try Data("local answer = 6 * 7\n".utf8).write(to: URL(fileURLWithPath: script))
    // The default store lives under XDG_DATA_HOME: the bench's own folder, not the user's.
    let environment = ["XDG_DATA_HOME": bench.path("xdg-data")]
    let runs = max(20, Int(ProcessInfo.processInfo.environment["BENCH_STARTUP_RUNS"] ?? "") ?? 41)
    // BENCH_BASELINE_ENGAGE names an engage binary of an earlier commit, run in the same rounds, so a change's
    // effect on start-up is a ratio measured side by side (docs/performance.md says how to build one).
    let earlier = ProcessInfo.processInfo.environment["BENCH_BASELINE_ENGAGE"].flatMap { $0.isEmpty ? nil : $0 }
    var plain: [Double] = [], withOption: [Double] = [], lua: [Double] = []
    var earlierPlain: [Double] = [], earlierWithOption: [Double] = []
    for index in -2..<runs {
        let plainRun = try run(bench.engage, ["run", script], environment: environment, in: bench.folder)
        let luaRun = try run(bench.lua, [script], in: bench.folder)
        let optionRun = try run(bench.engage, ["run", script, "--store", bench.path("startup.sqlite")], environment: environment, in: bench.folder)
        let earlierRuns = try earlier.map { binary in
            (try run(binary, ["run", script], environment: environment, in: bench.folder),
             try run(binary, ["run", script, "--store", bench.path("startup-earlier.sqlite")], environment: environment, in: bench.folder))
        }
        guard index >= 0 else { continue }
        plain.append(plainRun.seconds * 1000)
        withOption.append(optionRun.seconds * 1000)
        lua.append(luaRun.seconds * 1000)
        if let (earlierPlainRun, earlierOptionRun) = earlierRuns {
            earlierPlain.append(earlierPlainRun.seconds * 1000)
            earlierWithOption.append(earlierOptionRun.seconds * 1000)
        }
    }
    let section = "start-up: \(runs) alternating runs each"
    var figures = [
        Figure(section, "engage run of a one-line script", values: plain, unit: "ms",
               baseline: "lua5.4, same file", baselineValues: lua, ratioUnit: "× lua5.4", target: ("at most 3×", { $0 <= 3 })),
        Figure(section, "the same with --store PATH", values: withOption, unit: "ms",
               baseline: "lua5.4, same file", baselineValues: lua, ratioUnit: "× lua5.4"),
    ]
    if let earlier {
        let baseline = "BENCH_BASELINE_ENGAGE (\(URL(fileURLWithPath: earlier).deletingLastPathComponent().path))"
        figures += [
            Figure(section, "engage run of a one-line script", values: plain, unit: "ms", baseline: baseline, baselineValues: earlierPlain,
                   ratioUnit: "× the earlier build", target: ("at most 1.1×", { $0 <= 1.1 })),
            Figure(section, "the same with --store PATH", values: withOption, unit: "ms", baseline: baseline, baselineValues: earlierWithOption,
                   ratioUnit: "× the earlier build", target: ("at most 1.1×", { $0 <= 1.1 })),
        ]
    }
    return figures
}

/// Microseconds per iteration of `body` (Lua run `iterations` times in one chunk), one sample per round.
func luaCost(_ bench: Bench, _ engine: ScriptEngine, setup: String = "", body: String, iterations: Int) async throws -> [Double] {
    var samples: [Double] = []
    for _ in 0..<bench.rounds {
        let source = setup + "\nfor i = 1, \(iterations) do \(body) end"
        var outcome: ScriptEngine.Outcome = .returned([])
        let elapsed = await ContinuousClock().measure { outcome = await engine.run(source, chunkName: "=bench") }
        if case .failed(let message) = outcome { throw BenchFailure(message) }
        samples.append(elapsed.seconds * 1e6 / Double(iterations))
    }
    return samples
}

/// The Lua bindings and REPL completion next to a bare Lua function call; the idle REPL's memory next to
/// the sqlite3 shell's.
func luaAndREPLFigures(_ bench: Bench) async throws -> [Figure] {
    let engine = ScriptEngine(service: try SandboxService(path: bench.path("lua.sqlite")))
    let iterations = Int(ProcessInfo.processInfo.environment["BENCH_LUA_CALLS"] ?? "") ?? 20000
    let customer = #"{ CompanyName = "Acme", Industry = "Retail", Address = { City = "Seattle", CountryCode = "US" } }"#
    let bare = try await luaCost(bench, engine, setup: "local function f(t) return t end", body: "f(\(customer))", iterations: iterations)
    let builder = try await luaCost(bench, engine, body: "LeadCustomer\(customer)", iterations: iterations)
    let get = try await luaCost(
        bench, engine, setup: #"local id = create_engagement{ Title = "Bench", Description = "Lua" }.Id"#, body: "get_engagement(id)",
        iterations: max(1, iterations / 10))

    let context = CompletionContext(session: engine)
    /// Microseconds a completion of `line` takes, one sample a round, and how many candidates it offers.
    func completionCost(_ line: String) -> (samples: [Double], candidates: Int) {
        var samples: [Double] = []
        var candidates = 0
        for _ in 0..<bench.rounds {
            let elapsed = ContinuousClock().measure {
                for _ in 0..<200 { candidates = CompletionEngine.complete(line, context: context).candidates.count }
            }
            samples.append(elapsed.seconds * 1e6 / 200)
        }
        return (samples, candidates)
    }
    let (completion, candidates) = completionCost(#"AddressSummary{ CountryCode = ""#)
    // The largest enum, four tables deep in an operation's request.
    let (currencies, currencyCount) = completionCost(#"create_opportunity{ Project = { ExpectedCustomerSpend = { { CurrencyCode = ""#)
    let section = "Lua bindings and REPL: medians of \(bench.rounds) rounds"
    let bareCall = "a bare Lua function call"
    var figures = [
        Figure(section, "LeadCustomer{...} builder", values: builder, unit: "µs", baseline: bareCall, baselineValues: bare, ratioUnit: "× the bare call"),
        Figure(section, "get_engagement(id) on the sandbox", values: get, unit: "µs", baseline: bareCall, baselineValues: bare, ratioUnit: "× the bare call"),
        Figure(section, "REPL completion over \(candidates) country codes", values: completion, unit: "µs", baseline: bareCall, baselineValues: bare,
               ratioUnit: "× the bare call"),
        Figure(section, "REPL completion over \(currencyCount) currency codes, 4 tables deep", values: currencies, unit: "µs", baseline: bareCall,
               baselineValues: bare, ratioUnit: "× the bare call"),
    ]
    // These targets are a time a typist notices, not a ratio.
    for index in [2, 3] {
        figures[index].target = "under 1 ms"
        figures[index].met = figures[index].value < 1000
    }
    return figures
}

/// Lead intake through the real binary on a 200-row CSV of 40 companies, next to the sandbox's own
/// createEngagementContext rate measured just before it in the same round; its peak memory next to the
/// sqlite3 shell's peak while writing the same number of rows.
func recipeFigures(_ bench: Bench, _ sandbox: SandboxBench) async throws -> [Figure] {
    let header = "company,industry,country,website,segment,city,state,postal,first_name,last_name,email,title,phone,source_type,source_id,source_name,action,date,use_case"
    var lines = [header]
    for company in 1...40 {
        for person in 1...5 {
            lines.append("Company \(company),Retail,US,https://www.example.com,Enterprise,Seattle,Washington,98101,Ada,Lee,p\(person)@c\(company).example,CTO,,Event,c\(company)-\(person),AWS Summit,Asked for a demo,2025-06-30,Migration")
        }
    }
    let csv = bench.path("bench-leads.csv")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: csv))
    var rows: [Double] = []
    var bare: [Double] = []
    var peak: [Double] = []
    var shellPeak: [Double] = []
    for round in 0..<bench.rounds {
        bare.append(try await sandbox.createContextRate(bench.writes, round: 100 + round))
        let intake = try run(bench.engage, ["run", bench.recipe("lead-intake"), "--param", "csv=\(csv)", "--store", bench.path("intake-\(round).sqlite"), "-q"], samplingPeak: true, in: bench.folder)
        rows.append(200 / intake.seconds)
        peak.append(Double(intake.peakKilobytes) / 1024)
        shellPeak.append(Double(try sandbox.ceiling(240, round: 100 + round, samplingPeak: true).peakKilobytes) / 1024)
    }
    return [
        Figure("recipes: lead-intake on 200 rows (40 engagements, 240 writes), start-up included", "lead-intake rows per second", values: rows,
               unit: "rows/s", baseline: "createEngagementContext in process", baselineValues: bare, baselineUnit: "writes/s", ratioUnit: "× the bare write rate"),
    ] + [
        Figure("memory", "peak RSS of engage run, 200-row lead intake", values: peak, unit: "MB",
               baseline: "sqlite3 shell, 240 writes", baselineValues: shellPeak, ratioUnit: "× sqlite3"),
    ]
}

/// The idle REPL's resident memory in a terminal, next to the sqlite3 shell's.
func idleMemoryFigure(_ bench: Bench) throws -> Figure {
    let repl = try idleResidentKilobytes([bench.engage, "--store", bench.path("repl.sqlite")], prompt: "sandbox:Sandbox> ", in: bench.folder)
    let shell = try idleResidentKilobytes([bench.sqlite3, bench.path("shell.sqlite")], prompt: "sqlite> ", in: bench.folder)
    var figure = Figure("memory", "idle REPL resident memory", values: [Double(repl) / 1024], unit: "MB",
                        baseline: "sqlite3 shell idle", baselineValues: [Double(shell) / 1024], ratioUnit: "× sqlite3")
    figure.target = "under 40 MB"
    figure.met = Double(repl) / 1024 < 40
    return figure
}
