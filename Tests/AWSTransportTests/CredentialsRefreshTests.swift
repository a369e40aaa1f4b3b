@testable import AWSTransport
import Core
import CoreTestSupport
import Foundation
import Testing

/// The in-memory cache of temporary credentials, with a clock and a fetch the test controls.
@Suite(.tags(.unit)) struct CredentialsRefreshTests {
    /// A clock and a fetch count, readable from any task.
    final class Scene: @unchecked Sendable {
        private let lock = NSLock()
        private var time = Date(timeIntervalSince1970: 1_800_000_000)
        private var fetched = 0
        private var broken = false
        /// The callers a test starts at once. A fetch finishes only after all of them have set out to ask, so
        /// they come while it runs, not after it; nil when a test asks one call at a time.
        let callers: Arrivals?

        init(concurrentCallers: Int? = nil) {
            callers = concurrentCallers.map(Arrivals.init(expected:))
        }

        var failing: Bool {
            get { lock.withLock { broken } }
            set { lock.withLock { broken = newValue } }
        }

        var now: Date { lock.withLock { time } }
        var fetches: Int { lock.withLock { fetched } }
        func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }

        /// Credentials valid for an hour from now, named after the fetch that made them, once every
        /// concurrent caller has come.
        func fetch() async throws(ServiceError) -> AWSCredentials {
            await callers?.allArrived()
            let (count, time, failing) = lock.withLock { fetched += 1; return (fetched, self.time, broken) }
            if failing { throw .credentialRetrieval("STS is down") }
            return AWSCredentials(accessKeyId: "ASIA\(count)", secretAccessKey: "s", sessionToken: "t", expiration: time + 3600)
        }
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let scene = Scene(concurrentCallers: 20)
        let cache = RefreshingCredentials(now: { scene.now }) { () async throws(ServiceError) in try await scene.fetch() }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    scene.callers?.arrive()
                    return try await cache.credentials().accessKeyId
                }
            }
            return try await group.reduce(into: Set()) { $0.insert($1) }
        }
        #expect(ids == ["ASIA1"] && scene.fetches == 1)
    }

    @Test func credentialsAreFetchedAgainFiveMinutesBeforeTheyExpire() async throws {
        let scene = Scene()
        let cache = RefreshingCredentials(now: { scene.now }) { () async throws(ServiceError) in try await scene.fetch() }
        #expect(try await cache.credentials().accessKeyId == "ASIA1")
        scene.advance(54 * 60)
        #expect(try await cache.credentials().accessKeyId == "ASIA1", "six minutes left")
        scene.advance(2 * 60)
        #expect(try await cache.credentials().accessKeyId == "ASIA2", "four minutes left")
    }

    @Test func aFailedRefreshKeepsCredentialsThatStillWorkThenFails() async throws {
        let scene = Scene()
        let cache = RefreshingCredentials(now: { scene.now }) { () async throws(ServiceError) in try await scene.fetch() }
        _ = try await cache.credentials()
        scene.failing = true
        scene.advance(58 * 60)
        #expect(try await cache.credentials().accessKeyId == "ASIA1", "two minutes left: still usable")
        scene.advance(3 * 60)
        await #expect(throws: ServiceError.credentialRetrieval("STS is down")) { try await cache.credentials() }
        scene.failing = false
        #expect(try await cache.credentials().accessKeyId == "ASIA4", "the next call tries again")
    }
}
