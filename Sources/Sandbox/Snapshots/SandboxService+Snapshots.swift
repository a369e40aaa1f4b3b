import Core
import Foundation
import GRDB

/// Resource snapshots: immutable copies of an opportunity as a template shapes it, within an engagement
/// the opportunity belongs to, numbered 1, 2, … per engagement, resource and template.
extension SandboxService {
    /// The templates the sandbox knows, by resource type.
    static let snapshotTemplates = ["Opportunity": ["OpportunitySummary"]]

    func snapshotArn(catalog: String, engagement: String, resource: String, template: String, revision: Int) -> String {
        "arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/engagement/\(engagement)/resource-snapshot/\(resource)/\(template)/\(revision)"
    }

    public func handle(_ validated: Validated<CreateResourceSnapshotRequest>) async throws(ServiceError) -> CreateResourceSnapshotResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let engagementId = try engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        try Self.checkTemplate(request.resourceSnapshotTemplateIdentifier, for: request.resourceType.rawValue)
        return try await perform { db in
            let operation = "CreateResourceSnapshot"
            if let replay: CreateResourceSnapshotResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay
            }
            try self.checkSnapshotSubject(db, catalog: request.catalog, engagement: engagementId, resource: request.resourceIdentifier)
            let now = try self.now(db)
            let revision = try self.takeSnapshot(
                db, catalog: request.catalog, engagement: engagementId, resource: request.resourceIdentifier,
                template: request.resourceSnapshotTemplateIdentifier, at: now, onlyWhenChanged: false) ?? 0
            let response = CreateResourceSnapshotResponse(
                arn: self.snapshotArn(
                    catalog: request.catalog, engagement: engagementId, resource: request.resourceIdentifier, template: request.resourceSnapshotTemplateIdentifier,
                    revision: revision),
                revision: revision)
            _ = try self.replayUnlessNew(db, request.catalog, operation, request.clientToken, wire.serialized(), response)
            try self.recordWrite(db, operation, .created, catalog: request.catalog, engagementId: engagementId, clientToken: request.clientToken, at: now)
            return response
        }
    }

    public func handle(_ validated: Validated<GetResourceSnapshotRequest>) async throws(ServiceError) -> GetResourceSnapshotResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let engagementId = try engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        let answer = try await perform(writing: false) { db -> JSONValue in
            var sql = "SELECT * FROM snapshot WHERE catalog = ? AND engagementId = ? AND resourceType = ? AND resourceId = ? AND template = ?"
            var arguments: StatementArguments = [
                request.catalog, engagementId, request.resourceType.rawValue, request.resourceIdentifier, request.resourceSnapshotTemplateIdentifier,
            ]
            if let revision = request.revision {
                sql += " AND revision = ?"
                arguments += [revision]
            }
            guard let row = try Row.fetchOne(db, sql: sql + " ORDER BY revision DESC LIMIT 1", arguments: arguments) else {
                let which = request.revision.map { "revision \($0) of " } ?? ""
                throw ServiceError.notFound(
                    "no \(which)snapshot of \(request.resourceIdentifier) with template \(request.resourceSnapshotTemplateIdentifier) in engagement \(engagementId)")
            }
            let members = try self.memberAccounts(db, catalog: request.catalog, engagementId: engagementId)
            let createdBy: String = row["createdBy"]
            let revision: Int = row["revision"]
            return [
                "Catalog": .string(request.catalog),
                "Arn": .string(self.snapshotArn(
                    catalog: request.catalog, engagement: engagementId, resource: request.resourceIdentifier, template: request.resourceSnapshotTemplateIdentifier,
                    revision: revision)),
                "CreatedBy": .string(createdBy), "CreatedAt": .string(SandboxTime.text(row["createdMicros"])), "EngagementId": .string(engagementId),
                "ResourceType": .string(row["resourceType"]), "ResourceId": .string(row["resourceId"]), "ResourceSnapshotTemplateName": .string(row["template"]),
                "Revision": .integer(Int64(revision)), "Payload": try JSONValue(parsing: row["payload"] as String),
                "TargetMemberAccounts": .array(members.filter { $0 != createdBy }.map(JSONValue.string)),
            ]
        }
        return try Self.decoded(answer.droppingEmptyLists())
    }

    public func handle(_ validated: Validated<ListResourceSnapshotsRequest>) async throws(ServiceError) -> ListResourceSnapshotsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let engagementId = try engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        let answer = try await perform(writing: false) { db -> JSONValue in
            _ = try Self.engagement(db, catalog: request.catalog, id: engagementId)
            var sql = "SELECT resourceType, resourceId, template, revision, createdBy FROM snapshot WHERE catalog = ? AND engagementId = ?"
            var arguments: StatementArguments = [request.catalog, engagementId]
            for (column, value) in [
                ("resourceType", request.resourceType?.rawValue), ("resourceId", request.resourceIdentifier),
                ("template", request.resourceSnapshotTemplateIdentifier), ("createdBy", request.createdBy),
            ] {
                guard let value else { continue }
                sql += " AND \(column) = ?"
                arguments += [value]
            }
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let pages = SortedPages<Row>(
                operation: "ListResourceSnapshots", order: "",
                key: { "\($0["resourceId"] as String) \($0["template"] as String)" },
                id: { row in let revision: Int = row["revision"]; return String(repeating: "0", count: max(0, 10 - String(revision).count)) + String(revision) },
                descending: false)
            let (page, next) = try pages.page(of: rows, after: request.nextToken, size: request.maxResults ?? 20)
            let summaries: [JSONValue] = page.map { row in
                let revision: Int = row["revision"]
                return [
                    "Arn": .string(self.snapshotArn(catalog: request.catalog, engagement: engagementId, resource: row["resourceId"], template: row["template"], revision: revision)),
                    "Revision": .integer(Int64(revision)), "ResourceType": .string(row["resourceType"]), "ResourceId": .string(row["resourceId"]),
                    "ResourceSnapshotTemplateName": .string(row["template"]), "CreatedBy": .string(row["createdBy"]),
                ]
            }
            var answer: JSONValue.Members = ["ResourceSnapshotSummaries": .array(summaries)]
            if let next { answer["NextToken"] = .string(next) }
            return .object(answer)
        }
        return try Self.decoded(answer)
    }

    // MARK: Parts

    static func checkTemplate(_ template: String, for resourceType: String) throws(ServiceError) {
        let known = snapshotTemplates[resourceType] ?? []
        guard known.contains(template) else {
            throw .businessValidation(
                "ResourceSnapshotTemplateIdentifier",
                "\(ServiceError.excerpt(template)) is not a template for \(resourceType); the sandbox knows \(known.joined(separator: ", "))\(Suggestion.hint(for: template, among: known))")
        }
    }

    /// A snapshot is of an opportunity the engagement holds (a task linked them).
    func checkSnapshotSubject(_ db: Database, catalog: String, engagement: String, resource: String) throws {
        _ = try Self.engagement(db, catalog: catalog, id: engagement)
        _ = try ownOpportunity(db, catalog: catalog, id: resource)
        let linked = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM engagementResource WHERE catalog = ? AND engagementId = ? AND resourceId = ?)",
            arguments: [catalog, engagement, resource]) ?? false
        guard linked else {
            throw ServiceError.businessValidation(
                "ResourceIdentifier",
                "opportunity \(resource) does not belong to engagement \(engagement); StartEngagementFromOpportunityTask (or accepting an invitation) links them",
                code: .invalidResourceState)
        }
    }

    /// Inserts the next revision of a snapshot of the opportunity as it is now; with `onlyWhenChanged`, none
    /// when the latest revision already holds the same payload. Returns the revision written, or nil.
    @discardableResult
    func takeSnapshot(_ db: Database, catalog: String, engagement: String, resource: String, template: String, at now: Int64, onlyWhenChanged: Bool) throws -> Int? {
        let payload = try snapshotPayload(db, catalog: catalog, opportunity: resource).serialized()
        let latest = try Row.fetchOne(
            db, sql: "SELECT revision, payload FROM snapshot WHERE catalog = ? AND engagementId = ? AND resourceId = ? AND template = ? ORDER BY revision DESC LIMIT 1",
            arguments: [catalog, engagement, resource, template])
        if onlyWhenChanged, let latest, (latest["payload"] as String) == payload { return nil }
        let revision = (latest.map { $0["revision"] as Int } ?? 0) + 1
        try db.execute(
            sql: """
                INSERT INTO snapshot (catalog, engagementId, resourceType, resourceId, template, revision, createdBy, createdMicros, payload)
                VALUES (?, ?, 'Opportunity', ?, ?, ?, ?, ?, ?)
                """,
            arguments: [catalog, engagement, resource, template, revision, caller, now, payload])
        return revision
    }

    /// The `OpportunitySummary` template's payload: the opportunity as the model's OpportunitySummaryView.
    func snapshotPayload(_ db: Database, catalog: String, opportunity id: String) throws -> JSONValue {
        guard case .object(var answer) = try opportunityAnswer(db, try Self.opportunity(db, catalog: catalog, id: id)) else { return .null }
        // The view names LifeCycle `Lifecycle`.
        answer["Lifecycle"] = answer["LifeCycle"]
        return ["OpportunitySummary": JSONValue.object(answer).projected(onto: "OpportunitySummaryView")]
    }
}

extension JSONValue {
    /// This object without its members that are empty lists, which the model's lists of at least one forbid.
    func droppingEmptyLists() -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.filter { $0.value != .array([]) })
    }
}
