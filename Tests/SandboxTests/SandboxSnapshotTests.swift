import Core
import CoreTestSupport
import Foundation
import Testing
@testable import Sandbox

/// Resource snapshots and their jobs: revisions per engagement, resource and template; a running job
/// snapshots each write that changes its opportunity and none that changes nothing; delete only when stopped.
@Suite(.tags(.unit)) struct SandboxSnapshotTests {
    func call(_ sandbox: SandboxFixture, _ operation: String, _ request: JSONValue) async throws -> JSONValue {
        try await RawOperation.call(operation, request: request, catalog: "Sandbox", on: sandbox.service)
    }

    /// An opportunity linked to an engagement by StartEngagementFromOpportunityTask, with the running job the
    /// task started.
    func linkedOpportunity(_ sandbox: SandboxFixture) async throws -> (opportunity: String, engagement: String, job: String) {
        let created = try await call(sandbox, "CreateOpportunity", [
            "Customer": ["Account": [
                "Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com", "Address": ["CountryCode": "US", "PostalCode": "98101"],
            ]],
            "Project": ["Title": "Lakehouse", "CustomerBusinessProblem": "Nightly reports take eleven hours to build",
                        "ExpectedCustomerSpend": [["Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"]]],
            "LifeCycle": ["TargetCloseDate": "2099-01-31"],
        ])
        let id = try #require(created["Id"]?.stringValue)
        try await call(sandbox, "AssociateOpportunity", ["OpportunityIdentifier": .string(id), "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-1234567"])
        let task = try await call(sandbox, "StartEngagementFromOpportunityTask", ["Identifier": .string(id), "AwsSubmission": ["InvolvementType": "Co-Sell"]])
        return (id, try #require(task["EngagementId"]?.stringValue), try #require(task["ResourceSnapshotJobId"]?.stringValue))
    }

    @Test func aRunningJobMakesARevisionForAChangeAndNoneForANoOp() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let (opportunity, engagement, jobId) = try await linkedOpportunity(sandbox)
        let subject: JSONValue.Members = [
            "EngagementIdentifier": .string(engagement), "ResourceType": "Opportunity", "ResourceIdentifier": .string(opportunity),
            "ResourceSnapshotTemplateIdentifier": "OpportunitySummary",
        ]
        // The task started a job, which took revision 1; an explicit snapshot is the next.
        #expect(try await call(sandbox, "GetResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])["Status"] == "Running")
        #expect(try await call(sandbox, "CreateResourceSnapshot", .object(subject))["Revision"] == 2)
        #expect(await serviceError { _ = try await call(sandbox, "CreateResourceSnapshotJob", .object(subject)) }?.code == "ConflictException")
        // Stopped and started again with nothing changed: no revision; starting a running job changes nothing.
        try await call(sandbox, "StopResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])
        try await call(sandbox, "StartResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])
        try await call(sandbox, "StartResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])
        // A review changes the opportunity: revision 3, in the review's transaction.
        _ = try await sandbox.service.review(catalog: "Sandbox", opportunity: opportunity, ReviewControl(status: "Approved"))
        let latest = try await call(sandbox, "GetResourceSnapshot", .object(subject))
        #expect(latest["Revision"] == 3)
        #expect(latest["Payload"]?["OpportunitySummary"]?["Lifecycle"]?["ReviewStatus"] == "Approved")
        // A write that leaves the summary as it was (a comment the view does not show) makes none.
        let read = try await call(sandbox, "GetOpportunity", ["Identifier": .string(opportunity)])
        var update = read.projected(onto: "UpdateOpportunityRequest").objectValue ?? [:]
        update["Identifier"] = .string(opportunity)
        var project = update["Project"]?.objectValue ?? [:]
        project["AdditionalComments"] = "Met the CTO"
        update["Project"] = .object(project)
        _ = try await call(sandbox, "UpdateOpportunity", .object(update))
        let listed = try await call(sandbox, "ListResourceSnapshots", ["EngagementIdentifier": .string(engagement)])
        #expect(listed["ResourceSnapshotSummaries"]?.arrayValue?.map { $0["Revision"] } == [1, 2, 3])
        let first = try await call(sandbox, "GetResourceSnapshot", .object(subject.merging(["Revision": 1]) { $1 }))
        #expect(first["Payload"]?["OpportunitySummary"]?["Lifecycle"]?["ReviewStatus"] == "Submitted")
        // Delete only when stopped.
        let refused = await serviceError { _ = try await call(sandbox, "DeleteResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)]) }
        #expect(refused?.code == "ConflictException")
        try await call(sandbox, "StopResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])
        #expect(await serviceError { _ = try await call(sandbox, "StopResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)]) }?.code == "ConflictException")
        try await call(sandbox, "DeleteResourceSnapshotJob", ["ResourceSnapshotJobIdentifier": .string(jobId)])
        #expect(try await call(sandbox, "ListResourceSnapshotJobs", [:])["ResourceSnapshotJobSummaries"] == [])
    }

    /// The task shares the opportunity with AWS as the model's documentation lists: a running job and an
    /// invitation to AWS, once.
    @Test func anEngagementFromAnOpportunityInvitesAWSOnce() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let (_, engagement, _) = try await linkedOpportunity(sandbox)
        let sent = try await call(sandbox, "ListEngagementInvitations", ["ParticipantType": "SENDER"])
        let invitations = try #require(sent["EngagementInvitationSummaries"]?.arrayValue)
        #expect(invitations.map { $0["EngagementId"] } == [.string(engagement)])
        #expect(invitations.first?["Receiver"]?["Account"]?["AwsAccountId"] == "AWS")
        #expect(invitations.first?["Status"] == "PENDING")
    }

    @Test func aSnapshotNeedsTheOpportunityInTheEngagementAndATemplateTheSandboxKnows() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let (opportunity, _, _) = try await linkedOpportunity(sandbox)
        let other = try #require(try await sandbox.engagement().id)
        let unlinked = await serviceError { _ = try await call(sandbox, "CreateResourceSnapshot", [
            "EngagementIdentifier": .string(other), "ResourceType": "Opportunity", "ResourceIdentifier": .string(opportunity),
            "ResourceSnapshotTemplateIdentifier": "OpportunitySummary",
        ]) }
        #expect(unlinked?.errorList.map(\.fieldName) == ["ResourceIdentifier"])
        let template = await serviceError { _ = try await call(sandbox, "CreateResourceSnapshotJob", [
            "EngagementIdentifier": .string(other), "ResourceType": "Opportunity", "ResourceIdentifier": .string(opportunity),
            "ResourceSnapshotTemplateIdentifier": "OpportunitySumary",
        ]) }
        #expect(template?.errorList.first?.message.contains("did you mean 'OpportunitySummary'?") == true, "\(String(describing: template))")
    }
}
