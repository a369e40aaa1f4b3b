import Foundation
import Testing
@testable import Core
import CoreTestSupport

/// The confirmation in front of the real endpoint: writes to the AWS catalog wait for a yes; nothing else does.
@Suite(.tags(.unit)) struct AWSCatalogWriteGuardTests {
    /// A service that counts the calls that reach it and answers with empty responses.
    final class CountingService: OperationHandlers, @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [String] = []
        var received: [String] { lock.withLock { calls } }
        private func record(_ name: String) { lock.withLock { calls.append(name) } }

        func handle(_ request: Validated<CreateEngagementRequest>) async throws(ServiceError) -> CreateEngagementResponse {
            record("CreateEngagement"); return CreateEngagementResponse(id: "eng-00000000000000")
        }
        func handle(_ request: Validated<GetEngagementRequest>) async throws(ServiceError) -> GetEngagementResponse {
            record("GetEngagement"); return GetEngagementResponse()
        }
        func handle(_ request: Validated<ListEngagementsRequest>) async throws(ServiceError) -> ListEngagementsResponse {
            record("ListEngagements"); return ListEngagementsResponse(engagementSummaryList: [])
        }
        func handle(_ request: Validated<CreateEngagementContextRequest>) async throws(ServiceError) -> CreateEngagementContextResponse {
            record("CreateEngagementContext"); return CreateEngagementContextResponse()
        }
        func handle(_ request: Validated<UpdateEngagementContextRequest>) async throws(ServiceError) -> UpdateEngagementContextResponse {
            record("UpdateEngagementContext")
            return UpdateEngagementContextResponse(engagementId: "", engagementArn: "", engagementLastModifiedAt: Timestamp(""), contextId: "")
        }
    }

    /// Counts the questions asked and gives the same answer each time.
    final class Asker: @unchecked Sendable {
        private let lock = NSLock()
        private var questions: [String] = []
        let answer: Bool
        /// The writers a test starts at once. The person answers only after all of them have set out to
        /// write, so they come while the question is open, not after it; nil when a test writes one at a time.
        let writers: Arrivals?
        init(answer: Bool, concurrentWriters: Int? = nil) {
            self.answer = answer
            writers = concurrentWriters.map(Arrivals.init(expected:))
        }
        var asked: [String] { lock.withLock { questions } }
        var confirmation: WriteConfirmation {
            .ask { question in
                self.lock.withLock { self.questions.append(question) }
                await self.writers?.allArrived()
                return self.answer
            }
        }
    }

    static func create(_ catalog: String) -> CreateEngagementRequest {
        CreateEngagementRequest(catalog: catalog, clientToken: UUID().uuidString, title: "Acme", description: "Pilot")
    }

    let endpoint = "https://partnercentral-selling.us-east-1.api.aws"

    @Test func withoutATerminalAWSCatalogWritesAreRefusedBeforeAnythingIsSent() async throws {
        let inner = CountingService()
        let guarded = AWSCatalogWriteGuard(inner, endpoint: endpoint, confirmation: .unavailable(reason: "no terminal; add --yes"))
        let error = await serviceError { _ = try await guarded.createEngagement(Self.create("AWS")) }
        #expect(error?.code == "WriteNotConfirmed")
        #expect(error?.message == "CreateEngagement to the AWS catalog at \(endpoint) was not sent: no terminal; add --yes")
        #expect(inner.received.isEmpty)
        _ = try await guarded.getEngagement(GetEngagementRequest(catalog: "AWS", identifier: "eng-00000000000000"))
        _ = try await guarded.listEngagements(ListEngagementsRequest(catalog: "AWS"))
        _ = try await guarded.createEngagement(Self.create("Sandbox"))
        #expect(inner.received == ["GetEngagement", "ListEngagements", "CreateEngagement"])
    }

    @Test func yesOnTheCommandLineLetsWritesThrough() async throws {
        let inner = CountingService()
        let guarded = AWSCatalogWriteGuard(inner, endpoint: endpoint, confirmation: .given)
        _ = try await guarded.createEngagement(Self.create("AWS"))
        #expect(inner.received == ["CreateEngagement"])
    }

    @Test func onTheTerminalTheFirstWriteAsksOnceForTheWholeRun() async throws {
        let inner = CountingService()
        let asker = Asker(answer: true, concurrentWriters: 5)
        let guarded = AWSCatalogWriteGuard(inner, endpoint: endpoint, confirmation: asker.confirmation)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    asker.writers?.arrive()
                    _ = try await guarded.createEngagement(Self.create("AWS"))
                }
            }
            try await group.waitForAll()
        }
        #expect(asker.asked.count == 1)
        #expect(asker.asked.first?.contains("write to the AWS catalog (live partner data) at \(endpoint): CreateEngagement 'Acme'") == true)
        #expect(inner.received.count == 5)
    }

    @Test func aDeclinedWriteIsNotSentNorAreLaterOnes() async {
        let inner = CountingService()
        let asker = Asker(answer: false)
        let guarded = AWSCatalogWriteGuard(inner, endpoint: endpoint, confirmation: asker.confirmation)
        for _ in 0..<2 {
            let error = await serviceError { _ = try await guarded.createEngagement(Self.create("AWS")) }
            #expect(error?.code == "WriteNotConfirmed")
            #expect(error?.message.contains("declined") == true)
        }
        #expect(asker.asked.count == 1)
        #expect(inner.received.isEmpty)
    }
}
