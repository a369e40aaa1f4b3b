import Core
import Foundation
import GRDB

extension SandboxService {
    /// Who the audit names for the writes of the sandbox's controls.
    static let controlActor = "sandbox-control"

    /// Sets a submitted opportunity's review status as AWS's review would, fills the summary
    /// GetAwsOpportunitySummary returns, and returns the opportunity as GetOpportunity now answers it.
    public func review(catalog: String, opportunity id: String, _ control: ReviewControl) async throws(ServiceError) -> JSONValue {
        try Self.checkControlCatalog(catalog)
        var issues: [ValidationExceptionError] = []
        if !ReviewControl.targets.contains(control.status) {
            issues.append(ValidationExceptionError(
                fieldName: "status", message: "\(ServiceError.excerpt(control.status)) is not a status a review sets; use \(ReviewControl.targets.joined(separator: ", "))"
                    + Suggestion.hint(for: control.status, among: ReviewControl.targets), code: .invalidEnumValue))
        }
        let stages = AwsOpportunityStage.allCases.map(\.rawValue)
        if let stage = control.awsStage, !stages.contains(stage) {
            issues.append(ValidationExceptionError(
                fieldName: "aws_stage", message: "\(ServiceError.excerpt(stage)) is not an AwsOpportunityStage\(Suggestion.hint(for: stage, among: stages))", code: .invalidEnumValue))
        }
        guard issues.isEmpty else { throw .requestValidation(issues) }
        let answer = try await perform { db in
            var row = try Self.opportunity(db, catalog: catalog, id: id)
            guard ReviewControl.reviewedStatuses.contains(row.reviewStatus) else {
                throw ServiceError.businessValidation(
                    "LifeCycle.ReviewStatus", "is \(row.reviewStatus); AWS reviews an opportunity once it is submitted (Submitted, In review or Action Required)",
                    code: .invalidResourceState)
            }
            let reason = control.reason ?? (control.status == "Rejected" ? "Rejected in engage's sandbox" : nil)
            row.record = OpportunityRecord.settingReview(row.record, [
                "ReviewStatus": .string(control.status), "ReviewComments": control.comments.map(JSONValue.string),
                "ReviewStatusReason": reason.map(JSONValue.string),
            ])
            row.awsSummary = Self.awsSummaryAfterReview(row, status: control.status, control: control)
            row.modifiedMicros = try self.nextModification(db, after: row.modifiedMicros)
            try self.save(db, row)
            try self.recordWrite(
                db, "Review", .updated, catalog: catalog, engagementId: row.id, clientToken: nil, at: row.modifiedMicros, resourceType: .opportunity,
                actor: Self.controlActor)
            return try self.opportunityAnswer(db, row)
        }
        return answer
    }

    /// AWS's side of an opportunity after a review set `status`: what the submission said, the AWS stage,
    /// the seller and the next steps, from `control` or plain defaults.
    static func awsSummaryAfterReview(_ row: OpportunityRow, status: String, control: ReviewControl) -> JSONValue.Members {
        var summary = row.awsSummary ?? [:]
        let stage = control.awsStage ?? (status == "Approved" ? "Qualified" : status == "Rejected" ? "Closed Incomplete" : "Not Started")
        var lifeCycle: JSONValue.Members = ["Stage": .string(stage)]
        if let next = control.nextSteps { lifeCycle["NextSteps"] = .string(next) }
        summary["LifeCycle"] = .object(lifeCycle)
        let email = control.sellerEmail ?? "aws-seller@example.com"
        summary["OpportunityTeam"] = [["Email": .string(email), "FirstName": "AWS", "LastName": "Seller", "BusinessTitle": "AWSAccountOwner"]]
        return summary
    }

    public func handle(_ validated: Validated<GetAwsOpportunitySummaryRequest>) async throws(ServiceError) -> GetAwsOpportunitySummaryResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db in
            let row = try self.ownOpportunity(db, catalog: request.catalog, id: request.relatedOpportunityIdentifier)
            guard let summary = row.awsSummary else {
                throw ServiceError.notFound("opportunity \(row.id) has no AWS summary yet: AWS's side exists once the opportunity is submitted (SubmitOpportunity)")
            }
            let record = JSONValue.object(row.record)
            let associations = try OpportunityAssociation.all(db, catalog: row.catalog, opportunityId: row.id)
            var related = JSONValue.Members()
            for type in OpportunityRecord.members(of: "AwsOpportunityRelatedEntities") {
                let ids = associations.filter { $0.entityType == type }.map { JSONValue.string($0.entityId) }
                if !ids.isEmpty { related[type] = .array(ids) }
            }
            var lifeCycle = summary["LifeCycle"]?.objectValue ?? [:]
            if let close = record["LifeCycle"]?["TargetCloseDate"] { lifeCycle["TargetCloseDate"] = close }
            var derived: JSONValue.Members = [
                "RelatedOpportunityId": .string(row.id), "Origin": .string(row.origin), "Catalog": .string(row.catalog),
                "LifeCycle": .object(lifeCycle), "RelatedEntityIds": .object(related),
            ]
            if let contacts = record["Customer"]?["Contacts"] { derived["Customer"] = ["Contacts": contacts] }
            if let spend = record["Project"]?["ExpectedCustomerSpend"] { derived["Project"] = ["ExpectedCustomerSpend": spend] }
            var answer = JSONValue.Members()
            for name in OpportunityRecord.members(of: "GetAwsOpportunitySummaryResponse") {
                if let value = derived[name] ?? summary[name] { answer[name] = value }
            }
            return JSONValue.object(answer).projected(onto: "GetAwsOpportunitySummaryResponse")
        }
        return try Self.decoded(answer)
    }

    /// The controls take the catalogs requests take.
    static func checkControlCatalog(_ catalog: String) throws(ServiceError) {
        guard catalogs.contains(catalog) else {
            throw .requestValidation([ValidationExceptionError(
                fieldName: "catalog", message: "\(ServiceError.excerpt(catalog)) is not a catalog; use AWS or Sandbox\(Suggestion.hint(for: catalog, among: catalogs))",
                code: .invalidValue)])
        }
    }
}
