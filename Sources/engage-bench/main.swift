import Foundation

// Scripts/bench: every figure next to a baseline measured in the same run (another program, a bare
// SQLite ceiling, or engage doing less), alternating rounds and reporting medians, printed as one table
// and written as JSON with --json PATH. It reports; it asserts no time. Only a broken run (a program
// failing, a 5xx from the server) stops it.

/// Where the bench runs and what it runs.
struct Bench {
    let folder: URL
    let rounds: Int
    /// Writes per sandbox measurement.
    let writes: Int
    let engage: String
    let lua: String
    let sqlite3: String
    let python: String
    let recipes: URL

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
    func recipe(_ name: String) -> String { recipes.appendingPathComponent(name + ".lua").path }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var jsonPath: String?
if let index = arguments.firstIndex(of: "--json") {
    guard index + 1 < arguments.count else { fatalError("--json needs a path") }
    jsonPath = arguments[index + 1]
    arguments.removeSubrange(index...index + 1)
}
let environment = ProcessInfo.processInfo.environment
let scratch = URL(fileURLWithPath: arguments.first ?? NSTemporaryDirectory()).appendingPathComponent("engage-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

func required(_ name: String) -> String {
    guard let path = onPath(name) else { fatalError("the bench needs \(name) on PATH (Scripts/setup installs it)") }
    return path
}
let bench = Bench(
    folder: scratch, rounds: Int(environment["BENCH_ROUNDS"] ?? "") ?? 9, writes: Int(environment["BENCH_WRITES"] ?? "") ?? 1100,
    engage: URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("engage").path,
    lua: required("lua5.4"), sqlite3: required("sqlite3"), python: required("python3"),
    recipes: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Recipes"))

/// Each section's figures as they come, so a long run shows progress.
var figures: [Figure] = []
@MainActor func report(_ new: [Figure]) {
    figures += new
    FileHandle.standardError.write(Data((table(new).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n").utf8))
}

FileHandle.standardError.write(Data("engage bench: \(bench.rounds) rounds, scratch folder \(scratch.path)\n".utf8))
report(try startupFigures(bench))
let sandbox = try SandboxBench(bench)
report(try await sandbox.figures())
report(try await luaAndREPLFigures(bench))
var contention = try contentionFigures(bench)
report(contention)
var viaServer: [Figure] = []
let served = try serveFigures(bench, contention: &viaServer)
report(served.filter { $0.section != "memory" })
report(viaServer)
report(try await recipeFigures(bench, sandbox))
report([try idleMemoryFigure(bench)])
report(served.filter { $0.section == "memory" })

// One table, sections in a fixed order.
let order = ["start-up", "sandbox writes", "Lua bindings", "recipes", "engage serve:", "engage serve soak", "contention", "memory"]
let sorted = figures.enumerated().sorted { a, b in
    let (x, y) = (order.firstIndex { a.element.section.hasPrefix($0) } ?? order.count, order.firstIndex { b.element.section.hasPrefix($0) } ?? order.count)
    return x != y ? x < y : a.offset < b.offset
}.map(\.element)
let machine = Machine.current()
print("engage bench, \(machine.date), \(machine.processor), \(machine.cores) cores, \(machine.kernel); medians of \(bench.rounds) alternating rounds unless a section says otherwise")
print(table(sorted))

if let jsonPath {
    struct Document: Encodable {
        var machine: Machine
        var rounds: Int
        var figures: [Figure]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(Document(machine: machine, rounds: bench.rounds, figures: sorted)).write(to: URL(fileURLWithPath: jsonPath))
    FileHandle.standardError.write(Data("engage bench: figures written to \(jsonPath)\n".utf8))
}
