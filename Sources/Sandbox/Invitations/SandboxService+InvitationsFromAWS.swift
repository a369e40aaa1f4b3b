import Core
import Foundation
import GRDB

/// Invitations from AWS: what AWS's own Sandbox does when CreateOpportunity says `Origin = AWS Referral` in
/// the Sandbox catalog, and what `engage sandbox invite` (Lua's `sandbox.invite`) does on request. Either way
/// AWS owns an engagement holding its opportunity and invites a partner, whose accepting task gives the
/// partner an opportunity of its own.
extension SandboxService {
    /// AWS's engagement for `opportunity` (an opportunity AWS holds) and its pending invitation to `receiver`,
    /// the opportunity as the payload; returns the invitation's id. An opportunity that lacks what the payload
    /// needs is refused, naming each member.
    func inviteFromAWS(_ db: Database, opportunity: OpportunityRow, to receiver: String, at now: Int64, message: String) throws -> String {
        let payload = Self.invitationPayload(of: opportunity.record)
        let problems = ModelValidator.validate(payload, as: "Payload")
        guard problems.isEmpty else {
            // What the invitation lacks, named by the opportunity's members where one of them is missing.
            let record = JSONValue.object(opportunity.record)
            let missing = OpportunityRules.requiredToSubmit.filter { path in
                path.split(separator: ".").reduce(Optional(record)) { value, member in value?[String(member)] } == nil
            }
            throw ServiceError.businessRules(missing.isEmpty
                ? [ValidationExceptionError(fieldName: "", message: "AWS's invitation cannot carry this opportunity: \(problems.map(\.description).joined(separator: "; "))", code: .invalidValue)]
                : missing.map { ValidationExceptionError(fieldName: $0, message: "AWS's invitation to the partner carries it; give it", code: .requiredFieldMissing) })
        }
        let record = JSONValue.object(opportunity.record)
        let title = record["Project"]?["Title"]?.stringValue ?? "AWS referral"
        let engagementId = try Self.newEngagementId(db, catalog: opportunity.catalog)
        let aws = SandboxService(store: store, region: region, audit: audit, caller: Self.awsAccount)
        try aws.insertEngagement(
            db, catalog: opportunity.catalog, id: engagementId, title: String(title.prefix(40)),
            description: String((record["Project"]?["CustomerBusinessProblem"]?.stringValue ?? "").prefix(255)), contexts: [],
            operation: "CreateOpportunity", clientToken: nil, at: now)
        try aws.link(db, catalog: opportunity.catalog, engagement: engagementId, opportunity: opportunity.id, at: now)
        let invitation = InvitationRow(
            catalog: opportunity.catalog, id: try Self.newInvitationId(db, catalog: opportunity.catalog), engagementId: engagementId, sender: Self.awsAccount,
            receiver: receiver, invitation: ["Message": .string(message), "Receiver": ["Account": ["AwsAccountId": .string(receiver)]], "Payload": payload],
            invitedMicros: now)
        try invitation.insert(db)
        try recordWrite(
            db, "CreateEngagementInvitation", .created, catalog: opportunity.catalog, engagementId: invitation.id, clientToken: nil, at: now,
            resourceType: .invitation, actor: Self.controlActor, event: SandboxEvents.invitationCreated)
        return invitation.id
    }

    /// An opportunity record as an invitation's `OpportunityInvitation` payload.
    static func invitationPayload(of record: JSONValue.Members) -> JSONValue {
        let record = JSONValue.object(record)
        let account = record["Customer"]?["Account"]
        return ["OpportunityInvitation": [
            "ReceiverResponsibilities": ["Co-Sell Facilitator"],
            "Customer": [
                "Industry": account?["Industry"] ?? .null, "CompanyName": account?["CompanyName"] ?? .null,
                "WebsiteUrl": account?["WebsiteUrl"] ?? .null, "CountryCode": account?["Address"]?["CountryCode"] ?? .null,
            ],
            "Project": [
                "Title": record["Project"]?["Title"] ?? .null, "BusinessProblem": record["Project"]?["CustomerBusinessProblem"] ?? .null,
                "TargetCompletionDate": record["LifeCycle"]?["TargetCloseDate"] ?? .null,
                "ExpectedCustomerSpend": record["Project"]?["ExpectedCustomerSpend"] ?? [],
            ],
        ]]
    }

    /// An opportunity AWS could refer: complete, closing in 90 days from `now`.
    static func exampleReferral(now: Int64) -> JSONValue {
        [
            "Customer": ["Account": [
                "Industry": "Retail", "CompanyName": "Example Retail Co", "WebsiteUrl": "https://retail.example.com",
                "Address": ["CountryCode": "US", "PostalCode": "98101", "StateOrRegion": "Washington"],
            ]],
            "Project": [
                "Title": "Store analytics on AWS", "CustomerBusinessProblem": "Store managers wait a day for yesterday's sales figures",
                "ExpectedCustomerSpend": [["Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"]],
            ],
            "LifeCycle": ["Stage": "Prospect", "TargetCloseDate": .string(day(now + 90 * 86_400_000_000))],
        ]
    }

    /// `engage sandbox invite`: AWS creates an opportunity from `request` (a CreateOpportunityRequest's
    /// members, wire form; `exampleReferral` when nil) and invites `receiver` (the caller when nil); returns
    /// the invitation as GetEngagementInvitation answers it.
    public func inviteFromAWS(catalog: String, opportunity request: JSONValue?, to receiver: String?) async throws(ServiceError) -> JSONValue {
        try Self.checkControlCatalog(catalog)
        var members = (request ?? Self.exampleReferral(now: SandboxTime.nowMicroseconds())).objectValue ?? [:]
        members["Catalog"] = .string(catalog)
        members["ClientToken"] = .string(UUID().uuidString)
        members["Origin"] = .string(OpportunityOrigin.awsReferral.rawValue)
        let issues = ModelValidator.validate(.object(members), as: "CreateOpportunityRequest")
        guard issues.isEmpty else { throw .requestValidation(issues) }
        let invited = receiver ?? caller
        let given = OpportunityRecord.record(from: JSONValue.object(members).timestampsInUTC(as: "CreateOpportunityRequest"), keeping: Set(OpportunityRecord.stored))
        return try await perform { db in
            let now = try self.now(db)
            let ruleIssues = OpportunityRules.memberIssues(given, previous: nil, today: Self.day(now))
            guard ruleIssues.isEmpty else { throw ServiceError.businessRules(ruleIssues) }
            let row = OpportunityRow(
                catalog: catalog, id: try Self.newOpportunityId(db, catalog: catalog), createdMicros: now, createdBy: Self.awsAccount,
                origin: OpportunityOrigin.awsReferral.rawValue, record: OpportunityRecord.settingReview(given, ["ReviewStatus": "Pending Submission"]))
            var inserted = row
            try inserted.insert(db)
            try self.recordWrite(
                db, "CreateOpportunity", .created, catalog: catalog, engagementId: row.id, clientToken: nil, at: now, resourceType: .opportunity,
                actor: Self.controlActor)
            let id = try self.inviteFromAWS(db, opportunity: row, to: invited, at: now, message: "AWS invites you to co-sell with \(row.id)")
            let asReceiver = SandboxService(store: self.store, region: self.region, audit: self.audit, caller: invited)
            return try asReceiver.invitationAnswer(db, try asReceiver.invitation(db, catalog: catalog, id: id), now: now)
        }
    }
}
