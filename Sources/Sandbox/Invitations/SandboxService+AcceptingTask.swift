import Core
import Foundation
import GRDB

/// StartEngagementByAcceptingInvitationTask and its List: the receiver accepts, and gets an opportunity of
/// its own made from the invitation's payload; answered at once, as AWS's Sandbox answers it.
extension SandboxService {
    public func handle(_ validated: Validated<StartEngagementByAcceptingInvitationTaskRequest>) async throws(ServiceError)
        -> StartEngagementByAcceptingInvitationTaskResponse
    {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let operation = "StartEngagementByAcceptingInvitationTask"
        let id = try invitationId(from: request.identifier, catalog: request.catalog)
        let answer = try await perform { db -> JSONValue in
            if let replay: StartEngagementByAcceptingInvitationTaskResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay.wire
            }
            let now = try self.now(db)
            var answer = try self.newTask(db, catalog: request.catalog, kind: "engagement-by-accepting-invitation-task", at: now)
            answer["EngagementInvitationId"] = .string(id)
            var row: InvitationRow
            do {
                row = try self.pendingInvitation(db, catalog: request.catalog, id: id, answering: "accept")
            } catch let refusal as ServiceError where refusal.code != "InternalServerException" {
                // The model's reason codes: who may not, and what may not be accepted any more.
                answer["TaskStatus"] = "FAILED"
                answer["Message"] = .string(refusal.message)
                answer["ReasonCode"] = refusal.code == "AccessDeniedException" ? "InvitationAccessDenied" : "InvitationValidationFailed"
                return try self.finish(
                    db, task: answer, startedAt: now, as: StartEngagementByAcceptingInvitationTaskResponse.self, operation: operation,
                    catalog: request.catalog, token: request.clientToken, request: wire)
            }
            try self.accept(db, &row, operation: operation)
            // An AWS referral the receiver holds already (CreateOpportunity with Origin AWS Referral) is its
            // opportunity from the invitation; otherwise one is made from the payload.
            let held = try String.fetchAll(
                db, sql: "SELECT resourceId FROM engagementResource WHERE catalog = ? AND engagementId = ? AND resourceType = 'Opportunity'",
                arguments: [row.catalog, row.engagementId]
            ).compactMap { try OpportunityRow.find(db, catalog: row.catalog, id: $0) }.first { $0.createdBy == self.caller }
            let opportunityId: String
            if let held {
                opportunityId = held.id
            } else {
                var opportunity = OpportunityRow(
                    catalog: row.catalog, id: try Self.newOpportunityId(db, catalog: row.catalog), createdMicros: now, createdBy: self.caller,
                    origin: OpportunityOrigin.awsReferral.rawValue,
                    record: OpportunityRecord.settingReview(Self.record(fromInvitation: row.invitation["Payload"] ?? .null), ["ReviewStatus": "Pending Submission"]))
                opportunity.engagementId = row.engagementId
                try opportunity.insert(db)
                try self.tagCreated(db, kind: "opportunity", catalog: row.catalog, id: opportunity.id, wire: wire, at: now)
                try self.recordWrite(
                    db, operation, .created, catalog: row.catalog, engagementId: opportunity.id, clientToken: request.clientToken, at: now, resourceType: .opportunity)
                try self.link(db, catalog: row.catalog, engagement: row.engagementId, opportunity: opportunity.id, at: now)
                opportunityId = opportunity.id
            }
            answer["TaskStatus"] = "COMPLETE"
            answer["Message"] = .string("invitation \(id) accepted; opportunity \(opportunityId) is yours from it")
            answer["OpportunityId"] = .string(opportunityId)
            return try self.finish(
                db, task: answer, startedAt: now, as: StartEngagementByAcceptingInvitationTaskResponse.self, operation: operation, catalog: request.catalog,
                token: request.clientToken, request: wire)
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<ListEngagementByAcceptingInvitationTasksRequest>) async throws(ServiceError)
        -> ListEngagementByAcceptingInvitationTasksResponse
    {
        let request = validated.request
        try Self.checkCatalog(validated)
        let filters: [(String, [String]?)] = [
            ("TaskStatus", request.taskStatus?.map(\.rawValue)), ("TaskId", request.taskIdentifier), ("OpportunityId", request.opportunityIdentifier),
            ("EngagementInvitationId", request.engagementInvitationIdentifier),
        ]
        return try Self.decoded(try await taskPage(
            "StartEngagementByAcceptingInvitationTask", catalog: request.catalog, filters: filters, descending: request.sort?.sortOrder == .descending,
            token: request.nextToken, size: request.maxResults ?? 20, summary: "ListEngagementByAcceptingInvitationTaskSummary"))
    }

    /// The receiver's opportunity from an invitation's payload: the customer as the account, and for an
    /// opportunity invitation the project (title, business problem, expected spend) and its target date as
    /// the target close date; a member the opportunity's shapes do not take is left out.
    static func record(fromInvitation payload: JSONValue) -> JSONValue.Members {
        let invitation = payload["OpportunityInvitation"] ?? payload["LeadInvitation"]
        let customer = invitation?["Customer"]
        var account: JSONValue.Members = [:]
        for name in ["Industry", "CompanyName", "WebsiteUrl"] { if let value = customer?[name] { account[name] = value } }
        if let country = customer?["CountryCode"] { account["Address"] = ["CountryCode": country] }
        var record: JSONValue.Members = [:]
        if ModelValidator.validate(.object(account), as: "Account").isEmpty { record["Customer"] = ["Account": .object(account)] }
        let project = invitation?["Project"]
        var projectMembers: JSONValue.Members = [:]
        if let title = project?["Title"]?.stringValue { projectMembers["Title"] = .string(String(title.prefix(255))) }
        if let problem = project?["BusinessProblem"] { projectMembers["CustomerBusinessProblem"] = problem }
        if let spend = project?["ExpectedCustomerSpend"], spend != .array([]) { projectMembers["ExpectedCustomerSpend"] = spend }
        if !projectMembers.isEmpty, ModelValidator.validate(.object(projectMembers), as: "Project").isEmpty { record["Project"] = .object(projectMembers) }
        if let date = project?["TargetCompletionDate"] { record["LifeCycle"] = ["TargetCloseDate": date] }
        return record.reordered()
    }
}
