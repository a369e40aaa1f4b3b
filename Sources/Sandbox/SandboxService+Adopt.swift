import Core
import Foundation
import GRDB

extension SandboxService {
    /// Copies an engagement read from another service (a `GetEngagement` response) into this store under its
    /// own id, with its title, description, creator and contexts, each context written at the engagement's
    /// `ModifiedAt` so the copy answers with the same optimistic-concurrency token. What a dry run over HTTP
    /// does before it pretends to write to an engagement of the service. A store that has the engagement
    /// already keeps its own.
    public func adopt(_ engagement: GetEngagementResponse, catalog: String) async throws(ServiceError) {
        guard let id = engagement.id, let createdAt = engagement.createdAt, let created = SandboxTime.microseconds(of: createdAt) else {
            throw .internalError("the service's GetEngagement response has no Id or CreatedAt to copy")
        }
        let modified = engagement.modifiedAt.flatMap(SandboxTime.microseconds(of:)) ?? created
        let contexts = engagement.contexts ?? []
        guard contexts.count < Int(ContextRow.slotsPerEngagement) else {
            throw .internalError("engagement \(id) has \(contexts.count) contexts, more than the sandbox can hold")
        }
        try await perform { db in
            guard try EngagementRow.find(db, catalog: catalog, id: id) == nil else { return }
            let key = try EngagementRow(
                catalog: catalog, id: id, title: engagement.title ?? "", description: engagement.description ?? "",
                createdMicros: created, createdBy: engagement.createdBy ?? Self.accountId, memberCount: engagement.memberCount ?? 1
            ).insertRow(db)
            for (index, context) in contexts.enumerated() {
                let number = context.id.flatMap(Int.init).flatMap { (1..<Int(ContextRow.slotsPerEngagement)).contains($0) ? $0 : nil } ?? index + 1
                try ContextRow(
                    engagementKey: key, number: number, type: context.type.rawValue,
                    payload: context.payload?.wire.serialized() ?? "null", modifiedMicros: modified, modifiedBy: engagement.modifiedBy
                ).insertRow(db)
            }
        }
    }

    public func adopt(_ opportunity: GetOpportunityResponse) async throws(ServiceError) {
        guard let created = SandboxTime.microseconds(of: opportunity.createdDate), let modified = SandboxTime.microseconds(of: opportunity.lastModifiedDate) else {
            throw .internalError("the service's GetOpportunity response has no CreatedDate or LastModifiedDate the sandbox can read")
        }
        let wire = opportunity.wire
        try await perform { db in
            guard try OpportunityRow.find(db, catalog: opportunity.catalog, id: opportunity.id) == nil else { return }
            var row = OpportunityRow(
                catalog: opportunity.catalog, id: opportunity.id, createdMicros: created, createdBy: Self.accountId,
                origin: OpportunityOrigin.partnerReferral.rawValue, record: OpportunityRecord.record(from: wire, keeping: Set(OpportunityRecord.stored)))
            row.modifiedMicros = modified
            try row.insert(db)
            for type in OpportunityRecord.members(of: "RelatedEntityIdentifiers") {
                for entity in wire["RelatedEntityIdentifiers"]?[type]?.arrayValue ?? [] {
                    try db.execute(
                        sql: "INSERT INTO opportunityAssociation (catalog, opportunityId, entityType, entityId, createdMicros) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        arguments: [row.catalog, row.id, type, entity.stringValue, modified])
                }
            }
        }
    }

    public func adopt(_ invitation: GetEngagementInvitationResponse) async throws(ServiceError) {
        guard let engagement = invitation.engagementId, let date = invitation.invitationDate.flatMap(SandboxTime.microseconds(of:)) else {
            throw .internalError("the service's GetEngagementInvitation response has no EngagementId or InvitationDate to copy")
        }
        let wire = invitation.wire
        let id = try invitationId(from: invitation.id, catalog: invitation.catalog)
        try await perform { db in
            guard try InvitationRow.find(db, catalog: invitation.catalog, id: id) == nil else { return }
            var row = InvitationRow(
                catalog: invitation.catalog, id: id, engagementId: engagement, sender: invitation.senderAwsAccountId ?? Self.awsAccount, receiver: self.caller,
                invitation: ["Message": wire["InvitationMessage"] ?? "", "Receiver": wire["Receiver"] ?? .null, "Payload": wire["Payload"] ?? .null],
                invitedMicros: date)
            // EXPIRED is read from the clock; the others are kept as the service had them.
            if let status = invitation.status?.rawValue, status != "EXPIRED" { row.status = status }
            row.rejectionReason = invitation.rejectionReason
            try row.insert(db)
        }
    }
}
