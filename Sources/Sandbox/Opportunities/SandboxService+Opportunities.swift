import Core
import Foundation
import GRDB

/// CreateOpportunity, GetOpportunity and UpdateOpportunity on the sandbox: the record the partner gives,
/// the review status AWS's side moves, and the rules of OpportunityRules. docs/sandbox.md lists them.
extension SandboxService {
    func opportunityArn(catalog: String, id: String) -> String {
        "arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/opportunity/\(id)"
    }

    public func handle(_ validated: Validated<CreateOpportunityRequest>) async throws(ServiceError) -> CreateOpportunityResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let requestText = wire.serialized()
        let origin = request.origin?.rawValue ?? OpportunityOrigin.partnerReferral.rawValue
        var issues: [ValidationExceptionError] = []
        if origin == OpportunityOrigin.awsReferral.rawValue, request.catalog != "Sandbox" {
            issues.append(ValidationExceptionError(
                fieldName: "Origin", message: "AWS Referral is accepted only in the Sandbox catalog; a partner creates Partner Referral opportunities",
                code: .actionNotPermitted))
        }
        for member in OpportunityRecord.reviewMembers {
            guard let value = wire["LifeCycle"]?[member], !(member == "ReviewStatus" && value == .string("Pending Submission")) else { continue }
            issues.append(ValidationExceptionError(
                fieldName: "LifeCycle.\(member)", message: "is set by AWS's review, not by the partner; leave it out", code: .actionNotPermitted))
        }
        let given = OpportunityRecord.record(from: wire, keeping: Set(OpportunityRecord.stored))
        return try await perform { db in
            let operation = "CreateOpportunity"
            if let replay: CreateOpportunityResponse = try self.replay(db, request.catalog, operation, request.clientToken, requestText) {
                return replay
            }
            let now = try self.now(db)
            issues += OpportunityRules.memberIssues(given, previous: nil, today: Self.day(now))
            guard issues.isEmpty else { throw ServiceError.businessRules(issues) }
            let nextSteps = given["LifeCycle"]?["NextSteps"]
            let record = OpportunityRecord.settingReview(given, [
                "ReviewStatus": .string("Pending Submission"), "ReviewComments": nil, "ReviewStatusReason": nil,
                "NextStepsHistory": nextSteps.map { JSONValue.array([["Value": $0, "Time": .string(SandboxTime.text(now))]]) },
            ])
            // AWS's lever for its Sandbox catalog: an AWS referral comes with AWS's engagement and its invitation
            // to the caller, whose accepting task makes this opportunity the caller's from the invitation.
            let referral = origin == OpportunityOrigin.awsReferral.rawValue
            var row = OpportunityRow(
                catalog: request.catalog, id: try Self.newOpportunityId(db, catalog: request.catalog), createdMicros: now,
                createdBy: self.caller, origin: origin, record: record)
            try row.insert(db)
            try self.tagCreated(db, kind: "opportunity", catalog: row.catalog, id: row.id, wire: wire, at: now)
            if referral { _ = try self.inviteFromAWS(db, opportunity: row, to: self.caller, at: now, message: "AWS referral: opportunity \(row.id)") }
            let response = CreateOpportunityResponse(
                id: row.id, partnerOpportunityIdentifier: request.partnerOpportunityIdentifier, lastModifiedDate: SandboxTime.timestamp(now))
            _ = try self.replayUnlessNew(db, request.catalog, operation, request.clientToken, requestText, response)
            try self.recordWrite(db, operation, .created, catalog: request.catalog, engagementId: row.id, clientToken: request.clientToken, at: now, resourceType: .opportunity)
            return response
        }
    }

    public func handle(_ validated: Validated<GetOpportunityRequest>) async throws(ServiceError) -> GetOpportunityResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db in
            try self.opportunityAnswer(db, try self.ownOpportunity(db, catalog: request.catalog, id: request.identifier))
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<UpdateOpportunityRequest>) async throws(ServiceError) -> UpdateOpportunityResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        guard let expected = SandboxTime.microseconds(of: request.lastModifiedDate) else {
            throw .requestValidation([ValidationExceptionError(fieldName: "LastModifiedDate", message: "is not an ISO 8601 date-time", code: .invalidStringFormat)])
        }
        return try await perform { db in
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.identifier)
            guard expected == row.modifiedMicros else {
                throw ServiceError.conflict(
                    "LastModifiedDate \(request.lastModifiedDate) is not opportunity \(row.id)'s current LastModifiedDate \(SandboxTime.text(row.modifiedMicros)); "
                        + "another write came first: read the opportunity again (GetOpportunity) and retry")
            }
            let modified = try self.nextModification(db, after: row.modifiedMicros)
            var proposed = OpportunityRecord.record(from: wire, keeping: OpportunityRecord.replaced)
            // What UpdateOpportunity does not carry (the opportunity team) stays as it is.
            for name in OpportunityRecord.stored where !OpportunityRecord.replaced.contains(name) { proposed[name] = row.record[name] }
            proposed = proposed.reordered()
            let (review, reviewIssues) = Self.reviewAsked(wire["LifeCycle"], stored: row, catalog: request.catalog)
            let changed = OpportunityRecord.changedPaths(.object(Self.withoutReview(row.record)), .object(Self.withoutReview(proposed)))
            let issues = reviewIssues
                + OpportunityRules.editingIssues(changed: changed, reviewStatus: row.reviewStatus, stage: row.stage)
                + OpportunityRules.memberIssues(proposed, previous: row.record, today: Self.day(modified))
            guard issues.isEmpty else { throw ServiceError.businessRules(issues) }
            var settings = review ?? [:]
            for name in OpportunityRecord.reviewMembers where settings[name] == nil { settings[name] = .some(row.record["LifeCycle"]?[name]) }
            if review == nil, row.reviewStatus == "Action Required", !changed.isEmpty {
                // The model's documentation: after the asked-for updates, the opportunity re-enters validation.
                settings["ReviewStatus"] = .string("Submitted")
            }
            let nextSteps = proposed["LifeCycle"]?["NextSteps"]
            if let nextSteps, nextSteps != row.record["LifeCycle"]?["NextSteps"] {
                let history = (row.record["LifeCycle"]?["NextStepsHistory"]?.arrayValue ?? []) + [["Value": nextSteps, "Time": .string(SandboxTime.text(modified))]]
                settings["NextStepsHistory"] = .array(history)
            }
            row.record = OpportunityRecord.settingReview(proposed, settings)
            if let status = review?["ReviewStatus"]??.stringValue {
                row.awsSummary = Self.awsSummaryAfterReview(row, status: status, control: ReviewControl(status: status))
            }
            row.modifiedMicros = modified
            try self.save(db, row)
            try self.recordWrite(db, "UpdateOpportunity", .updated, catalog: request.catalog, engagementId: row.id, clientToken: nil, at: modified, resourceType: .opportunity)
            return UpdateOpportunityResponse(id: row.id, lastModifiedDate: SandboxTime.timestamp(modified))
        }
    }

    // MARK: Helpers

    /// The review members an update asks to set, when it uses AWS's lever for its Sandbox catalog (a
    /// submitted opportunity's ReviewStatus set to Approved or Action Required, with its comments); else nil,
    /// with an issue for each review member it tries to change otherwise.
    static func reviewAsked(_ lifeCycle: JSONValue?, stored row: OpportunityRow, catalog: String) -> ([String: JSONValue?]?, [ValidationExceptionError]) {
        let storedLifeCycle = row.record["LifeCycle"]
        if let asked = lifeCycle?["ReviewStatus"]?.stringValue, asked != row.reviewStatus {
            if catalog == "Sandbox", ["Approved", "Action Required"].contains(asked), ["Submitted", "In review", "Action Required"].contains(row.reviewStatus) {
                return (["ReviewStatus": .string(asked), "ReviewComments": lifeCycle?["ReviewComments"], "ReviewStatusReason": lifeCycle?["ReviewStatusReason"]], [])
            }
            let how = catalog == "Sandbox"
                ? "in the Sandbox catalog an update may set Approved or Action Required on a submitted opportunity, as AWS's Sandbox allows; `engage sandbox review` sets any status"
                : "only the Sandbox catalog lets an update stand in for AWS's review"
            return (nil, [ValidationExceptionError(
                fieldName: "LifeCycle.ReviewStatus", message: "is \(row.reviewStatus) and is set by AWS's review, not by the partner (\(how))", code: .actionNotPermitted)])
        }
        let issues = ["ReviewComments", "ReviewStatusReason", "NextStepsHistory"].compactMap { member -> ValidationExceptionError? in
            guard let value = lifeCycle?[member], value != storedLifeCycle?[member] else { return nil }
            return ValidationExceptionError(
                fieldName: "LifeCycle.\(member)", message: "is set by AWS's review, not by the partner; leave it out or send it as GetOpportunity returned it",
                code: .actionNotPermitted)
        }
        return (nil, issues)
    }

    /// The record without the members AWS's review sets, to compare what the partner changed.
    static func withoutReview(_ record: JSONValue.Members) -> JSONValue.Members {
        guard var lifeCycle = record["LifeCycle"]?.objectValue else { return record }
        for member in OpportunityRecord.reviewMembers { lifeCycle[member] = nil }
        var record = record
        record["LifeCycle"] = lifeCycle.isEmpty ? nil : .object(lifeCycle)
        return record
    }

    /// GetOpportunity's answer for `row`, members in the model's order.
    func opportunityAnswer(_ db: Database, _ row: OpportunityRow) throws -> JSONValue {
        var related = JSONValue.Members()
        let associations = try OpportunityAssociation.all(db, catalog: row.catalog, opportunityId: row.id)
        for type in OpportunityRecord.members(of: "RelatedEntityIdentifiers") {
            let ids = associations.filter { $0.entityType == type }.map { JSONValue.string($0.entityId) }
            if !ids.isEmpty { related[type] = .array(ids) }
        }
        let derived: JSONValue.Members = [
            "Catalog": .string(row.catalog), "Id": .string(row.id), "Arn": .string(opportunityArn(catalog: row.catalog, id: row.id)),
            "LastModifiedDate": .string(SandboxTime.text(row.modifiedMicros)), "CreatedDate": .string(SandboxTime.text(row.createdMicros)),
            "RelatedEntityIdentifiers": .object(related),
        ]
        var answer = JSONValue.Members()
        for name in OpportunityRecord.members(of: "GetOpportunityResponse") {
            if let value = derived[name] ?? row.record[name] { answer[name] = value }
        }
        return .object(answer)
    }

    /// A response decoded from the JSON the sandbox built; a failure is the sandbox's own fault.
    static func decoded<Response: WireConvertible>(_ answer: JSONValue) throws(ServiceError) -> Response {
        do {
            return try Response(wire: answer, at: "")
        } catch {
            throw .internalError("the sandbox built an answer the model does not allow: \(error)")
        }
    }

    /// An opportunity the caller may see: any, for the sandbox's own account (engage's commands on the store,
    /// its operator); only its own, for a partner through `engage serve`. Another's is not found, as another
    /// account's opportunity is on AWS.
    func ownOpportunity(_ db: Database, catalog: String, id: String) throws -> OpportunityRow {
        let row = try Self.opportunity(db, catalog: catalog, id: id)
        guard seesOpportunity(of: row.createdBy) else {
            throw ServiceError.notFound("no opportunity \(ServiceError.excerpt(id, quoted: false)) in catalog \(catalog)")
        }
        return row
    }

    /// Whether the caller sees an opportunity `owner` created.
    func seesOpportunity(of owner: String) -> Bool { caller == Self.accountId || owner == caller }

    static func opportunity(_ db: Database, catalog: String, id: String) throws -> OpportunityRow {
        guard let row = try OpportunityRow.find(db, catalog: catalog, id: id) else {
            throw ServiceError.notFound("no opportunity \(ServiceError.excerpt(id, quoted: false)) in catalog \(catalog)")
        }
        return row
    }

    /// `O` and ten digits from the system's secure random source, unused in the catalog.
    static func newOpportunityId(_ db: Database, catalog: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let id = "O" + String(1_000_000_000 + generator.next(upperBound: UInt64(9_000_000_000)))
            if try OpportunityRow.find(db, catalog: catalog, id: id) == nil { return id }
        }
    }

    /// The UTC day of an instant, `2026-12-03`: what TargetCloseDate is compared with.
    static func day(_ microseconds: Int64) -> String { String(SandboxTime.text(microseconds).prefix(10)) }
}
