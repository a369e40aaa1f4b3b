import Core
import CoreTestSupport
import Foundation
import OrderedJSON
@testable import Sandbox
import Testing

/// Defects found by trying the sandbox adversarially: durability settings, data kept whole, exact ids and
/// ARNs, contexts created without a payload.
@Suite(.tags(.unit)) struct SandboxHardeningTests {
    @Test func theSandboxConnectionRunsWALWithSynchronousFull() throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let settings = try sandbox.service.storeSettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "PRAGMA synchronous 2 is FULL: an acknowledged write survives a power cut")
        let reopened = try SandboxService(path: sandbox.path).storeSettings()
        #expect(reopened.journalMode == "wal" && reopened.synchronous == 2)
    }

    @Test func nulCharactersInTitleAndDescriptionAreKept() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await sandbox.service.createEngagement(CreateEngagementRequest(
            catalog: "Sandbox", clientToken: "nul", title: "a\u{0}b", description: "x\u{0}y\u{0}"))
        let read = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: created.id!))
        #expect(read.title == "a\u{0}b")
        #expect(read.description == "x\u{0}y\u{0}")
        let listed = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox"))
        #expect(listed.engagementSummaryList.first?.title == "a\u{0}b")
    }

    @Test(arguments: [("Lead", leadUpdate), ("CustomerProject", projectUpdate)])
    func aContextCreatedWithoutPayloadTakesUpdatesAsIfEmpty(type: String, payload: JSONValue) async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await sandbox.service.createEngagement(try CreateEngagementRequest(wire: [
            "Catalog": "Sandbox", "ClientToken": "bare", "Title": "Bare", "Description": "d", "Contexts": [["Type": .string(type)]],
        ], at: ""))
        let id = created.id!
        let before = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        #expect(before.contexts?.first?.payload == nil)
        _ = try await sandbox.service.updateEngagementContext(try UpdateEngagementContextRequest(wire: [
            "Catalog": "Sandbox", "EngagementIdentifier": .string(id), "ContextIdentifier": "1",
            "EngagementLastModifiedAt": .string(before.modifiedAt!.text), "Type": .string(type), "Payload": payload,
        ], at: ""))
        let after = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        switch after.contexts?.first?.payload {
        case .lead(let lead)?:
            #expect(lead.customer.companyName == "Acme")
            #expect(lead.interactions.map(\.sourceId) == ["evt-bare"])
        case .customerProject(let project)?:
            #expect(project.project?.title == "Migration")
        default:
            Issue.record("the update was not applied: \(String(describing: after.contexts))")
        }
    }

    @Test(arguments: ["01", "+1", " 1", "1 ", "1.0", "0", "6", "١"])
    func contextIdsAreExactStrings(contextId: String) async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        _ = try await sandbox.leadContext(on: id)
        let before = try await sandbox.modifiedAt(id)
        let error = await serviceError {
            _ = try await sandbox.service.updateEngagementContext(try sandbox.appendRequest(id, contextId, lastModified: before))
        }
        #expect(["ResourceNotFoundException", "ValidationException"].contains(error?.code ?? "none"), "\(contextId): \(String(describing: error))")
        #expect(try await sandbox.modifiedAt(id) == before, "nothing was written")
    }

    @Test(arguments: [
        ("arn:aws:s3:us-east-1:123456789012:catalog/Sandbox/engagement/ID", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/ID/", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox//engagement/ID", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog//Sandbox/engagement/ID", "ValidationException"),
        ("arn:aws-cn:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/ID", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/ID", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:12345678901:catalog/Sandbox/engagement/ID", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/ID:1", "ValidationException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:Catalog/Sandbox/engagement/ID", "ValidationException"),
        ("arn:aws:partnercentral:eu-west-9:123456789012:catalog/Sandbox/engagement/ID", "ResourceNotFoundException"),
        ("arn:aws:partnercentral:us-east-1:999999999999:catalog/Sandbox/engagement/ID", "ResourceNotFoundException"),
        ("arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/ID", "ResourceNotFoundException"),
    ])
    func onlyTheSandboxsOwnARNFormNamesAnEngagement(template: String, code: String) async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await sandbox.engagement()
        let arn = template.replacingOccurrences(of: "ID", with: created.id!)
        let error = await serviceError { _ = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: arn)) }
        #expect(error?.code == code, "\(arn)")
        let exact = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: created.arn!))
        #expect(exact.id == created.id)
    }

    @Test func aHugeIdentifierIsNotEchoedWholeInTheError() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let huge = "eng-" + String(repeating: "x", count: 1_000_000)
        for identifier in [huge, "arn:" + huge] {
            let error = await serviceError { _ = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: identifier)) }
            #expect(error?.code == "ValidationException")
            #expect((error?.description.count ?? .max) < 400, "the message is \(error?.description.count ?? 0) characters")
            #expect(error?.description.contains("1000004 characters") == true || error?.description.contains("1000008 characters") == true)
        }
    }
}

private let leadUpdate: JSONValue = ["Lead": [
    "Customer": ["CompanyName": "Acme", "Industry": "Retail", "Address": ["CountryCode": "US"]],
    "Interaction": [
        "SourceType": "Event", "SourceId": "evt-bare", "SourceName": "Summit", "CustomerAction": "Asked for a demo",
        "Contact": ["BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"],
    ],
]]

private let projectUpdate: JSONValue = ["CustomerProject": ["Project": ["Title": "Migration", "BusinessProblem": "Runs its own databases", "TargetCompletionDate": "2026-12-31"]]]
