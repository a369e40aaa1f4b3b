import Core
import CoreTestSupport
import Foundation
import Testing
@testable import Sandbox

/// Engagement invitations between two partners on one sandbox store: invite, list on each side, accept
/// through the task (the receiver's opportunity), reject, and expiry read from the sandbox's clock.
@Suite(.tags(.unit)) struct SandboxInvitationTests {
    static let invitation: JSONValue = [
        "Message": "Join us on Acme", "Receiver": ["Account": ["AwsAccountId": "bob"]],
        "Payload": ["OpportunityInvitation": [
            "ReceiverResponsibilities": ["Co-Sell Facilitator"],
            "Customer": ["Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com", "CountryCode": "US"],
            "Project": ["Title": "Lakehouse", "BusinessProblem": "Nightly reports take eleven hours to build", "TargetCompletionDate": "2099-01-31",
                        "ExpectedCustomerSpend": [["Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"]]],
        ]],
    ]

    func call(_ sandbox: SandboxFixture, _ operation: String, _ request: JSONValue) async throws -> JSONValue {
        try await RawOperation.call(operation, request: request, catalog: "Sandbox", on: sandbox.service)
    }

    func invite(_ alice: SandboxFixture, _ engagement: String, to receiver: String = "bob") async throws -> String {
        var invitation = Self.invitation.objectValue!
        invitation["Receiver"] = ["Account": ["AwsAccountId": .string(receiver)]]
        let created = try await call(alice, "CreateEngagementInvitation", ["EngagementIdentifier": .string(engagement), "Invitation": .object(invitation)])
        return try #require(created["Id"]?.stringValue)
    }

    @Test func theReceiverListsAcceptsAndGetsItsOwnOpportunity() async throws {
        let store = try SandboxFixture()
        defer { store.remove() }
        let (alice, bob, carol) = (store.calling(as: "alice"), store.calling(as: "bob"), store.calling(as: "carol"))
        let engagement = try #require(try await alice.engagement().id)
        let id = try await invite(alice, engagement)
        #expect(id.wholeMatch(of: /engi-[0-9a-z]{13}/) != nil)
        let received = try await call(bob, "ListEngagementInvitations", ["ParticipantType": "RECEIVER"])
        #expect(received["EngagementInvitationSummaries"]?.arrayValue?.map { $0["Status"] } == ["PENDING"])
        #expect(received["EngagementInvitationSummaries"]?.arrayValue?.first?["SenderAwsAccountId"] == "alice")
        #expect(try await call(alice, "ListEngagementInvitations", ["ParticipantType": "SENDER"])["EngagementInvitationSummaries"]?.arrayValue?.count == 1)
        #expect(try await call(alice, "ListEngagementInvitations", ["ParticipantType": "RECEIVER"])["EngagementInvitationSummaries"] == [])
        #expect(await serviceError { _ = try await call(carol, "GetEngagementInvitation", ["Identifier": .string(id)]) }?.code == "AccessDeniedException")
        #expect(await serviceError { _ = try await call(alice, "AcceptEngagementInvitation", ["Identifier": .string(id)]) }?.code == "AccessDeniedException")

        let task = try await call(bob, "StartEngagementByAcceptingInvitationTask", ["Identifier": .string(id), "ClientToken": "accept-1"])
        #expect(task["TaskStatus"] == "COMPLETE")
        let opportunity = try await call(bob, "GetOpportunity", ["Identifier": task["OpportunityId"] ?? .null])
        #expect(opportunity["Customer"]?["Account"]?["CompanyName"] == "Acme")
        #expect(opportunity["Project"]?["Title"] == "Lakehouse")
        #expect(opportunity["LifeCycle"]?["TargetCloseDate"] == "2099-01-31")
        #expect(try await call(bob, "GetEngagementInvitation", ["Identifier": .string(id)])["Status"] == "ACCEPTED")
        let members = try await call(alice, "ListEngagementMembers", ["Identifier": .string(engagement)])
        #expect(members["EngagementMemberList"]?.arrayValue?.map { $0["AccountId"] } == ["alice", "bob"])
        #expect(try await call(alice, "GetEngagement", ["Identifier": .string(engagement)])["MemberCount"] == 2)
        let associations = try await call(bob, "ListEngagementResourceAssociations", ["EngagementIdentifier": .string(engagement)])
        #expect(associations["EngagementResourceAssociationSummaries"]?.arrayValue?.map { $0["ResourceId"] } == [task["OpportunityId"] ?? .null])
        // The same token replays; another finds the invitation answered.
        #expect(try await call(bob, "StartEngagementByAcceptingInvitationTask", ["Identifier": .string(id), "ClientToken": "accept-1"]) == task)
        let again = try await call(bob, "StartEngagementByAcceptingInvitationTask", ["Identifier": .string(id), "ClientToken": "accept-2"])
        #expect(again["TaskStatus"] == "FAILED")
        #expect(again["ReasonCode"] == "InvitationValidationFailed")
        let tasks = try await call(bob, "ListEngagementByAcceptingInvitationTasks", ["EngagementInvitationIdentifier": [.string(id)]])
        #expect(tasks["TaskSummaries"]?.arrayValue?.map { $0["TaskStatus"] } == ["COMPLETE", "FAILED"])
    }

    @Test func anInvitationExpiresFifteenDaysOnByTheSandboxsClockAndARejectionKeepsItsReason() async throws {
        let store = try SandboxFixture()
        defer { store.remove() }
        let (alice, bob, carol) = (store.calling(as: "alice"), store.calling(as: "bob"), store.calling(as: "carol"))
        let engagement = try #require(try await alice.engagement().id)
        let toBob = try await invite(alice, engagement)
        let toCarol = try await invite(alice, engagement, to: "carol")
        try await call(carol, "RejectEngagementInvitation", ["Identifier": .string(toCarol), "RejectionReason": "Not our market"])
        let rejected = try await call(carol, "GetEngagementInvitation", ["Identifier": .string(toCarol)])
        #expect(rejected["Status"] == "REJECTED")
        #expect(rejected["RejectionReason"] == "Not our market")
        _ = try await store.service.advanceClock(byMicroseconds: 16 * 86_400_000_000)
        let expired = try await call(bob, "ListEngagementInvitations", ["ParticipantType": "RECEIVER", "Status": ["EXPIRED"]])
        #expect(expired["EngagementInvitationSummaries"]?.arrayValue?.map { $0["Id"] } == [.string(toBob)])
        // Each write's event, as AWS would send it to EventBridge; the expiry dated when it happened.
        let events = try await store.service.auditEntries().compactMap { entry in entry.event.map { "\($0) \(entry.engagementId)" } }
        #expect(events == [
            "Engagement Invitation Created \(toBob)", "Engagement Invitation Created \(toCarol)", "Engagement Invitation Rejected \(toCarol)",
            "Engagement Invitation Expired \(toBob)",
        ])
        let expiry = try await call(bob, "GetEngagementInvitation", ["Identifier": .string(toBob)])["ExpirationDate"]
        #expect(try await store.service.auditEntries().first { $0.event == "Engagement Invitation Expired" }?.time.text == expiry?.stringValue)
        let late = await serviceError { _ = try await call(bob, "AcceptEngagementInvitation", ["Identifier": .string(toBob)]) }
        #expect(late?.errorList.first?.message.contains("is EXPIRED") == true, "\(String(describing: late))")
        #expect(try await call(alice, "GetEngagement", ["Identifier": .string(engagement)])["MemberCount"] == 1)
        #expect(await serviceError { _ = try await call(bob, "CreateEngagementInvitation", [
            "EngagementIdentifier": .string(engagement), "Invitation": Self.invitation,
        ]) }?.errorList.map(\.fieldName) == ["Invitation.Receiver.Account.AwsAccountId"])
    }

    /// AWS's lever for its Sandbox catalog: an AWS referral comes with AWS's invitation to the caller, and
    /// accepting it makes that opportunity the caller's rather than a second one.
    @Test func anAWSReferralInvitesTheCallerAndAcceptingKeepsOneOpportunity() async throws {
        let store = try SandboxFixture()
        defer { store.remove() }
        let alice = store.calling(as: "alice")
        var referral = Self.complete
        referral["Origin"] = "AWS Referral"
        let created = try await call(alice, "CreateOpportunity", .object(referral))
        let pending = try await call(alice, "ListEngagementInvitations", ["ParticipantType": "RECEIVER"])
        let invitation = try #require(pending["EngagementInvitationSummaries"]?.arrayValue?.first)
        #expect(invitation["SenderAwsAccountId"] == "AWS")
        #expect(invitation["SenderCompanyName"] == "Amazon Web Services")
        let task = try await call(alice, "StartEngagementByAcceptingInvitationTask", ["Identifier": invitation["Id"] ?? .null])
        #expect(task["OpportunityId"] == created["Id"])
        #expect(try await call(alice, "ListOpportunities", [:])["OpportunitySummaries"]?.arrayValue?.count == 1)
        // A referral AWS's invitation cannot carry is refused, naming what it lacks, and writes nothing.
        let before = try await store.service.auditEntries().count
        let thin = await serviceError { _ = try await call(alice, "CreateOpportunity", [
            "Origin": "AWS Referral", "Customer": ["Account": ["CompanyName": "Thin", "Industry": "Other", "OtherIndustry": "X"]],
        ]) }
        #expect(thin?.errorList.map(\.fieldName).contains("Project.Title") == true, "\(String(describing: thin))")
        #expect(try await store.service.auditEntries().count == before)
    }

    /// Through `engage serve` each partner sees only the opportunities it made; engage's own commands on the
    /// store (the sandbox's account) see every one.
    @Test func aPartnerSeesOnlyItsOwnOpportunities() async throws {
        let store = try SandboxFixture()
        defer { store.remove() }
        let (alice, bob) = (store.calling(as: "alice"), store.calling(as: "bob"))
        let id = try #require(try await call(alice, "CreateOpportunity", .object(Self.complete))["Id"])
        #expect(await serviceError { _ = try await call(bob, "GetOpportunity", ["Identifier": id]) }?.code == "ResourceNotFoundException")
        #expect(try await call(bob, "ListOpportunities", [:])["OpportunitySummaries"] == [])
        #expect(try await call(alice, "ListOpportunities", [:])["OpportunitySummaries"]?.arrayValue?.count == 1)
        #expect(try await call(store, "GetOpportunity", ["Identifier": id])["Id"] == id)
    }

    /// A complete opportunity, as an invitation's payload needs it.
    static let complete: JSONValue.Members = [
        "Customer": ["Account": [
            "Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com", "Address": ["CountryCode": "US"],
        ]],
        "Project": ["Title": "Lakehouse", "CustomerBusinessProblem": "Nightly reports take eleven hours to build",
                    "ExpectedCustomerSpend": [["Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"]]],
        "LifeCycle": ["TargetCloseDate": "2099-01-31"],
    ]
}
