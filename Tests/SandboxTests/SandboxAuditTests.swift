import Core
import CoreTestSupport
import Foundation
import GRDB
@testable import Sandbox
import Testing

/// The audit of writes: one entry per accepted write, made in the write's own transaction.
@Suite(.tags(.unit)) struct SandboxAuditTests {
    static let recipeRun = AuditContext(command: "run", recipe: "lead-intake", parameters: ["csv": "leads.csv", "skip_invalid": false])

    @Test func creatingAnEngagementRecordsOneEntryWithTheWritersContext() async throws {
        let sandbox = try SandboxFixture(audit: Self.recipeRun)
        defer { sandbox.remove() }
        let created = try await sandbox.engagement(token: "token-1")
        let entries = try await sandbox.service.auditEntries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.time == created.modifiedAt)
        #expect(entry.backend == "sandbox")
        #expect(entry.catalog == "Sandbox")
        #expect(entry.operation == "CreateEngagement")
        #expect(entry.engagementId == created.id)
        #expect(entry.contextId == nil)
        #expect(entry.clientToken == "token-1")
        #expect(entry.outcome == .created)
        #expect(entry.actor == AuditContext.currentActor)
        #expect(entry.processId == Int(getpid()))
        #expect(entry.command == "run")
        #expect(entry.recipe == "lead-intake")
        #expect(entry.parameters == ["csv": "leads.csv", "skip_invalid": false])
    }

    @Test func creatingAndUpdatingAContextEachRecordOneEntryAtTheWritesModifiedAt() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id, token: "token-2")
        let updated = try await sandbox.service.updateEngagementContext(
            try sandbox.appendRequest(id, "1", lastModified: context.engagementLastModifiedAt!))
        let entries = try await sandbox.service.auditEntries()
        #expect(entries.map(\.operation) == ["CreateEngagement", "CreateEngagementContext", "UpdateEngagementContext"])
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
        let (create, update) = (entries[1], entries[2])
        #expect(create.time == context.engagementLastModifiedAt)
        #expect((create.engagementId, create.contextId, create.clientToken, create.outcome) == (id, "1", "token-2", .created))
        #expect(update.time == updated.engagementLastModifiedAt)
        #expect((update.engagementId, update.contextId, update.clientToken, update.outcome) == (id, "1", nil, .updated))
        #expect(entries.allSatisfy { $0.command == "library" && $0.recipe == nil && $0.parameters == nil })
    }

    @Test func anEngagementCreatedWithContextsRecordsItAndEachContext() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await sandbox.service.createEngagement(try CreateEngagementRequest(wire: Fixtures.createEngagement.setting(
            ["Contexts"], to: [Fixtures.customerProjectContext, ["Type": "Lead"]]), at: ""))
        let entries = try await sandbox.service.auditEntries()
        #expect(entries.map(\.contextId) == [nil, "1", "2"])
        #expect(entries.allSatisfy { $0.operation == "CreateEngagement" && $0.engagementId == created.id && $0.time == created.modifiedAt })
    }

    @Test func aReplayedClientTokenRecordsNothing() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement(token: "same").id!
        #expect(try await sandbox.engagement(token: "same").id == id)
        _ = try await sandbox.leadContext(on: id, token: "again")
        _ = try await sandbox.leadContext(on: id, token: "again")
        #expect(try await sandbox.service.auditEntries().map(\.operation) == ["CreateEngagement", "CreateEngagementContext"])
    }

    @Test func refusedWritesRecordNothing() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement(token: "first").id!
        let stale = try await sandbox.modifiedAt(id)
        for _ in 1...5 { _ = try await sandbox.leadContext(on: id) }
        let recorded = try await sandbox.service.auditEntries().count
        let refusals: [(String, () async throws -> Void)] = [
            ("ValidationException", { _ = try await sandbox.engagement(title: "") }),
            ("ConflictException", { _ = try await sandbox.engagement(title: "Another request", token: "first") }),
            ("ServiceQuotaExceededException", { _ = try await sandbox.leadContext(on: id) }),
            ("ResourceNotFoundException", { _ = try await sandbox.leadContext(on: "eng-00000000000000") }),
            ("ConflictException", { _ = try await sandbox.service.updateEngagementContext(try sandbox.appendRequest(id, "1", lastModified: stale)) }),
        ]
        for (code, refused) in refusals {
            #expect(await serviceError(refused)?.code == code)
        }
        #expect(try await sandbox.service.auditEntries().count == recorded)
    }

    @Test func aWriteWhoseAuditEntryCannotBeStoredIsNotMade() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let before = try await sandbox.modifiedAt(id)
        try await sandbox.service.store.opened().database.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
        }
        #expect(await serviceError { _ = try await sandbox.leadContext(on: id, token: "retried") }?.code == "InternalServerException")
        #expect(try await sandbox.modifiedAt(id) == before)
        try await sandbox.service.store.opened().database.write { db in try db.execute(sql: "DROP TRIGGER refuse_audit") }
        // The ClientToken stored by the failed attempt was rolled back with it, so the retry creates the context.
        #expect(try await sandbox.leadContext(on: id, token: "retried").contextId == "1")
        #expect(try await sandbox.service.auditEntries().map(\.operation) == ["CreateEngagement", "CreateEngagementContext"])
    }

    @Test func entriesAreFilteredByEngagementAndSince() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let first = try await sandbox.engagement()
        let second = try await sandbox.engagement()
        let context = try await sandbox.leadContext(on: first.id!)
        let byEngagement = try await sandbox.service.auditEntries(engagement: first.id)
        #expect(byEngagement.map(\.operation) == ["CreateEngagement", "CreateEngagementContext"])
        #expect(try await sandbox.service.auditEntries(engagement: first.arn).map(\.sequence) == byEngagement.map(\.sequence))
        let since = try await sandbox.service.auditEntries(since: second.modifiedAt!.text)
        #expect(since.map(\.engagementId) == [second.id, first.id])
        #expect(try await sandbox.service.auditEntries(engagement: first.id, since: second.modifiedAt!.text).map(\.time) == [context.engagementLastModifiedAt])
        // The same instant written with an offset and nine digits.
        let micros = try #require(SandboxTime.microseconds(of: second.modifiedAt!))
        let shifted = SandboxTime.text(micros + 2 * 3_600_000_000).replacingOccurrences(of: "Z", with: "000+02:00")
        #expect(try await sandbox.service.auditEntries(since: shifted).count == 2)
        #expect(try await sandbox.service.auditEntries(since: "0500-01-01T00:00:00Z").count == 3)
        #expect(try await sandbox.service.auditEntries(since: "9999-01-01T00:00:00Z").isEmpty)
    }

    @Test(arguments: [
        ("yesterday", "--since 'yesterday' is not an ISO 8601 date-time such as 2025-06-30T14:05:09.123456Z"),
        ("2025-02-30T00:00:00Z", "--since '2025-02-30T00:00:00Z' is not a real instant: 2025-02 has 28 days"),
    ])
    func aSinceThatIsNoTimestampIsRefusedNamingTheOption(since: String, message: String) async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let error = await serviceError { _ = try await sandbox.service.auditEntries(since: since) }
        #expect(error?.code == "ValidationException")
        #expect(error?.message == message)
    }

    @Test func withAuditRecordsLaterWritesUnderTheNewContextOnTheSameStore() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let served = sandbox.service.withAudit(AuditContext(command: "serve", actor: "client@10.0.0.7", processId: 7))
        _ = try await served.createEngagementContext(try {
            var request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
            request.engagementIdentifier = id
            return request
        }())
        let entries = try await sandbox.service.auditEntries()
        #expect(entries.map(\.command) == ["library", "serve"])
        #expect(entries.map(\.actor) == [AuditContext.currentActor, "client@10.0.0.7"])
        #expect(sandbox.service.audit.command == "library")
    }

    @Test func theActorIsTheOSUserAtTheHost() {
        let actor = AuditContext.currentActor
        let parts = actor.split(separator: "@")
        #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty }, "\(actor)")
        #expect(AuditContext(command: "call").actor == actor)
    }
}
