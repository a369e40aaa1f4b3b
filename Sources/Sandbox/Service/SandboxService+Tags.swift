import Core
import Foundation
import GRDB

/// TagResource, UntagResource and ListTagsForResource on the resources the sandbox issues ARNs for, and the
/// tags a create gives. docs/sandbox.md lists the rules.
extension SandboxService {
    /// The most tags one resource holds, as AWS's tagging quota has it.
    static let maximumTags = 200

    /// The kinds of resource a tag ARN may name (the ARN's path segment before the id).
    static let taggableKinds = ["engagement", "opportunity", "resource-snapshot-job"]

    public func handle(_ validated: Validated<TagResourceRequest>) async throws(ServiceError) -> TagResourceResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let resource = try taggable(request.resourceArn)
        try await perform { db in
            try self.tag(db, resource, wire["Tags"]?.arrayValue ?? [], operation: "TagResource", at: try self.now(db))
        }
        return TagResourceResponse()
    }

    public func handle(_ validated: Validated<UntagResourceRequest>) async throws(ServiceError) -> UntagResourceResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let resource = try taggable(request.resourceArn)
        try await perform { db in
            try self.checkExists(db, resource)
            // A key the resource does not have is no error, as AWS's tagging APIs have it.
            for key in request.tagKeys {
                try db.execute(sql: "DELETE FROM tag WHERE resourceArn = ? AND key = ?", arguments: [resource.arn, key])
            }
            try self.recordWrite(
                db, "UntagResource", .updated, catalog: resource.catalog, engagementId: resource.id, clientToken: nil, at: try self.now(db),
                resourceType: resource.audited)
        }
        return UntagResourceResponse()
    }

    public func handle(_ validated: Validated<ListTagsForResourceRequest>) async throws(ServiceError) -> ListTagsForResourceResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let resource = try taggable(request.resourceArn)
        let tags = try await perform(writing: false) { db in
            try self.checkExists(db, resource)
            return try Row.fetchAll(db, sql: "SELECT key, value FROM tag WHERE resourceArn = ? ORDER BY key", arguments: [resource.arn]).map { row in
                Tag(key: row[0], value: row[1])
            }
        }
        return ListTagsForResourceResponse(tags: tags)
    }

    /// A resource a tag ARN names.
    struct TaggedResource {
        let arn: String
        let catalog: String
        let kind: String
        let id: String

        var audited: AuditResource { kind == "opportunity" ? .opportunity : kind == "resource-snapshot-job" ? .snapshotJob : .engagement }
    }

    /// The resource `arn` names, in the form the sandbox issues; one of another region or account, or of a
    /// kind the sandbox does not hold, names nothing here.
    func taggable(_ arn: String) throws(ServiceError) -> TaggedResource {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let path = fields.count == 6 ? fields[5].split(separator: "/", omittingEmptySubsequences: false) : []
        guard fields.count == 6, fields[0] == "arn", fields[1] == "aws", fields[2] == "partnercentral", path.count == 4, path[0] == "catalog" else {
            throw .requestValidation([ValidationExceptionError(
                fieldName: "ResourceArn",
                message: "\(ServiceError.excerpt(arn)) is not a resource ARN; expected arn:aws:partnercentral:\(region):\(Self.accountId):catalog/CATALOG/KIND/ID",
                code: .invalidStringFormat)])
        }
        guard fields[3] == region, fields[4] == Self.accountId, Self.catalogs.contains(String(path[1])), Self.taggableKinds.contains(String(path[2])) else {
            throw .notFound("the sandbox holds no resource \(ServiceError.excerpt(arn)); it tags the \(Self.taggableKinds.joined(separator: " and ")) ARNs it issues")
        }
        return TaggedResource(arn: arn, catalog: String(path[1]), kind: String(path[2]), id: String(path[3]))
    }

    func checkExists(_ db: Database, _ resource: TaggedResource) throws {
        let exists = switch resource.kind {
        case "opportunity": try OpportunityRow.find(db, catalog: resource.catalog, id: resource.id) != nil
        case "resource-snapshot-job": try SnapshotJobRow.find(db, catalog: resource.catalog, id: resource.id) != nil
        default: try EngagementRow.find(db, catalog: resource.catalog, id: resource.id) != nil
        }
        guard exists else { throw ServiceError.notFound("the sandbox holds no \(resource.kind) \(resource.id) in catalog \(resource.catalog)") }
    }

    /// Sets `tags` (wire form) on `resource`: a key given twice, a key AWS reserves (`aws:`) or more than
    /// `maximumTags` on the resource afterwards is refused, naming the member, and nothing is written. The
    /// tags a create gives are recorded by the create's own audit row (`audited` false).
    func tag(_ db: Database, _ resource: TaggedResource, _ tags: [JSONValue], operation: String, at now: Int64, audited: Bool = true) throws {
        try checkExists(db, resource)
        var issues: [ValidationExceptionError] = []
        var seen: Set<String> = []
        for (index, tag) in tags.enumerated() {
            let key = tag["Key"]?.stringValue ?? ""
            if !seen.insert(key).inserted {
                issues.append(ValidationExceptionError(fieldName: "Tags[\(index)].Key", message: "'\(key)' is given more than once", code: .duplicateKeyValue))
            }
            if key.lowercased().hasPrefix("aws:") {
                issues.append(ValidationExceptionError(fieldName: "Tags[\(index)].Key", message: "keys starting with aws: are reserved for AWS", code: .invalidValue))
            }
        }
        let held = Set(try String.fetchAll(db, sql: "SELECT key FROM tag WHERE resourceArn = ?", arguments: [resource.arn]))
        let total = held.union(seen).count
        if total > Self.maximumTags {
            issues.append(ValidationExceptionError(
                fieldName: "Tags", message: "\(resource.kind) \(resource.id) would have \(total) tags; a resource has at most \(Self.maximumTags)", code: .tooManyValues))
        }
        guard issues.isEmpty else { throw ServiceError.requestValidation(issues) }
        for tag in tags {
            try db.execute(
                sql: "INSERT INTO tag (resourceArn, key, value) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
                arguments: [resource.arn, tag["Key"]?.stringValue, tag["Value"]?.stringValue])
        }
        guard audited else { return }
        try recordWrite(db, operation, .updated, catalog: resource.catalog, engagementId: resource.id, clientToken: nil, at: now, resourceType: resource.audited)
    }

    /// The tags a create or task gives, set on the resource it made.
    func tagCreated(_ db: Database, kind: String, catalog: String, id: String, wire: JSONValue, at now: Int64) throws {
        guard let tags = wire["Tags"]?.arrayValue else { return }
        let arn = kind == "opportunity" ? opportunityArn(catalog: catalog, id: id) : arn(catalog: catalog, id: id)
        try tag(db, TaggedResource(arn: arn, catalog: catalog, kind: kind, id: id), tags, operation: "", at: now, audited: false)
    }
}
