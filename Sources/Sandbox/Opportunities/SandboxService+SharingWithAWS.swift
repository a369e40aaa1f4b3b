import Core
import Foundation
import GRDB

/// What StartEngagementFromOpportunityTask does besides submitting, as the model's documentation lists it:
/// a running snapshot job of the opportunity within the engagement, and an invitation to AWS unless one was
/// sent already.
extension SandboxService {
    /// The account AWS's invitations come from and go to.
    static let awsAccount = "AWS"

    /// The id of the engagement's running `OpportunitySummary` job of the opportunity, started (and its first
    /// revision taken) when there was none.
    func runningSnapshotJob(_ db: Database, for row: OpportunityRow, engagement: String, at now: Int64) throws -> String {
        let template = "OpportunitySummary"
        var job = try SnapshotJobRow.all(db, catalog: row.catalog).first { $0.engagementId == engagement && $0.resourceId == row.id && $0.template == template }
            ?? SnapshotJobRow(
                catalog: row.catalog, id: try Self.newJobId(db, catalog: row.catalog), engagementId: engagement, resourceType: "Opportunity", resourceId: row.id,
                template: template, createdMicros: now)
        let isNew = try SnapshotJobRow.find(db, catalog: row.catalog, id: job.id) == nil
        if isNew { try job.insert(db) }
        if job.status != "Running" {
            job.status = "Running"
            try takeSnapshot(db, catalog: row.catalog, engagement: engagement, resource: row.id, template: template, at: now, onlyWhenChanged: true)
            job.lastSuccessMicros = now
            try job.save(db)
        }
        return job.id
    }

    /// An invitation to AWS to join the engagement, its payload the opportunity; nil when one was sent
    /// already, or when the opportunity lacks what an invitation's payload needs.
    func invitationToAWS(_ db: Database, for row: OpportunityRow, engagement: String, at now: Int64) throws -> String? {
        let sent = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM invitation WHERE catalog = ? AND engagementId = ? AND receiver = ?)",
            arguments: [row.catalog, engagement, Self.awsAccount]) ?? false
        guard !sent else { return nil }
        let payload = Self.invitationPayload(of: row.record)
        guard ModelValidator.validate(payload, as: "Payload").isEmpty else { return nil }
        let invitation = InvitationRow(
            catalog: row.catalog, id: try Self.newInvitationId(db, catalog: row.catalog), engagementId: engagement, sender: caller, receiver: Self.awsAccount,
            invitation: ["Message": .string("Co-sell opportunity \(row.id)"), "Receiver": ["Account": ["AwsAccountId": .string(Self.awsAccount)]], "Payload": payload],
            invitedMicros: now)
        try invitation.insert(db)
        try recordWrite(
            db, "StartEngagementFromOpportunityTask", .created, catalog: row.catalog, engagementId: invitation.id, clientToken: nil, at: now, resourceType: .invitation,
            event: SandboxEvents.invitationCreated)
        return invitation.id
    }
}
