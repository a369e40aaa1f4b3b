import Core
import Foundation
import GRDB
@testable import Sandbox
import Testing

/// `CreatedBy` and `ModifiedBy` name the caller of the service that writes (`withAudit(_:caller:)`), as
/// `engage serve` names each request's signer.
@Suite(.tags(.unit)) struct SandboxCallerTests {
    @Test func theBoundCallerCreatesAndTheLastWriterModifies() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.calling(as: "alice").engagement().id!
        let created = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        #expect(created.createdBy == "alice")
        #expect(created.modifiedBy == "alice")

        let context = try await sandbox.calling(as: "bob").leadContext(on: id)
        #expect(try await writers(sandbox, id) == ["alice", "bob"])

        let update = try sandbox.appendRequest(id, context.contextId!, lastModified: try await sandbox.modifiedAt(id))
        _ = try await sandbox.calling(as: "111122223333").service.updateEngagementContext(update)
        #expect(try await writers(sandbox, id) == ["alice", "111122223333"])

        let listed = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox")).engagementSummaryList
        #expect(listed.map(\.createdBy) == ["alice"])
        #expect(listed.map(\.modifiedBy) == ["111122223333"])
        let byCreator = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox", createdBy: ["alice"]))
        #expect(byCreator.engagementSummaryList.map(\.id) == [id])
    }

    @Test func anUnboundWriteIsTheAccounts() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        _ = try await sandbox.leadContext(on: id)
        #expect(try await writers(sandbox, id) == [SandboxService.accountId, SandboxService.accountId])
    }

    /// Contexts written before writers were recorded have none: the engagement's creator stands in.
    @Test func aContextWithNoRecordedWriterReadsAsTheCreator() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.calling(as: "alice").engagement().id!
        _ = try await sandbox.calling(as: "bob").leadContext(on: id)
        let database = try DatabaseQueue(path: sandbox.path)
        try await database.write { db in try db.execute(sql: "UPDATE context SET modifiedBy = NULL") }
        #expect(try await writers(sandbox, id) == ["alice", "alice"])
        let listed = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox")).engagementSummaryList
        #expect(listed.map(\.modifiedBy) == ["alice"])
    }

    /// The engagement's `CreatedBy` and `ModifiedBy` as GetEngagement returns them.
    private func writers(_ sandbox: SandboxFixture, _ id: String) async throws -> [String?] {
        let engagement = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        return [engagement.createdBy, engagement.modifiedBy]
    }
}
