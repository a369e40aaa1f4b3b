import Core
import CoreTestSupport
import Foundation
@testable import Sandbox
import Testing

@Suite(.tags(.unit)) struct SandboxTests {
    @Test func engagementsGetServiceShapedIdsArnsAndTimestamps() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await sandbox.engagement()
        let id = try #require(created.id)
        #expect(id.wholeMatch(of: /eng-[0-9a-z]{14}/) != nil)
        #expect(created.arn == "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/\(id)")
        #expect(created.modifiedAt?.text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil)
        let read = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        #expect(read.title == "Acme data platform")
        #expect(read.createdBy == SandboxService.accountId)
        #expect(read.modifiedBy == SandboxService.accountId)
        #expect(read.memberCount == 1)
        #expect(read.createdAt == read.modifiedAt)
        let byArn = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: created.arn!))
        #expect(byArn.id == id)
    }

    @Test func catalogsAreSeparateWorlds() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let error = await serviceError { _ = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "AWS", identifier: id)) }
        #expect(error?.code == "ResourceNotFoundException")
        let listed = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "AWS"))
        #expect(listed.engagementSummaryList.isEmpty)
    }

    @Test func anUnknownCatalogIsAValidationException() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let error = await serviceError {
            _ = try await sandbox.service.createEngagement(CreateEngagementRequest(catalog: "sandbox", clientToken: "t", title: "A", description: "B"))
        }
        #expect(error?.code == "ValidationException")
        #expect(error?.reason == .requestValidationFailed)
        #expect(error?.errorList.first?.fieldName == "Catalog")
        #expect(error?.errorList.first?.message.contains("did you mean 'Sandbox'?") == true)
    }

    @Test func anInvalidRequestWritesNothing() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let before = try await sandbox.modifiedAt(id)
        var request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        request.engagementIdentifier = id
        guard case .lead(var lead) = request.payload else { return }
        lead.customer.companyName = String(repeating: "x", count: 121)
        lead.interactions[0].contact.email = "not-an-email"
        request.payload = .lead(lead)
        let error = await serviceError { _ = try await sandbox.service.createEngagementContext(request) }
        #expect(error?.code == "ValidationException")
        #expect(error?.errorList.map(\.fieldName) == ["Payload.Lead.Customer.CompanyName", "Payload.Lead.Interactions[0].Contact.Email"])
        #expect(try await sandbox.modifiedAt(id) == before)
        let engagement = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        #expect(engagement.contexts?.isEmpty == true)
    }

    @Test func contextsAreNumberedAndTheSixthExceedsTheQuota() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        var ids: [String] = []
        for _ in 1...5 { ids.append(try await sandbox.leadContext(on: id).contextId!) }
        #expect(ids == ["1", "2", "3", "4", "5"])
        let before = try await sandbox.modifiedAt(id)
        let error = await serviceError { _ = try await sandbox.leadContext(on: id) }
        #expect(error?.code == "ServiceQuotaExceededException")
        #expect(try await sandbox.modifiedAt(id) == before)
    }

    @Test func replayingTheCallThatFilledAnEngagementReturnsItsResponseNotAQuotaError() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        for number in 1...4 { _ = try await sandbox.leadContext(on: id, token: "ctx-\(number)") }
        let fifth = try await sandbox.leadContext(on: id, token: "ctx-5")
        let replayed = try await sandbox.leadContext(on: id, token: "ctx-5")
        #expect(replayed == fifth)
        let sixth = await serviceError { _ = try await sandbox.leadContext(on: id, token: "ctx-6") }
        #expect(sixth?.code == "ServiceQuotaExceededException")
    }

    @Test func aLeadUpdateReplacesTheCustomerAndAppendsTheInteraction() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id)
        var request = try sandbox.appendRequest(id, context.contextId!, lastModified: context.engagementLastModifiedAt!, source: "second")
        guard case .lead(var change) = request.payload else { return }
        change.customer.companyName = "Acme Holdings"
        change.qualificationStatus = "Qualified"
        change.interaction?.interactionDate = nil
        request.payload = .lead(change)
        let response = try await sandbox.service.updateEngagementContext(request)
        #expect(response.contextId == context.contextId)
        let lead = try #require(try await sandbox.lead(id, context.contextId!))
        #expect(lead.customer.companyName == "Acme Holdings")
        #expect(lead.qualificationStatus == "Qualified")
        #expect(lead.interactions.map(\.sourceId) == ["evt-2025-001", "second"])
        #expect(lead.interactions[1].interactionDate == response.engagementLastModifiedAt, "a missing InteractionDate is filled in")

        var keep = try sandbox.appendRequest(id, context.contextId!, lastModified: response.engagementLastModifiedAt, source: "third")
        if case .lead(var next) = keep.payload {
            next.qualificationStatus = nil
            keep.payload = .lead(next)
        }
        _ = try await sandbox.service.updateEngagementContext(keep)
        #expect(try await sandbox.lead(id, context.contextId!)?.qualificationStatus == "Qualified", "QualificationStatus is kept when not given")
    }

    @Test func aCreateFillsInMissingInteractionDatesInModelOrder() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        var request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        request.engagementIdentifier = id
        if case .lead(var lead) = request.payload {
            lead.interactions[0].interactionDate = nil
            request.payload = .lead(lead)
        }
        let created = try await sandbox.service.createEngagementContext(request)
        let engagement = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
        let interaction = engagement.wire["Contexts"]?.arrayValue?.first?["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.first
        #expect(interaction?["InteractionDate"] == .string(created.engagementLastModifiedAt!.text))
        #expect(interaction?.objectValue.map { Array($0.keys) } == [
            "SourceType", "SourceId", "SourceName", "Usecase", "InteractionDate", "CustomerAction", "BusinessProblem", "Contact",
        ])
    }

    @Test func theTenthInteractionFitsAndTheEleventhExceedsTheQuota() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id)
        var modified = context.engagementLastModifiedAt!
        for number in 2...10 {
            modified = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: modified, source: "s\(number)")).engagementLastModifiedAt
        }
        #expect(try await sandbox.lead(id, "1")?.interactions.count == 10)
        let error = await serviceError { _ = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: modified, source: "s11")) }
        #expect(error?.code == "ServiceQuotaExceededException")
        #expect(try await sandbox.lead(id, "1")?.interactions.count == 10)
        #expect(try await sandbox.modifiedAt(id) == modified)
    }

    @Test func aStaleLastModifiedAtIsAConflictAndWritesNothing() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id)
        let first = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: context.engagementLastModifiedAt!, source: "a"))
        let error = await serviceError {
            _ = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: context.engagementLastModifiedAt!, source: "b"))
        }
        #expect(error?.code == "ConflictException")
        #expect(error?.isRetryable == true)
        #expect(try await sandbox.lead(id, "1")?.interactions.map(\.sourceId) == ["evt-2025-001", "a"])
        #expect(try await sandbox.modifiedAt(id) == first.engagementLastModifiedAt)
    }

    @Test func lastModifiedAtComparesAtMicrosecondsWhateverDigitsTheClientSends() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id)
        let text = context.engagementLastModifiedAt!.text
        let nanoseconds = Timestamp(text.replacingOccurrences(of: "Z", with: "789Z"))
        let next = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: nanoseconds, source: "nanos"))
        let offset = SandboxTime.text(SandboxTime.microseconds(of: next.engagementLastModifiedAt)!)
        #expect(offset == next.engagementLastModifiedAt.text)
        let dropped = Timestamp(String(next.engagementLastModifiedAt.text.dropLast(4)) + "Z")
        let error = await serviceError { _ = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: dropped, source: "millis")) }
        #expect(error?.code == "ConflictException", "three digits fewer is another instant")
    }

    @Test func modifiedAtStrictlyIncreasesWithEveryWrite() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        var stamps: [Int64] = [SandboxTime.microseconds(of: try await sandbox.modifiedAt(id))!]
        let context = try await sandbox.leadContext(on: id)
        stamps.append(SandboxTime.microseconds(of: context.engagementLastModifiedAt!)!)
        var modified = context.engagementLastModifiedAt!
        for number in 2...10 {
            modified = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "1", lastModified: modified, source: "s\(number)")).engagementLastModifiedAt
            stamps.append(SandboxTime.microseconds(of: modified)!)
        }
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }, "\(stamps)")
    }

    @Test func theSameClientTokenAndRequestReturnsTheFirstResponse() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let first = try await sandbox.engagement(token: "token-1")
        let again = try await sandbox.engagement(token: "token-1")
        #expect(again == first)
        let listed = try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox"))
        #expect(listed.engagementSummaryList.count == 1)
        let context = try await sandbox.leadContext(on: first.id!, token: "ctx-1")
        let contextAgain = try await sandbox.leadContext(on: first.id!, token: "ctx-1")
        #expect(contextAgain == context)
        #expect(try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: first.id!)).contexts?.count == 1)
    }

    @Test func theSameClientTokenWithAnotherRequestIsAConflict() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        _ = try await sandbox.engagement(title: "First", token: "token-1")
        let error = await serviceError { _ = try await sandbox.engagement(title: "Second", token: "token-1") }
        #expect(error?.code == "ConflictException")
        #expect(try await sandbox.service.listEngagements(ListEngagementsRequest(catalog: "Sandbox")).engagementSummaryList.map(\.title) == ["First"])
    }

    @Test func businessRulesNameTheProblem() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let context = try await sandbox.leadContext(on: id)
        var wrongType = try sandbox.appendRequest(id, "1", lastModified: context.engagementLastModifiedAt!)
        wrongType.type = .customerProject
        let typeError = await serviceError { _ = try await sandbox.service.updateEngagementContext(wrongType) }
        #expect(typeError?.code == "ValidationException")
        #expect(typeError?.reason == .businessValidationFailed)
        #expect(typeError?.errorList.first?.fieldName == "Type")

        let missing = await serviceError { _ = try await sandbox.service.updateEngagementContext(sandbox.appendRequest(id, "9", lastModified: context.engagementLastModifiedAt!)) }
        #expect(missing?.code == "ResourceNotFoundException")
        let noEngagement = await serviceError { _ = try await sandbox.leadContext(on: "eng-00000000000000") }
        #expect(noEngagement?.code == "ResourceNotFoundException")

        var mismatched = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        mismatched.engagementIdentifier = id
        mismatched.type = .customerProject
        let payloadError = await serviceError { _ = try await sandbox.service.createEngagementContext(mismatched) }
        #expect(payloadError?.reason == .businessValidationFailed)
        #expect(payloadError?.errorList.first?.fieldName == "Payload")
    }

    @Test func aCustomerProjectUpdateReplacesWhatItGives() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let request = try CreateEngagementRequest(wire: Fixtures.createEngagement, at: "")
        let created = try await sandbox.service.createEngagement(request)
        let update = try UpdateEngagementContextRequest(wire: [
            "Catalog": "Sandbox", "EngagementIdentifier": .string(created.id!), "ContextIdentifier": "1",
            "EngagementLastModifiedAt": .string(created.modifiedAt!.text), "Type": "CustomerProject",
            "Payload": ["CustomerProject": ["Project": ["Title": "Imaging archive, phase 2", "BusinessProblem": "Phase one moved the scans; now the reports.", "TargetCompletionDate": "2026-09-30"]]],
        ], at: "")
        _ = try await sandbox.service.updateEngagementContext(update)
        let engagement = try await sandbox.service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: created.id!))
        guard case .customerProject(let project)? = engagement.contexts?.first?.payload else {
            Issue.record("expected a CustomerProject context")
            return
        }
        #expect(project.project?.title == "Imaging archive, phase 2")
        #expect(project.customer?.companyName == "Örebro Vård AB")
    }

    @Test func writesSurviveReopeningTheStore() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let id = try await sandbox.engagement().id!
        let reopened = try SandboxService(path: sandbox.path)
        #expect(try await reopened.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id)).id == id)
    }
}

