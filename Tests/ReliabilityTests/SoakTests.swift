import Foundation
import OrderedJSON
import Testing

/// One `engage serve` on a real store under four concurrent clients doing a fixed number of mixed requests:
/// creates with ClientTokens (and their retries), reads, and read-modify-write appends that collide on the
/// same engagements. Nothing a client was told is lost or doubled, nothing it was not told is there, no
/// answer is a 5xx, and the server's memory stays level between the first and the last quarter.
@Suite(.timeLimit(.minutes(3)))
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
        var requests = 0
        var appendsMade = 0

        init(number: Int, port: Int) {
            self.number = number
            client = ServiceClient(port: port)
            random = SeededGenerator(seed: UInt64(number) &* 7919 &+ 11)
        }

        /// Sends a request, noting every 5xx and every answer of a status other than `expected`.
        func call(_ operation: String, _ document: JSONValue, expecting expected: Set<Int> = [200]) -> HTTPAnswer? {
            requests += 1
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

        let records = (0..<Self.clients).map { ClientRecord(number: $0, port: server.port) }
        var residentByQuarter: [Int] = []
        for quarter in 0..<4 {
            let group = DispatchGroup()
            for record in records {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    for round in quarter * Self.roundsPerQuarter..<(quarter + 1) * Self.roundsPerQuarter {
                        Self.step(round, of: record, sharedContexts: sharedContexts)
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

        print("SoakTests: \(records.map(\.requests).reduce(0, +)) requests, \(appended.count) appends with \(conflicts) conflicts retried, engage serve RSS by quarter \(residentByQuarter) kB")
        // Memory is level: the last quarter's resident size stays within a generous bound of the first one's.
        let (first, last) = (residentByQuarter[0], residentByQuarter[3])
        #expect(last <= first * 3 / 2 + 16_384, "engage serve's RSS grew from \(first) kB after the first quarter to \(last) kB after the last (by quarter: \(residentByQuarter)); \(conflicts) conflicts retried")
        #expect(server.stop() == 0, "engage serve did not stop cleanly on SIGTERM: \(server.lines.suffix(5))")
        #expect(try StoreFile.integrity(of: scratch.store) == ["ok"])
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
