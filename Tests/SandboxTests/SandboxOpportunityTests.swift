import Core
import CoreTestSupport
import Foundation
import Testing
@testable import Sandbox

/// A sandbox with the calls the opportunity tests make, as JSON documents the way engage call sends them.
private struct Opportunities {
    let sandbox: SandboxFixture

    init() throws { sandbox = try SandboxFixture() }

    @discardableResult
    func call(_ operation: String, _ request: JSONValue, catalog: String = "Sandbox") async throws -> JSONValue {
        try await RawOperation.call(operation, request: request, catalog: catalog, on: sandbox.service)
    }

    func error(_ operation: String, _ request: JSONValue, catalog: String = "Sandbox") async -> ServiceError? {
        await serviceError { try await call(operation, request, catalog: catalog) }
    }

    /// A complete opportunity, ready to submit once a solution is associated; members in the model's order,
    /// as the service answers them.
    static let complete: JSONValue = [
        "Customer": ["Account": [
            "Industry": "Software and Internet", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com",
            "Address": ["PostalCode": "10001", "StateOrRegion": "New York", "CountryCode": "US"],
        ]],
        "Project": [
            "Title": "Data platform", "CustomerBusinessProblem": "Reports take a week to build by hand",
            "ExpectedCustomerSpend": [["Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"]],
        ],
        "LifeCycle": ["Stage": "Prospect", "TargetCloseDate": "2099-06-30"],
    ]

    func create(_ body: JSONValue = complete, token: String = UUID().uuidString, catalog: String = "Sandbox") async throws -> String {
        var request = body.objectValue ?? [:]
        request["ClientToken"] = .string(token)
        return try #require(try await call("CreateOpportunity", .object(request), catalog: catalog)["Id"]?.stringValue)
    }

    func get(_ id: String, catalog: String = "Sandbox") async throws -> JSONValue {
        try await call("GetOpportunity", ["Identifier": .string(id)], catalog: catalog)
    }

    /// The update request that leaves the opportunity as it is, changed by `edit`.
    func update(_ id: String, catalog: String = "Sandbox", _ edit: (inout JSONValue.Members) -> Void) async throws -> JSONValue {
        var request = try await updateRequest(id, catalog: catalog)
        edit(&request)
        return try await call("UpdateOpportunity", .object(request), catalog: catalog)
    }

    func updateError(_ id: String, catalog: String = "Sandbox", _ edit: (inout JSONValue.Members) -> Void) async throws -> ServiceError? {
        var request = try await updateRequest(id, catalog: catalog)
        edit(&request)
        return await error("UpdateOpportunity", .object(request), catalog: catalog)
    }

    func updateRequest(_ id: String, catalog: String = "Sandbox") async throws -> JSONValue.Members {
        let read = try await get(id, catalog: catalog)
        var request = read.projected(onto: "UpdateOpportunityRequest").objectValue ?? [:]
        request["Identifier"] = .string(id)
        return request
    }

    func associate(_ id: String, _ type: String = "Solutions", _ entity: String = "S-1234567") async throws {
        try await call("AssociateOpportunity", ["OpportunityIdentifier": .string(id), "RelatedEntityType": .string(type), "RelatedEntityIdentifier": .string(entity)])
    }

    func submit(_ id: String) async throws {
        try await call("SubmitOpportunity", ["Identifier": .string(id), "InvolvementType": "Co-Sell"])
    }

    func auditCount() async throws -> Int { try await sandbox.service.auditEntries().count }
}

private func set(_ members: inout JSONValue.Members, _ path: [String], _ value: JSONValue?) {
    guard let first = path.first else { return }
    if path.count == 1 {
        members[first] = value
        return
    }
    var inner = members[first]?.objectValue ?? [:]
    set(&inner, Array(path.dropFirst()), value)
    members[first] = .object(inner)
}