/// ListSolutions on the sandbox: the seeded solutions, S-1234567 (AWS's Sandbox solution) among them, with the
/// model's filters, sorts and pages.
@Suite(.tags(.unit)) struct SandboxSolutionTests {
    @Test func theSeededSolutionsAreListedFilteredSortedAndPaged() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let all = try await sandbox.service.listSolutions(ListSolutionsRequest(catalog: "Sandbox"))
        #expect(all.solutionSummaries.map(\.id) == ["S-1234567", "S-2000001", "S-2000002", "S-2000003", "S-2000004"])
        #expect(all.solutionSummaries.first?.name == "Sandbox Solution" && all.solutionSummaries.first?.status == .active)
        #expect(all.nextToken == nil)

        let active = try await sandbox.service.listSolutions(ListSolutionsRequest(catalog: "AWS", status: [.active], category: ["Software Product", "Managed Service"]))
        #expect(active.solutionSummaries.map(\.id) == ["S-1234567", "S-2000002"])
        #expect(active.solutionSummaries.allSatisfy { $0.catalog == "AWS" })

        let newest = try await sandbox.service.listSolutions(ListSolutionsRequest(catalog: "Sandbox", sort: SolutionSort(sortOrder: .descending, sortBy: .createdDate)))
        #expect(newest.solutionSummaries.map(\.id) == ["S-2000004", "S-2000003", "S-2000002", "S-2000001", "S-1234567"])

        var pages: [[String]] = []
        var token: String?
        repeat {
            let page = try await sandbox.service.listSolutions(ListSolutionsRequest(catalog: "Sandbox", maxResults: 2, nextToken: token))
            pages.append(page.solutionSummaries.map(\.id))
            token = page.nextToken
        } while token != nil
        #expect(pages == [["S-1234567", "S-2000001"], ["S-2000002", "S-2000003"], ["S-2000004"]])

        let error = await serviceError { _ = try await sandbox.service.listSolutions(ListSolutionsRequest(catalog: "Sandbox", nextToken: "nonsense")) }
        #expect(error?.errorList.map(\.fieldName) == ["NextToken"])
    }
}
