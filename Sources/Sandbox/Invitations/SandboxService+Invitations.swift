import Core
import Foundation
import GRDB

/// Engagement invitations on the sandbox: a member of an engagement invites another account, which lists,
/// accepts (joining the engagement) or rejects it; a pending invitation expires 15 days after it was sent,
/// read from the sandbox's clock. docs/sandbox.md lists the rules.
extension SandboxService {
    /// The most members an engagement has.
    static let maximumMembers = 10

    /// The company name the sandbox gives an account: its own partner's, AWS's, or one made from the account.
    static func companyName(of account: String) -> String {
        account == accountId ? partnerCompanyName : account == awsAccount ? "Amazon Web Services" : "Partner \(account)"
    }

    func invitationArn(catalog: String, id: String) -> String {
        "arn:aws:partnercentral::\(Self.accountId):\(catalog)/engagement-invitation/\(id)"
    }

    public func handle(_ validated: Validated<CreateEngagementInvitationRequest>) async throws(ServiceError) -> CreateEngagementInvitationResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let receiver = wire["Invitation"]?["Receiver"]?["Account"]?["AwsAccountId"]?.stringValue ?? ""
        guard receiver != caller else {
            throw .businessValidation("Invitation.Receiver.Account.AwsAccountId", "is the sender's own account (\(caller)); invite another partner", code: .invalidValue)
        }
        let engagementId = try engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        return try await perform { db in
            let operation = "CreateEngagementInvitation"
            if let replay: CreateEngagementInvitationResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay
            }
            _ = try Self.engagement(db, catalog: request.catalog, id: engagementId)
            let members = try self.memberAccounts(db, catalog: request.catalog, engagementId: engagementId)
            guard members.contains(self.caller) else {
                throw ServiceError(code: "AccessDeniedException", message: "\(self.caller) is not a member of engagement \(engagementId); only its members invite")
            }
            guard !members.contains(receiver) else {
                throw ServiceError.conflict("\(receiver) is already a member of engagement \(engagementId)")
            }
            guard members.count < Self.maximumMembers else {
                throw ServiceError.quotaExceeded("engagement \(engagementId) has \(members.count) members, the most an engagement may have")
            }
            let now = try self.now(db)
            let row = InvitationRow(
                catalog: request.catalog, id: try Self.newInvitationId(db, catalog: request.catalog), engagementId: engagementId, sender: self.caller,
                receiver: receiver, invitation: wire["Invitation"] ?? .null, invitedMicros: now)
            try row.insert(db)
            let response = CreateEngagementInvitationResponse(id: row.id, arn: self.invitationArn(catalog: row.catalog, id: row.id))
            _ = try self.replayUnlessNew(db, request.catalog, operation, request.clientToken, wire.serialized(), response)
            try self.recordWrite(db, operation, .created, catalog: row.catalog, engagementId: row.id, clientToken: request.clientToken, at: now, resourceType: .invitation)
            return response
        }
    }

    public func handle(_ validated: Validated<GetEngagementInvitationRequest>) async throws(ServiceError) -> GetEngagementInvitationResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try invitationId(from: request.identifier, catalog: request.catalog)
        let answer = try await perform(writing: false) { db in
            let row = try self.invitation(db, catalog: request.catalog, id: id)
            return try self.invitationAnswer(db, row, now: try self.now(db))
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<ListEngagementInvitationsRequest>) async throws(ServiceError) -> ListEngagementInvitationsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db in
            let now = try self.now(db)
            let sending = request.participantType == .sender
            let rows = try InvitationRow.all(db, catalog: request.catalog).filter { row in
                (sending ? row.sender : row.receiver) == self.caller
                    && (request.payloadType.map { types in types.contains { $0.rawValue == row.payloadType } } ?? true)
                    && (request.status.map { statuses in statuses.contains { $0.rawValue == row.status(at: now) } } ?? true)
                    && (request.engagementIdentifier.map { $0.contains(row.engagementId) } ?? true)
                    && (request.senderAwsAccountId.map { $0.contains(row.sender) } ?? true)
            }
            let descending = request.sort?.sortOrder == .descending
            let pages = SortedPages<InvitationRow>(
                operation: "ListEngagementInvitations", order: descending ? "DESCENDING" : "ASCENDING",
                key: { SandboxTime.text($0.invitedMicros) }, id: \.id, descending: descending)
            let (page, next) = try pages.page(of: rows, after: request.nextToken, size: request.maxResults ?? 20)
            var summaries: [JSONValue] = []
            for row in page {
                guard case .object(var summary) = try self.invitationAnswer(db, row, now: now).projected(onto: "EngagementInvitationSummary") else { continue }
                summary["ParticipantType"] = .string(request.participantType.rawValue)
                summaries.append(.object(summary))
            }
            var answer: JSONValue.Members = ["EngagementInvitationSummaries": .array(summaries)]
            if let next { answer["NextToken"] = .string(next) }
            return JSONValue.object(answer)
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<AcceptEngagementInvitationRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try invitationId(from: request.identifier, catalog: request.catalog)
        try await perform { db in
            var row = try self.pendingInvitation(db, catalog: request.catalog, id: id, answering: "accept")
            try self.accept(db, &row, operation: "AcceptEngagementInvitation")
        }
        return EmptyResponse()
    }

    public func handle(_ validated: Validated<RejectEngagementInvitationRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try invitationId(from: request.identifier, catalog: request.catalog)
        try await perform { db in
            var row = try self.pendingInvitation(db, catalog: request.catalog, id: id, answering: "reject")
            row.status = "REJECTED"
            row.rejectionReason = request.rejectionReason
            try row.saveStatus(db)
            try self.recordWrite(
                db, "RejectEngagementInvitation", .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: try self.now(db), resourceType: .invitation,
                event: SandboxEvents.invitationRejected)
        }
        return EmptyResponse()
    }

    // MARK: Parts

    /// Accepts `row`: the receiver joins the engagement.
    func accept(_ db: Database, _ row: inout InvitationRow, operation: String) throws {
        let members = try memberAccounts(db, catalog: row.catalog, engagementId: row.engagementId)
        guard members.count < Self.maximumMembers else {
            throw ServiceError.quotaExceeded("engagement \(row.engagementId) has \(members.count) members, the most an engagement may have")
        }
        let now = try self.now(db)
        row.status = "ACCEPTED"
        try row.saveStatus(db)
        try db.execute(
            sql: "INSERT INTO engagementMember (catalog, engagementId, accountId, joinedMicros) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            arguments: [row.catalog, row.engagementId, row.receiver, now])
        try db.execute(sql: "UPDATE engagement SET memberCount = memberCount + 1 WHERE catalog = ? AND id = ?", arguments: [row.catalog, row.engagementId])
        try recordWrite(db, operation, .updated, catalog: row.catalog, engagementId: row.id, clientToken: nil, at: now, resourceType: .invitation, event: SandboxEvents.invitationAccepted)
    }

    /// The invitation the caller receives, still pending; else the error that says why not.
    func pendingInvitation(_ db: Database, catalog: String, id: String, answering verb: String) throws -> InvitationRow {
        let row = try invitation(db, catalog: catalog, id: id)
        guard row.receiver == caller else {
            throw ServiceError(code: "AccessDeniedException", message: "invitation \(id) is for \(row.receiver); only its receiver can \(verb) it")
        }
        let status = row.status(at: try now(db))
        guard status == "PENDING" else {
            throw ServiceError.businessValidation("Identifier", "invitation \(id) is \(status); only a PENDING invitation can be answered", code: .invalidResourceState)
        }
        return row
    }

    /// The invitation, when the caller sends or receives it.
    func invitation(_ db: Database, catalog: String, id: String) throws -> InvitationRow {
        guard let row = try InvitationRow.find(db, catalog: catalog, id: id) else {
            throw ServiceError.notFound("no engagement invitation \(ServiceError.excerpt(id, quoted: false)) in catalog \(catalog)")
        }
        guard row.sender == caller || row.receiver == caller else {
            throw ServiceError(code: "AccessDeniedException", message: "invitation \(id) is between \(row.sender) and \(row.receiver)")
        }
        return row
    }

    /// The accounts that are members of an engagement: its creator and those who accepted an invitation.
    func memberAccounts(_ db: Database, catalog: String, engagementId: String) throws -> [String] {
        let creator = try Self.engagement(db, catalog: catalog, id: engagementId).createdBy
        let joined = try String.fetchAll(
            db, sql: "SELECT accountId FROM engagementMember WHERE catalog = ? AND engagementId = ? ORDER BY joinedMicros, accountId",
            arguments: [catalog, engagementId])
        return [creator] + joined.filter { $0 != creator }
    }

    /// GetEngagementInvitation's answer for `row` at `now`.
    func invitationAnswer(_ db: Database, _ row: InvitationRow, now: Int64) throws -> JSONValue {
        let engagement = try Self.engagement(db, catalog: row.catalog, id: row.engagementId)
        let members = try memberAccounts(db, catalog: row.catalog, engagementId: row.engagementId)
        let values: JSONValue.Members = [
            "Arn": .string(invitationArn(catalog: row.catalog, id: row.id)), "PayloadType": row.payloadType.map(JSONValue.string) ?? .null,
            "Id": .string(row.id), "EngagementId": .string(row.engagementId), "EngagementTitle": .string(engagement.title),
            "Status": .string(row.status(at: now)), "InvitationDate": .string(SandboxTime.text(row.invitedMicros)),
            "ExpirationDate": .string(SandboxTime.text(row.expiresMicros)), "SenderAwsAccountId": .string(row.sender),
            "SenderCompanyName": .string(Self.companyName(of: row.sender)), "Receiver": row.invitation["Receiver"] ?? .null,
            "Catalog": .string(row.catalog), "RejectionReason": row.rejectionReason.map(JSONValue.string) ?? .null,
            "Payload": row.invitation["Payload"] ?? .null, "InvitationMessage": row.invitation["Message"] ?? .null,
            "EngagementDescription": engagement.description.isEmpty ? .null : .string(engagement.description),
            "ExistingMembers": .array(members.map { ["CompanyName": .string(Self.companyName(of: $0))] }),
        ]
        var answer = JSONValue.Members()
        for name in OpportunityRecord.members(of: "GetEngagementInvitationResponse") {
            if let value = values[name], value != .null { answer[name] = value }
        }
        return .object(answer)
    }

    /// An invitation id from an id or an invitation ARN in the form the sandbox issues.
    func invitationId(from identifier: String, catalog: String) throws(ServiceError) -> String {
        guard identifier.hasPrefix("arn:") else { return identifier }
        let prefix = "arn:aws:partnercentral::\(Self.accountId):\(catalog)/engagement-invitation/"
        guard identifier.hasPrefix(prefix) else {
            throw .notFound("the sandbox holds no invitation \(ServiceError.excerpt(identifier)); its invitation ARNs are \(prefix)engi-…")
        }
        return String(identifier.dropFirst(prefix.count))
    }

    /// `engi-` and 13 of `[0-9a-z]`, unused in the catalog.
    static func newInvitationId(_ db: Database, catalog: String) throws -> String {
        try unusedId("engi-", 13) { try InvitationRow.find(db, catalog: catalog, id: $0) != nil }
    }
}