@Suite(.tags(.unit)) struct SandboxOpportunityTests {
    @Test func aNewOpportunityIsPendingSubmissionWithItsIdArnAndDates() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create(token: "t-1")
        #expect(id.wholeMatch(of: /O[0-9]{10}/) != nil)
        let read = try await o.get(id)
        #expect(read["LifeCycle"]?["ReviewStatus"] == "Pending Submission")
        #expect(read["Arn"]?.stringValue == "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/\(id)")
        #expect(read["CreatedDate"] == read["LastModifiedDate"])
        #expect(read["Customer"] == Opportunities.complete["Customer"])
        // Catalogs are separate worlds; the same token and body replay, another body conflicts.
        #expect(await o.error("GetOpportunity", ["Identifier": .string(id)], catalog: "AWS")?.code == "ResourceNotFoundException")
        #expect(try await o.create(token: "t-1") == id)
        var other = Opportunities.complete.objectValue!
        other["PartnerOpportunityIdentifier"] = "crm-2"
        other["ClientToken"] = "t-1"
        #expect(await o.error("CreateOpportunity", .object(other))?.code == "ConflictException")
        #expect(try await o.auditCount() == 1)
        #expect(try await o.sandbox.service.auditEntries().map(\.event) == ["Opportunity Created"])
    }

    @Test func anUpdateReplacesTheRecordAndAStaleOneWritesNothing() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create()
        let before = try await o.get(id)
        let stale = try await o.updateRequest(id)
        let answer = try await o.update(id) { request in
            request["Project"] = nil
            request["PartnerOpportunityIdentifier"] = "crm-7"
        }
        let after = try await o.get(id)
        #expect(after["Project"] == nil)
        #expect(after["PartnerOpportunityIdentifier"] == "crm-7")
        #expect(answer["LastModifiedDate"] == after["LastModifiedDate"])
        #expect(try #require(after["LastModifiedDate"]?.stringValue) > before["LastModifiedDate"]!.stringValue!)
        let conflict = await o.error("UpdateOpportunity", .object(stale))
        #expect(conflict?.code == "ConflictException")
        #expect(try await o.get(id) == after)
    }

    @Test func theReviewLifecycleFollowsTheModelsDocumentation() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create()
        let noSolution = await o.error("SubmitOpportunity", ["Identifier": .string(id), "InvolvementType": "Co-Sell"])
        #expect(noSolution?.errorList.map(\.fieldName) == ["RelatedEntityIdentifiers.Solutions"])
        try await o.associate(id)
        try await o.submit(id)
        #expect(try await o.get(id)["LifeCycle"]?["ReviewStatus"] == "Submitted")
        // Submitted is read-only: each member changed is named.
        let readOnly = try await o.updateError(id) { set(&$0, ["Project", "Title"], "Other title") }
        #expect(readOnly?.reason == .businessValidationFailed)
        #expect(readOnly?.errorList.map(\.fieldName) == ["Project.Title"])
        #expect(readOnly?.errorList.first?.code == .invalidResourceState)
        // The partner cannot set the review status, except with AWS's lever in the Sandbox catalog.
        let approved = try await o.update(id) { request in
            set(&request, ["LifeCycle", "ReviewStatus"], "Action Required")
            set(&request, ["LifeCycle", "ReviewComments"], "Postal code is wrong")
        }
        #expect(approved["Id"]?.stringValue == id)
        let actionRequired = try await o.get(id)
        #expect(actionRequired["LifeCycle"]?["ReviewComments"] == "Postal code is wrong")
        // In Action Required only the listed members change, and the update re-enters validation.
        let notListed = try await o.updateError(id) { request in
            set(&request, ["Project", "Title"], "Other title")
            set(&request, ["Customer", "Account", "Address", "PostalCode"], "10002")
        }
        #expect(notListed?.errorList.map(\.fieldName) == ["Project.Title"])
        #expect(notListed?.errorList.first?.code == .actionNotPermitted)
        _ = try await o.update(id) { set(&$0, ["Customer", "Account", "Address", "PostalCode"], "10002") }
        #expect(try await o.get(id)["LifeCycle"]?["ReviewStatus"] == "Submitted")
        _ = try await o.update(id) { set(&$0, ["LifeCycle", "ReviewStatus"], "Approved") }
        // Approved: the locked members are refused, each by name; the others change.
        let locked = try await o.updateError(id) { request in
            set(&request, ["Project", "Title"], "Renamed")
            set(&request, ["Customer", "Account", "Industry"], "Government")
            set(&request, ["LifeCycle", "Stage"], "Qualified")
        }
        #expect(locked?.errorList.map(\.fieldName) == ["Customer.Account.Industry", "Project.Title"])
        _ = try await o.update(id) { set(&$0, ["LifeCycle", "Stage"], "Qualified") }
        #expect(try await o.get(id)["LifeCycle"]?["Stage"] == "Qualified")
        let summary = try await o.call("GetAwsOpportunitySummary", ["RelatedOpportunityIdentifier": .string(id)])
        #expect(summary["InvolvementType"] == "Co-Sell")
        #expect(summary["LifeCycle"]?["Stage"] == "Qualified")
        #expect(summary["RelatedEntityIds"]?["Solutions"] == ["S-1234567"])
    }

    @Test func theLeverIsTheSandboxCatalogsAndRejectedIsFinal() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create(catalog: "AWS")
        try await o.call("AssociateOpportunity", ["OpportunityIdentifier": .string(id), "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-1234567"], catalog: "AWS")
        try await o.call("SubmitOpportunity", ["Identifier": .string(id), "InvolvementType": "Co-Sell"], catalog: "AWS")
        let refused = try await o.updateError(id, catalog: "AWS") { set(&$0, ["LifeCycle", "ReviewStatus"], "Approved") }
        #expect(refused?.errorList.map(\.fieldName) == ["LifeCycle.ReviewStatus"])
        _ = try await o.sandbox.service.review(catalog: "AWS", opportunity: id, ReviewControl(status: "Rejected"))
        let read = try await o.get(id, catalog: "AWS")
        #expect(read["LifeCycle"]?["ReviewStatus"] == "Rejected")
        #expect(read["LifeCycle"]?["ReviewStatusReason"] != nil)
        let final = try await o.updateError(id, catalog: "AWS") { set(&$0, ["PartnerOpportunityIdentifier"], "crm-9") }
        #expect(final?.errorList.first?.message.contains("Rejected") == true)
        let entries = try await o.sandbox.service.auditEntries()
        #expect(entries.last?.actor == "sandbox-control")
        #expect(entries.last?.operation == "Review")
    }

    @Test(arguments: [
        (["LifeCycle", "TargetCloseDate"], "2001-01-01" as JSONValue, "LifeCycle.TargetCloseDate"),
        (["NationalSecurity"], "Yes", "NationalSecurity"),
        (["Marketing"], ["Source": "None", "Channels": ["Email"]], "Marketing.Channels"),
        (["Project", "ExpectedCustomerSpend"], [["Amount": "1", "CurrencyCode": "GBP", "Frequency": "Monthly", "TargetCompany": "AWS"]], "Project.ExpectedCustomerSpend[0].CurrencyCode"),
        (["Project", "ExpectedCustomerSpend"], [["Amount": "1", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "Acme"]], "Project.ExpectedCustomerSpend[0].TargetCompany"),
        (["Customer", "Account", "Address", "StateOrRegion"], "NY", "Customer.Account.Address.StateOrRegion"),
        (["LifeCycle", "Stage"], "Closed Lost", "LifeCycle.ClosedLostReason"),
        (["LifeCycle", "ReviewStatus"], "Approved", "LifeCycle.ReviewStatus"),
        (["Origin"], "AWS Referral", "Origin"),
    ] as [([String], JSONValue, String)])
    func aDocumentedRuleRefusesTheCreateByMemberAndWritesNothing(path: [String], value: JSONValue, field: String) async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        var body = Opportunities.complete.objectValue!
        set(&body, path, value)
        body["ClientToken"] = "t-rule"
        let error = await o.error("CreateOpportunity", .object(body), catalog: "AWS")
        #expect(error?.reason == .businessValidationFailed, "\(String(describing: error))")
        #expect(error?.errorList.map(\.fieldName) == [field])
        #expect(try await o.call("ListOpportunities", [:], catalog: "AWS")["OpportunitySummaries"] == [])
        #expect(try await o.auditCount() == 0)
    }

    @Test func associationsAreCountedOnceEachAndDisassociatingWhatIsNotThereIsAnError() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create()
        try await o.associate(id, "AwsMarketplaceOffers", "arn:aws:aws-marketplace:us-east-1:999999999999:AWSMarketplace/Offer/offer-1111111111111")
        let second = await serviceError {
            try await o.associate(id, "AwsMarketplaceOffers", "arn:aws:aws-marketplace:us-east-1:999999999999:AWSMarketplace/Offer/offer-2222222222222")
        }
        #expect(second?.errorList.first?.code == .tooManyValues)
        try await o.associate(id)
        #expect(await serviceError { try await o.associate(id) }?.errorList.first?.code == .duplicateKeyValue)
        #expect(await serviceError { try await o.associate(id, "Solutions", "S-2000003") }?.errorList.first?.code == .invalidResourceState)
        #expect(await serviceError { try await o.associate(id, "Solutions", "S-9") }?.code == "ResourceNotFoundException")
        let missing = await o.error("DisassociateOpportunity", ["OpportunityIdentifier": .string(id), "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-2000001"])
        #expect(missing?.code == "ResourceNotFoundException")
        try await o.call("DisassociateOpportunity", ["OpportunityIdentifier": .string(id), "RelatedEntityType": "Solutions", "RelatedEntityIdentifier": "S-1234567"])
        #expect(try await o.get(id)["RelatedEntityIdentifiers"]?["Solutions"] == nil)
    }

    @Test func anAssigneeMustBeAUserTheSandboxKnows() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create()
        func assign(_ email: String) async -> ServiceError? {
            await o.error("AssignOpportunity", ["Identifier": .string(id), "Assignee": [
                "Email": .string(email), "FirstName": "Wei", "LastName": "Chen", "BusinessTitle": "OpportunityOwner",
            ]])
        }
        #expect(await assign("nobody@example.com")?.errorList.map(\.fieldName) == ["Assignee.Email"])
        #expect(await assign("wei.chen@example.com") == nil)
        #expect(try await o.get(id)["OpportunityTeam"]?.arrayValue?.map { $0["Email"] } == ["wei.chen@example.com"])
        try await o.sandbox.service.addUser(SandboxUser(email: "new.rep@example.com", firstName: "New", lastName: "Rep"))
        #expect(await assign("new.rep@example.com") == nil)
    }

    @Test func aQualifiedLeadBecomesOneOpportunityLinkedToItsEngagement() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let engagement = try await o.sandbox.engagement().id!
        let context = try await o.sandbox.leadContext(on: engagement).contextId!
        let start: JSONValue = ["Identifier": .string(engagement), "ContextIdentifier": .string(context), "ClientToken": "task-1"]
        let task = try await o.call("StartOpportunityFromEngagementTask", start)
        #expect(task["TaskStatus"] == "COMPLETE")
        let opportunity = try #require(task["OpportunityId"]?.stringValue)
        #expect(try await o.call("StartOpportunityFromEngagementTask", start) == task)
        let read = try await o.get(opportunity)
        #expect(read["Customer"]?["Account"]?["CompanyName"] != nil)
        #expect(read["LifeCycle"]?["ReviewStatus"] == "Pending Submission")
        var again = start.objectValue!
        again["ClientToken"] = "task-2"
        let repeated = try await o.call("StartOpportunityFromEngagementTask", .object(again))
        #expect(repeated["TaskStatus"] == "FAILED")
        #expect(repeated["ReasonCode"] == "OpportunityConflict")
        let associations = try await o.call("ListEngagementResourceAssociations", ["EngagementIdentifier": .string(engagement)])
        #expect(associations["EngagementResourceAssociationSummaries"]?.arrayValue?.map { $0["ResourceId"] } == [.string(opportunity)])
        let tasks = try await o.call("ListOpportunityFromEngagementTasks", ["EngagementIdentifier": [.string(engagement)]])
        #expect(tasks["TaskSummaries"]?.arrayValue?.map { $0["TaskStatus"] } == ["COMPLETE", "FAILED"])
    }

    @Test func anEngagementFromAnOpportunitySubmitsItAndListsIt() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        let id = try await o.create()
        let failed = try await o.call("StartEngagementFromOpportunityTask", ["Identifier": .string(id), "ClientToken": "e-1", "AwsSubmission": ["InvolvementType": "Co-Sell"]])
        #expect(failed["TaskStatus"] == "FAILED")
        #expect(failed["ReasonCode"] == "OpportunitySubmissionFailed")
        try await o.associate(id)
        let task = try await o.call("StartEngagementFromOpportunityTask", ["Identifier": .string(id), "ClientToken": "e-2", "AwsSubmission": ["InvolvementType": "Co-Sell"]])
        #expect(task["TaskStatus"] == "COMPLETE")
        let engagement = try #require(task["EngagementId"]?.stringValue)
        #expect(try await o.get(id)["LifeCycle"]?["ReviewStatus"] == "Submitted")
        let read = try await o.call("GetEngagement", ["Identifier": .string(engagement)])
        #expect(read["Title"] == "Data platform")
        #expect(read["Contexts"]?.arrayValue?.first?["Type"] == "CustomerProject")
        let members = try await o.call("ListEngagementMembers", ["Identifier": .string(engagement)])
        #expect(members["EngagementMemberList"]?.arrayValue?.count == 1)
    }

    @Test func listingFiltersSortsAndPagesWithoutRepeats() async throws {
        let o = try Opportunities()
        defer { o.sandbox.remove() }
        var ids: [String] = []
        for company in ["Zeta", "Alpha", "Mid"] {
            var body = Opportunities.complete.objectValue!
            set(&body, ["Customer", "Account", "CompanyName"], .string(company))
            ids.append(try await o.create(.object(body)))
        }
        try await o.associate(ids[0])
        try await o.submit(ids[0])
        let submitted = try await o.call("ListOpportunities", ["LifeCycleReviewStatus": ["Submitted"]])
        #expect(submitted["OpportunitySummaries"]?.arrayValue?.map { $0["Id"] } == [.string(ids[0])])
        let byName = try await o.call("ListOpportunities", ["Sort": ["SortBy": "CustomerCompanyName", "SortOrder": "ASCENDING"]])
        #expect(byName["OpportunitySummaries"]?.arrayValue?.map { $0["Customer"]?["Account"]?["CompanyName"] } == ["Alpha", "Mid", "Zeta"])
        var seen: [JSONValue] = []
        var token: JSONValue? = nil
        repeat {
            var request: JSONValue.Members = ["MaxResults": 1]
            if let token { request["NextToken"] = token }
            let page = try await o.call("ListOpportunities", .object(request))
            seen += page["OpportunitySummaries"]?.arrayValue?.compactMap { $0["Id"] } ?? []
            token = page["NextToken"]
            // A write between pages does not repeat or skip what the creation order puts before it.
            if seen.count == 1 { _ = try await o.update(ids[2]) { set(&$0, ["PartnerOpportunityIdentifier"], "moved") } }
        } while token != nil
        #expect(seen == ids.map { .string($0) })
        #expect(await o.error("ListOpportunities", ["NextToken": "bogus"])?.errorList.map(\.fieldName) == ["NextToken"])
    }
}
