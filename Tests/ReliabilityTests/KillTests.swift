import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// SIGKILL at random points (fixed seeds) while writes are under way, of `engage run` and of `engage serve`:
/// after a restart the store passes `PRAGMA integrity_check` and holds every write that was acknowledged,
/// and at most the writes that were in flight besides.
@Suite(.tags(.process), .timeLimit(.minutes(3)))
struct KillTests {
    static let seeds: [UInt64] = [3, 17, 101, 2026, 65537]

    /// A script that writes until it is killed: engagements, a Lead context each, three appends to it. Each
    /// acknowledged write is one line on stdout, flushed before the next write starts.
    static let writer = #"""
        local tag = arg[1]
        local function interaction(id)
          return { SourceType = "Event", SourceId = id, SourceName = "Kill test", CustomerAction = "Asked for a demo",
                   Contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } }
        end
        local function acknowledge(...)
          io.write(table.concat({ ... }, " "), "\n")
          io.stdout:flush()
        end
        for i = 1, 10000 do
          local e = create_engagement{ Title = tag .. "-" .. i, Description = "Written until killed", ClientToken = tag .. "-" .. i }
          acknowledge("E", e.Id)
          local first = tag .. "-" .. i .. "-0"
          local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
            Customer = { CompanyName = "Acme", Address = { CountryCode = "US" } }, Interactions = { interaction(first) } } } }
          acknowledge("I", e.Id, c.ContextId, first)
          for k = 1, 3 do
            local id = tag .. "-" .. i .. "-" .. k
            append_interaction(e.Id, c.ContextId, interaction(id))
            acknowledge("I", e.Id, c.ContextId, id)
          end
        end
        """#

    /// Prints every engagement of the store and every interaction of its Lead contexts, as the writer does.
    static let reader = #"""
        local token
        repeat
          local page = list_engagements{ MaxResults = 100, NextToken = token }
          for _, summary in ipairs(page.EngagementSummaryList or {}) do
            io.write("E ", summary.Id, "\n")
            for _, context in ipairs(get_engagement(summary.Id).Contexts or {}) do
              local lead = context.Payload and context.Payload.Lead
              for _, interaction in ipairs(lead and lead.Interactions or {}) do
                io.write("I ", summary.Id, " ", context.Id, " ", interaction.SourceId, "\n")
              end
            end
          end
          token = page.NextToken
        until not token
        """#

    @Test(arguments: seeds)
    func killingEngageRunLosesNoAcknowledgedWrite(seed: UInt64) throws {
        let scratch = try Scratch("kill-run")
        defer { scratch.remove() }
        var random = SeededGenerator(seed: seed)
        let script = try scratch.file("writer.lua", Self.writer)
        var acknowledged: [String] = []
        // Two runs killed at random points, the second on the store the first left.
        for run in 1...2 {
            let process = Process()
            process.executableURL = engageBinary
            process.arguments = ["run", script, "--store", scratch.store, "--", "seed\(seed)-run\(run)"]
            let stdout = Pipe(), stderr = Pipe()
            (process.standardOutput, process.standardError, process.standardInput) = (stdout, stderr, FileHandle.nullDevice)
            let lines = LineReader(stdout.fileHandleForReading)
            let errors = LineReader(stderr.fileHandleForReading)
            try process.run()
            let killAfter = Int.random(in: 1...14, using: &random)
            let waited = lines.line(at: killAfter - 1, within: .seconds(60))
            usleep(UInt32.random(in: 0...20_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(waited != nil, "seed \(seed) run \(run): the writer acknowledged fewer than \(killAfter) writes: \(errors.text())")
            #expect(process.terminationReason == .uncaughtSignal, "seed \(seed) run \(run): the writer ended by itself: \(errors.text())")
            _ = lines.text()
            acknowledged += lines.lines
        }
        // The restart: engage reads the store back, then SQLite checks the file.
        let read = try runEngage(["run", "-", "--store", scratch.store], input: Self.reader)
        #expect(read.status == 0, "reading the store after the kills: \(read.stderr)")
        let present = Set(read.stdout.split(separator: "\n").map(String.init))
        let missing = acknowledged.filter { !present.contains($0) }
        #expect(missing.isEmpty, "seed \(seed): acknowledged but missing after SIGKILL: \(missing)")
        let unacknowledged = present.subtracting(acknowledged)
        #expect(unacknowledged.count <= 2, "seed \(seed): more writes than the two in flight were stored without acknowledgement: \(unacknowledged.sorted())")
        #expect(Set(acknowledged).count == acknowledged.count, "seed \(seed): a write was acknowledged twice: \(acknowledged)")
        #expect(try StoreFile.integrity(of: scratch.store) == ["ok"], "seed \(seed)")
    }

    @Test(arguments: seeds)
    func killingEngageServeLosesNoAcknowledgedWrite(seed: UInt64) throws {
        let scratch = try Scratch("kill-serve")
        defer { scratch.remove() }
        var random = SeededGenerator(seed: seed)
        let server = try ServeProcess(store: scratch.store, in: scratch)
        let ledger = Ledger()
        let group = DispatchGroup()
        for client in 0..<2 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                Self.writeUntilRefused(ServiceClient(port: server.port), tag: "seed\(seed)-client\(client)", ledger: ledger)
            }
        }
        let killAfter = Int.random(in: 1...30, using: &random)
        let reached = ledger.wait(forCount: killAfter, within: .seconds(60))
        usleep(UInt32.random(in: 0...20_000, using: &random))
        server.kill9()
        #expect(group.wait(timeout: .now() + 60) == .success, "seed \(seed): a client still waits for an answer from a killed server")
        #expect(reached, "seed \(seed): fewer than \(killAfter) writes were acknowledged: \(ledger.problems)")
        #expect(ledger.problems.isEmpty, "seed \(seed): \(ledger.problems)")

        let restarted = try ServeProcess(store: scratch.store, in: scratch)
        let reader = ServiceClient(port: restarted.port)
        var present = Set<String>()
        var next: JSONValue?
        repeat {
            let request: JSONValue = next.map { ["Catalog": "Sandbox", "MaxResults": 100, "NextToken": $0] } ?? ["Catalog": "Sandbox", "MaxResults": 100]
            let page = try reader.succeed("ListEngagements", request)
            for summary in page["EngagementSummaryList"]?.arrayValue ?? [] {
                let id = try #require(summary["Id"]?.stringValue)
                present.insert("E \(id)")
                for (context, sourceIds) in Requests.interactions(in: try reader.succeed("GetEngagement", Requests.get(id))) {
                    for sourceId in sourceIds { present.insert("I \(id) \(context) \(sourceId)") }
                }
            }
            next = page["NextToken"]
        } while next != nil
        let acknowledged = ledger.acknowledged
        let missing = acknowledged.filter { !present.contains($0) }
        #expect(missing.isEmpty, "seed \(seed): acknowledged but missing after SIGKILL of engage serve: \(missing)")
        #expect(present.subtracting(acknowledged).count <= 2, "seed \(seed): more than the writes in flight were stored unacknowledged: \(present.subtracting(acknowledged).sorted())")
        #expect(restarted.stop() == 0)
        #expect(try StoreFile.integrity(of: scratch.store) == ["ok"], "seed \(seed)")
    }

    /// What the clients of a server were told, shared between their threads.
    final class Ledger: @unchecked Sendable {
        private let condition = NSCondition()
        private var lines: [String] = []
        private var issues: [String] = []

        func acknowledge(_ line: String) {
            condition.withLock { lines.append(line) }
            condition.broadcast()
        }

        func problem(_ text: String) { condition.withLock { issues.append(text) } }

        var acknowledged: [String] { condition.withLock { lines } }
        var problems: [String] { condition.withLock { issues } }

        func wait(forCount count: Int, within limit: Duration) -> Bool {
            let deadline = Date() + TimeInterval(limit.components.seconds)
            condition.lock()
            defer { condition.unlock() }
            while lines.count < count {
                guard condition.wait(until: deadline) else { return false }
            }
            return true
        }
    }

    /// Writes as the Lua writer does, over HTTP, until the connection fails (the server was killed). Any answer
    /// but a success or a conflict is a problem: a killed server must not first answer with errors.
    static func writeUntilRefused(_ client: ServiceClient, tag: String, ledger: Ledger) {
        func call(_ operation: String, _ document: JSONValue) -> HTTPAnswer? {
            guard let answer = try? client.call(operation, document) else { return nil }
            if answer.status != 200, answer.errorType != "ConflictException" { ledger.problem("\(operation): \(answer)") }
            return answer
        }
        for i in 1...10_000 {
            let token = "\(tag)-\(i)"
            guard let created = call("CreateEngagement", Requests.createEngagement(title: token, token: token)),
                  let id = created.document?["Id"]?.stringValue else { return }
            ledger.acknowledge("E \(id)")
            guard let context = call("CreateEngagementContext", Requests.leadContext(on: id, token: token)),
                  let contextId = context.document?["ContextId"]?.stringValue else { return }
            ledger.acknowledge("I \(id) \(contextId) first-\(token)")
            for k in 1...3 {
                let sourceId = "\(token)-\(k)"
                while true {
                    guard let read = call("GetEngagement", Requests.get(id)), let modifiedAt = read.document?["ModifiedAt"]?.stringValue,
                          let answer = call("UpdateEngagementContext", Requests.append(sourceId, to: id, context: contextId, lastModified: modifiedAt))
                    else { return }
                    if answer.status == 200 { break }
                }
                ledger.acknowledge("I \(id) \(contextId) \(sourceId)")
            }
        }
    }
}
