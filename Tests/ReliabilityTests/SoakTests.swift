import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// One `engage serve` on a real store under four concurrent clients doing a fixed number of mixed requests:
/// creates with ClientTokens (and their retries), reads, and read-modify-write appends that collide on the
/// same engagements. Nothing a client was told is lost or doubled, nothing it was not told is there, no
/// answer is a 5xx, and the server's memory stays level between the first and the last quarter.
@Suite(.tags(.process), .timeLimit(.minutes(3)))
struct SoakTests {
    static let clients = 4
    static let roundsPerQuarter = 200
    /// Shared engagements, each with five Lead contexts: the appends of all clients collide on them.
    static let sharedEngagements = 4

    /// What one client was told, and what went wrong for it.
    final class ClientRecord: @unchecked Sendable {
        let number: Int
        let client: ServiceClient
        var random: SeededGenerator
        var created: [String: String] = [:]
        var appended: [(engagement: String, context: String, sourceId: String)] = []
        var staleRefused = 0
        var conflicts = 0
        var problems: [String] = []
        var appendsMade = 0

        init(number: Int, port: Int) {
            self.number = number
            client = ServiceClient(port: port)
            random = SeededGenerator(seed: UInt64(number) &* 7919 &+ 11)
        }

        /// Sends a request, noting every 5xx and every answer of a status other than `expected`.
        func call(_ operation: String, _ document: JSONValue, expecting expected: Set<Int> = [200]) -> HTTPAnswer? {
            do {
                let answer = try client.call(operation, document)
                if answer.status >= 500 { problems.append("5xx: \(operation) \(document.serialized()): \(answer)") }
                else if !expected.contains(answer.status) { problems.append("\(operation) \(document.serialized()): \(answer)") }
                return answer
            } catch {
                problems.append("\(operation): the connection failed: \(error)")
                return nil
            }
        }
    }

    @Test func fourClientsMixingCreatesReadsAndConflictingAppendsLoseNothingAndGetNo5xx() throws {
        let scratch = try Scratch("soak")
        defer { scratch.remove() }
        let server = try ServeProcess(store: scratch.store, in: scratch)
        let setup = ServiceClient(port: server.port)
        var shared: [(engagement: String, contexts: [String], firstModifiedAt: String)] = []
        var initial: [String: [String: [String]]] = [:]
        for number in 0..<Self.sharedEngagements {
            let id = try #require(try setup.succeed("CreateEngagement", Requests.createEngagement(title: "shared-\(number)", token: "shared-\(number)"))["Id"]?.stringValue)
            let modifiedAt = try #require(try setup.succeed("GetEngagement", Requests.get(id))["ModifiedAt"]?.stringValue)
            var contexts: [String] = []
            for context in 0..<5 {
                let token = "shared-\(number)-\(context)"
                contexts.append(try #require(try setup.succeed("CreateEngagementContext", Requests.leadContext(on: id, token: token))["ContextId"]?.stringValue))
                initial[id, default: [:]][contexts.last!] = ["first-\(token)"]
            }
            shared.append((id, contexts, modifiedAt))
        }
        let sharedContexts = shared.flatMap { engagement in engagement.contexts.map { (engagement.engagement, $0, engagement.firstModifiedAt) } }

        let targets = JSONValue.array(sharedContexts.map { ["engagement": .string($0.0), "context": .string($0.1), "stale": .string($0.2)] })
        let targetsFile = try scratch.file("shared.json", targets.serialized())
        let script = try scratch.file("soak-client.lua", Self.luaClient)
        let records = (0..<Self.clients).map { ClientRecord(number: $0, port: server.port) }
        var residentByQuarter: [Int] = []
        for quarter in 0..<4 {
            let group = DispatchGroup()
            for record in records {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    let rounds = quarter * Self.roundsPerQuarter..<(quarter + 1) * Self.roundsPerQuarter
                    // The last client is engage itself: `engage run --endpoint-url`, a new process each quarter.
                    if record.number == Self.clients - 1 {
                        Self.runEngageClient(rounds, of: record, script: script, targets: targetsFile, server: server, scratch: scratch)
                    } else {
                        for round in rounds { Self.step(round, of: record, sharedContexts: sharedContexts) }
                    }
                }
            }
            #expect(group.wait(timeout: .now() + 120) == .success, "quarter \(quarter + 1) did not finish within two minutes")
            residentByQuarter.append(try server.residentKilobytes())
        }

        for record in records {
            #expect(record.problems.isEmpty, "client \(record.number): \(record.problems.count) problems:\n\(record.problems.prefix(10).joined(separator: "\n"))")
        }
        let conflicts = records.map(\.conflicts).reduce(0, +)
        let appended = records.flatMap(\.appended)
        #expect(appended.count == Self.clients * 4 * Self.roundsPerQuarter / 8 / 5 * 2, "every append was acknowledged in the end")
        #expect(records.allSatisfy { $0.staleRefused > 0 }, "each client's stale appends were refused with ConflictException")

        // The store holds exactly the engagements the clients were told about, each once.
        var told = Set(shared.map(\.engagement))
        for record in records { told.formUnion(record.created.values) }
        let stored = try StoreFile.engagementIds(in: scratch.store)
        #expect(stored.count == told.count, "\(stored.count) engagements stored, \(told.count) acknowledged")
        #expect(Set(stored) == told, "stored but never acknowledged: \(Set(stored).subtracting(told).sorted()); acknowledged but missing: \(told.subtracting(stored).sorted())")

        // Each shared Lead holds its first interaction and every acknowledged append, once each, and no stale one.
        var expected = initial
        for append in appended { expected[append.engagement, default: [:]][append.context, default: []].append(append.sourceId) }
        for engagement in shared {
            let read = Requests.interactions(in: try setup.succeed("GetEngagement", Requests.get(engagement.engagement)))
            for context in engagement.contexts {
                let want = (expected[engagement.engagement]?[context] ?? []).sorted()
                #expect(read[context]?.sorted() == want, "engagement \(engagement.engagement) context \(context): stored \(read[context] ?? []), acknowledged \(want)")
            }
        }

        print("SoakTests: \(server.lines.count - 1) requests, \(appended.count) appends with \(conflicts) conflicts retried, engage serve RSS by quarter \(residentByQuarter) kB")
        // Memory is level: the last quarter's resident size stays within a generous bound of the first one's.
        let (first, last) = (residentByQuarter[0], residentByQuarter[3])
        #expect(last <= first * 3 / 2 + 16_384, "engage serve's RSS grew from \(first) kB after the first quarter to \(last) kB after the last (by quarter: \(residentByQuarter)); \(conflicts) conflicts retried")
        #expect(server.stop() == 0, "engage serve did not stop cleanly on SIGTERM: \(server.lines.suffix(5))")
        // The access log has a line per request, whoever sent it: none may be a 5xx (engage's own client would
        // have retried one out of sight).
        #expect(server.serverErrors.isEmpty, "engage serve answered \(server.serverErrors.count) requests with a 5xx: \(server.serverErrors.prefix(5))")
        #expect(try StoreFile.integrity(of: scratch.store) == ["ok"])
    }

