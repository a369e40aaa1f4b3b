import Core
import CoreTestSupport
import Foundation
@testable import Sandbox
import Testing

@Suite(.tags(.unit)) struct SandboxListTests {
    /// Three engagements: one with a Lead, one with a CustomerProject, one with neither.
    func populated() async throws -> (SandboxFixture, lead: String, project: String, empty: String) {
        let sandbox = try SandboxFixture()
        let lead = try await sandbox.engagement(title: "Lead one").id!
        _ = try await sandbox.leadContext(on: lead)
        let project = try await sandbox.service.createEngagement(CreateEngagementRequest(wire: Fixtures.createEngagement, at: "")).id!
        let empty = try await sandbox.engagement(title: "Empty").id!
        return (sandbox, lead, project, empty)
    }

    func ids(_ sandbox: SandboxFixture, _ request: JSONValue) async throws -> [String] {
        var document = request
        if case .object(var members) = document {
            members["Catalog"] = "Sandbox"
            document = .object(members)
        }
        return try await sandbox.service.listEngagements(ListEngagementsRequest(wire: document, at: "")).engagementSummaryList.compactMap(\.id)
    }

    @Test func filtersByContextTypesAndIdentifiers() async throws {
        let (sandbox, lead, project, empty) = try await populated()
        defer { sandbox.remove() }
        #expect(try await ids(sandbox, [:]) == [lead, project, empty])
        #expect(try await ids(sandbox, ["ContextTypes": ["Lead"]]) == [lead])
        #expect(try await ids(sandbox, ["ContextTypes": ["Lead", "CustomerProject"]]) == [lead, project])
        #expect(try await ids(sandbox, ["ExcludeContextTypes": ["Lead"]]) == [project, empty])
        #expect(try await ids(sandbox, ["EngagementIdentifier": [.string(empty), .string(lead)]]) == [lead, empty])
        #expect(try await ids(sandbox, ["CreatedBy": ["999999999999"]]) == [])
    }

    @Test func sortsByCreatedDateBothWays() async throws {
        let (sandbox, lead, project, empty) = try await populated()
        defer { sandbox.remove() }
        #expect(try await ids(sandbox, ["Sort": ["SortBy": "CreatedDate", "SortOrder": "DESCENDING"]]) == [empty, project, lead])
        #expect(try await ids(sandbox, ["Sort": ["SortBy": "CreatedDate", "SortOrder": "ASCENDING"]]) == [lead, project, empty])
    }

    @Test func summariesCarryTheContextTypes() async throws {
        let (sandbox, lead, _, _) = try await populated()
        defer { sandbox.remove() }
        let summary = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox", engagementIdentifier: [lead])).engagementSummaryList.first
        #expect(summary?.contextTypes == [.lead])
        #expect(summary?.title == "Lead one")
    }

    @Test func pagesFollowNextTokenAndSurviveWritesInBetween() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        var created: [String] = []
        for number in 1...7 { created.append(try await sandbox.engagement(title: "E\(number)").id!) }
        var seen: [String] = []
        var token: String?
        repeat {
            let page = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox", maxResults: 3, nextToken: token))
            #expect(page.engagementSummaryList.count <= 3)
            seen += page.engagementSummaryList.compactMap(\.id)
            token = page.nextToken
            _ = try await sandbox.engagement(title: "written between pages")
        } while token != nil
        #expect(Array(seen.prefix(7)) == created)
        #expect(Set(seen).count == seen.count, "no engagement appears twice")
    }

    @Test func aForeignNextTokenIsAValidationException() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let error = await serviceError { _ = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox", nextToken: "not-a-token")) }
        #expect(error?.code == "ValidationException")
        #expect(error?.errorList.first?.fieldName == "NextToken")
    }
}
