import Core
import Foundation
import GRDB

/// AssociateOpportunity, DisassociateOpportunity, SubmitOpportunity and AssignOpportunity on the sandbox.
/// Each is a write to the opportunity: it moves LastModifiedDate and is audited.
extension SandboxService {
    public func handle(_ validated: Validated<AssociateOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let type = request.relatedEntityType.rawValue
        let entity = request.relatedEntityIdentifier
        try await perform { db in
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.opportunityIdentifier)
            try Self.checkEditable(row, changing: "RelatedEntityIdentifiers.\(type)")
            if type == "Solutions" {
                guard let solution = try Self.solutions(db).first(where: { $0.id == entity }) else {
                    throw ServiceError.notFound("no solution \(ServiceError.excerpt(entity)) in catalog \(request.catalog); ListSolutions names them, `engage sandbox solutions add` adds one")
                }
                guard solution.status == .active else {
                    throw ServiceError.businessValidation(
                        "RelatedEntityIdentifier", "solution \(entity) is \(solution.status.rawValue); only an Active solution can be associated", code: .invalidResourceState)
                }
            }
            let existing = try OpportunityAssociation.all(db, catalog: row.catalog, opportunityId: row.id).filter { $0.entityType == type }
            guard !existing.contains(where: { $0.entityId == entity }) else {
                throw ServiceError.businessValidation(
                    "RelatedEntityIdentifier", "\(entity) is already associated with opportunity \(row.id) as one of its \(type)", code: .duplicateKeyValue)
            }
            let limit = OpportunityRules.associationLimits[type] ?? 1
            guard existing.count < limit else {
                throw ServiceError.businessValidation(
                    "RelatedEntityType", "opportunity \(row.id) already has \(existing.count) \(type), the most it may have (\(limit))", code: .tooManyValues)
            }
            row.modifiedMicros = try self.nextModification(db, after: row.modifiedMicros)
            try db.cachedStatement(sql: "INSERT INTO opportunityAssociation (catalog, opportunityId, entityType, entityId, createdMicros) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [row.catalog, row.id, type, entity, row.modifiedMicros])
            try self.save(db, row)
            try self.recordWrite(db, "AssociateOpportunity", .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: row.modifiedMicros, resourceType: .opportunity)
        }
        return EmptyResponse()
    }

    public func handle(_ validated: Validated<DisassociateOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let type = request.relatedEntityType.rawValue
        try await perform { db in
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.opportunityIdentifier)
            try Self.checkEditable(row, changing: "RelatedEntityIdentifiers.\(type)")
            try db.cachedStatement(sql: "DELETE FROM opportunityAssociation WHERE catalog = ? AND opportunityId = ? AND entityType = ? AND entityId = ?")
                .execute(arguments: [row.catalog, row.id, type, request.relatedEntityIdentifier])
            guard db.changesCount > 0 else {
                throw ServiceError.notFound("\(ServiceError.excerpt(request.relatedEntityIdentifier)) is not associated with opportunity \(row.id) as one of its \(type)")
            }
            row.modifiedMicros = try self.nextModification(db, after: row.modifiedMicros)
            try self.save(db, row)
            try self.recordWrite(db, "DisassociateOpportunity", .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: row.modifiedMicros, resourceType: .opportunity)
        }
        return EmptyResponse()
    }

    public func handle(_ validated: Validated<SubmitOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        try await perform { db in
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.identifier)
            try self.submit(db, &row, involvement: request.involvementType.rawValue, visibility: request.visibility?.rawValue, operation: "SubmitOpportunity")
        }
        return EmptyResponse()
    }

    /// Moves `row` to Submitted, as SubmitOpportunity and StartEngagementFromOpportunityTask do.
    func submit(_ db: Database, _ row: inout OpportunityRow, involvement: String, visibility: String?, operation: String) throws {
        let solutions = try OpportunityAssociation.all(db, catalog: row.catalog, opportunityId: row.id).filter { $0.entityType == "Solutions" }.count
        let issues = OpportunityRules.submissionIssues(row, solutions: solutions)
        guard issues.isEmpty else { throw ServiceError.businessRules(issues) }
        row.record = OpportunityRecord.settingReview(row.record, ["ReviewStatus": .string("Submitted")])
        var summary = row.awsSummary ?? [:]
        summary["InvolvementType"] = .string(involvement)
        // Full unless the submission says otherwise (the model's documentation of Visibility).
        summary["Visibility"] = .string(visibility ?? "Full")
        row.awsSummary = summary
        row.modifiedMicros = try self.nextModification(db, after: row.modifiedMicros)
        try self.save(db, row)
        try recordWrite(db, operation, .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: row.modifiedMicros, resourceType: .opportunity)
    }

    public func handle(_ validated: Validated<AssignOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let assignee = request.assignee
        let titles = ["OpportunityOwner", "PartnerAccountManager"]
        guard titles.contains(assignee.businessTitle) else {
            throw .businessValidation(
                "Assignee.BusinessTitle", "\(ServiceError.excerpt(assignee.businessTitle)) is not a title an assignee takes; use OpportunityOwner or PartnerAccountManager"
                    + Suggestion.hint(for: assignee.businessTitle, among: titles))
        }
        try await perform { db in
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.identifier)
            guard try Self.users(db).contains(where: { $0.email.lowercased() == assignee.email.lowercased() }) else {
                throw ServiceError.businessValidation(
                    "Assignee.Email", "\(ServiceError.excerpt(assignee.email)) is not a user of this Partner Central account; `engage sandbox users` lists them and `engage sandbox users add` adds one",
                    code: .invalidValue)
            }
            // The assignee takes the place of whoever held the title; the rest of the team stays.
            let team = (row.record["OpportunityTeam"]?.arrayValue ?? []).filter {
                $0["BusinessTitle"]?.stringValue != assignee.businessTitle && $0["Email"]?.stringValue?.lowercased() != assignee.email.lowercased()
            }
            row.record["OpportunityTeam"] = .array(team + [wire["Assignee"] ?? .null])
            row.record = row.record.reordered()
            row.modifiedMicros = try self.nextModification(db, after: row.modifiedMicros)
            try self.save(db, row)
            try self.recordWrite(db, "AssignOpportunity", .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: row.modifiedMicros, resourceType: .opportunity)
        }
        return EmptyResponse()
    }

    /// Refuses a change to a read-only opportunity (by its review status or its stage), naming `member`.
    /// Associations are not among the members Action Required or Approved restrict, so only a read-only
    /// opportunity refuses them.
    static func checkEditable(_ row: OpportunityRow, changing member: String) throws(ServiceError) {
        var readOnly = OpportunityRules.finalStages.contains(row.stage ?? "")
        if case .nothing = OpportunityRules.editing(reviewStatus: row.reviewStatus) { readOnly = true }
        guard readOnly else { return }
        throw .businessRules(OpportunityRules.editingIssues(changed: [member], reviewStatus: row.reviewStatus, stage: row.stage))
    }
}