    /// The rounds of `step` as a Lua script run by `engage run --endpoint-url`: arguments are the client's tag,
    /// the first round, the round after the last, the number of appends made before, and the shared contexts'
    /// JSON file. Prints `E TOKEN ID` per create, `I ENGAGEMENT CONTEXT SOURCEID` per append, `S` per stale
    /// append refused.
    static let luaClient = #"""
        local tag, first, last, appends, shared = arg[1], tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]), read_json(arg[5])
        local function interaction(id)
          return { SourceType = "Event", SourceId = id, SourceName = "Soak", CustomerAction = "Asked for a demo",
                   Contact = { BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } }
        end
        local customer = { CompanyName = "Acme", Address = { CountryCode = "US" } }
        local created = {}
        for round = first, last - 1 do
          local slot, appending = round % 8, (round // 8) % 5 == 0
          if slot == 0 then
            local token = tag .. "-" .. (round // 8)
            local e = create_engagement{ Title = token, Description = "Reliability test", ClientToken = token }
            local again = create_engagement{ Title = token, Description = "Reliability test", ClientToken = token }
            assert(again.Id == e.Id, "the retry of " .. token .. " made " .. again.Id .. ", the first call " .. e.Id)
            created[#created + 1] = e.Id
            io.write("E ", token, " ", e.Id, "\n")
          elseif (slot == 4 or slot == 7) and appending then
            local target = shared[(appends // 2) % #shared + 1]
            local source = tag .. "-append" .. appends
            if appends % 5 == 0 then
              local ok, err = pcall(update_context, { EngagementIdentifier = target.engagement, ContextIdentifier = target.context, Type = "Lead",
                EngagementLastModifiedAt = target.stale, Payload = { Lead = { Customer = customer, Interaction = interaction("stale-" .. source) } } })
              assert(not ok and err.code == "ConflictException", "a stale append was not refused: " .. tostring(err))
              io.write("S\n")
            end
            appends = appends + 1
            append_interaction(target.engagement, target.context, interaction(source), { max_attempts = 100 })
            io.write("I ", target.engagement, " ", target.context, " ", source, "\n")
          elseif slot == 3 or slot == 6 then
            list_engagements{ MaxResults = slot == 3 and 20 or 5 }
          elseif slot ~= 1 then
            get_engagement(#created > 0 and created[#created] or shared[1].engagement)
          end
        end
        """#

    /// Runs `luaClient` for `rounds` and records what it printed as what the client was told.
    static func runEngageClient(_ rounds: Range<Int>, of record: ClientRecord, script: String, targets: String, server: ServeProcess, scratch: Scratch) {
        let cleared = ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_MAX_ATTEMPTS", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]
        let environment = Dictionary(uniqueKeysWithValues: cleared.map { ($0, "") }).merging([
            "AWS_ACCESS_KEY_ID": ServeProcess.alice.key, "AWS_SECRET_ACCESS_KEY": ServeProcess.alice.secret, "HOME": scratch.folder.path,
        ]) { _, new in new }
        let arguments = ["run", script, "--endpoint-url", "http://127.0.0.1:\(server.port)", "--region", "us-east-1", "--max-attempts", "1", "--",
                         "client\(record.number)", String(rounds.lowerBound), String(rounds.upperBound), String(record.appendsMade), targets]
        do {
            let result = try runProgram(engageBinary, arguments, environment: environment)
            if result.status != 0 { record.problems.append("engage run \(rounds): exit \(result.status): \(result.stderr.prefix(1000))") }
            for line in result.stdout.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                switch words.first {
                case "E" where words.count == 3: record.created[words[1]] = words[2]
                case "I" where words.count == 4:
                    record.appended.append((words[1], words[2], words[3]))
                    record.appendsMade += 1
                case "S": record.staleRefused += 1
                default: record.problems.append("engage run printed '\(line)'")
                }
            }
        } catch {
            record.problems.append("engage run \(rounds): \(error)")
        }
    }

    /// Round `round` of a client: in every eight, a create, the same create retried, four reads and two more
    /// slots that are appends in every fifth block of eight (within the Lead quotas) and reads in the others.
    /// Every fifth append first tries a stale ModifiedAt, which must be refused.
    static func step(_ round: Int, of record: ClientRecord, sharedContexts: [(String, String, String)]) {
        let token = "client\(record.number)-\(round / 8)"
        switch round % 8 {
        case 0, 1:
            // The second is a retry with the same ClientToken: the same engagement comes back, nothing new is made.
            guard let answer = record.call("CreateEngagement", Requests.createEngagement(title: token, token: token)),
                  let id = answer.document?["Id"]?.stringValue else { return }
            if let earlier = record.created[token], earlier != id {
                record.problems.append("the retry of \(token) made \(id), the first call \(earlier)")
            }
            record.created[token] = id
        case 4 where round / 8 % 5 != 0, 7 where round / 8 % 5 != 0:
            _ = record.call("GetEngagement", Requests.get(sharedContexts.randomElement(using: &record.random)!.0))
        case 2, 5:
            let ids = Array(record.created.values) + sharedContexts.map(\.0)
            _ = record.call("GetEngagement", Requests.get(ids.randomElement(using: &record.random)!))
        case 3:
            _ = record.call("ListEngagements", ["Catalog": "Sandbox", "MaxResults": 20])
        case 6:
            _ = record.call("ListEngagements", ["Catalog": "Sandbox", "MaxResults": 5, "Sort": ["SortOrder": "DESCENDING", "SortBy": "CreatedDate"]])
        default:
            // Two appends of each client per shared context, in the same order for all: they collide, and each
            // Lead ends with 1 + 4 × 2 interactions, under the quota of 10.
            let (engagement, context, firstModifiedAt) = sharedContexts[record.appendsMade / 2 % sharedContexts.count]
            let sourceId = "client\(record.number)-append\(record.appendsMade)"
            if record.appendsMade % 5 == 0 {
                let stale = Requests.append("stale-" + sourceId, to: engagement, context: context, lastModified: firstModifiedAt)
                if record.call("UpdateEngagementContext", stale, expecting: [409])?.errorType == "ConflictException" { record.staleRefused += 1 }
            }
            record.appendsMade += 1
            for _ in 0..<100 {
                guard let read = record.call("GetEngagement", Requests.get(engagement)), let modifiedAt = read.document?["ModifiedAt"]?.stringValue else { return }
                let append = Requests.append(sourceId, to: engagement, context: context, lastModified: modifiedAt)
                guard let answer = record.call("UpdateEngagementContext", append, expecting: [200, 409]) else { return }
                if answer.status == 200 {
                    record.appended.append((engagement, context, sourceId))
                    return
                }
                guard answer.errorType == "ConflictException" else {
                    record.problems.append("append \(sourceId): 409 that is not a ConflictException: \(answer)")
                    return
                }
                record.conflicts += 1
                usleep(UInt32.random(in: 0...5_000, using: &record.random))
            }
            record.problems.append("append \(sourceId) still conflicted after 100 attempts")
        }
    }
}
