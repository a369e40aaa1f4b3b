import Core
import Foundation
import GRDB

/// Resource snapshot jobs: created Stopped; while Running, every write that changes their opportunity makes
/// a new snapshot revision in the same transaction (none when nothing changed); deleted only when Stopped.
extension SandboxService {
    func snapshotJobArn(catalog: String, id: String) -> String {
        "arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/resource-snapshot-job/\(id)"
    }

    public func handle(_ validated: Validated<CreateResourceSnapshotJobRequest>) async throws(ServiceError) -> CreateResourceSnapshotJobResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let engagementId = try engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        try Self.checkTemplate(request.resourceSnapshotTemplateIdentifier, for: request.resourceType.rawValue)
        return try await perform { db in
            let operation = "CreateResourceSnapshotJob"
            if let replay: CreateResourceSnapshotJobResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay
            }
            try self.checkSnapshotSubject(db, catalog: request.catalog, engagement: engagementId, resource: request.resourceIdentifier)
            if let existing = try SnapshotJobRow.all(db, catalog: request.catalog).first(where: {
                $0.engagementId == engagementId && $0.resourceId == request.resourceIdentifier && $0.template == request.resourceSnapshotTemplateIdentifier
            }) {
                throw ServiceError.conflict("job \(existing.id) already snapshots \(request.resourceIdentifier) with \(existing.template) in engagement \(engagementId)")
            }
            let now = try self.now(db)
            let job = SnapshotJobRow(
                catalog: request.catalog, id: try Self.newJobId(db, catalog: request.catalog), engagementId: engagementId,
                resourceType: request.resourceType.rawValue, resourceId: request.resourceIdentifier, template: request.resourceSnapshotTemplateIdentifier,
                createdMicros: now)
            try job.insert(db)
            if let tags = wire["Tags"]?.arrayValue {
                try self.tag(
                    db, TaggedResource(arn: self.snapshotJobArn(catalog: job.catalog, id: job.id), catalog: job.catalog, kind: "resource-snapshot-job", id: job.id),
                    tags, operation: operation, at: now, audited: false)
            }
            let response = CreateResourceSnapshotJobResponse(id: job.id, arn: self.snapshotJobArn(catalog: job.catalog, id: job.id))
            _ = try self.replayUnlessNew(db, request.catalog, operation, request.clientToken, wire.serialized(), response)
            try self.recordWrite(db, operation, .created, catalog: job.catalog, engagementId: engagementId, clientToken: request.clientToken, at: now)
            return response
        }
    }

    public func handle(_ validated: Validated<GetResourceSnapshotJobRequest>) async throws(ServiceError) -> GetResourceSnapshotJobResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db in
            self.jobAnswer(try Self.job(db, catalog: request.catalog, id: request.resourceSnapshotJobIdentifier))
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<ListResourceSnapshotJobsRequest>) async throws(ServiceError) -> ListResourceSnapshotJobsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db -> JSONValue in
            let jobs = try SnapshotJobRow.all(db, catalog: request.catalog).filter { job in
                (request.engagementIdentifier.map { $0 == job.engagementId } ?? true) && (request.status.map { $0.rawValue == job.status } ?? true)
            }
            let descending = request.sort?.sortOrder == .descending
            let pages = SortedPages<SnapshotJobRow>(
                operation: "ListResourceSnapshotJobs", order: descending ? "DESCENDING" : "ASCENDING",
                key: { SandboxTime.text($0.createdMicros) }, id: \.id, descending: descending)
            let (page, next) = try pages.page(of: jobs, after: request.nextToken, size: request.maxResults ?? 20)
            var answer: JSONValue.Members = ["ResourceSnapshotJobSummaries": .array(page.map { self.jobAnswer($0).projected(onto: "ResourceSnapshotJobSummary") })]
            if let next { answer["NextToken"] = .string(next) }
            return .object(answer)
        }
        return try Self.decoded(answer)
    }

    /// Starts a job; starting a running job changes nothing. A start snapshots the opportunity when it
    /// changed since the latest revision.
    public func handle(_ validated: Validated<StartResourceSnapshotJobRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        try await perform { db in
            var job = try Self.job(db, catalog: request.catalog, id: request.resourceSnapshotJobIdentifier)
            guard job.status != "Running" else { return }
            let now = try self.now(db)
            job.status = "Running"
            try self.takeSnapshot(db, catalog: job.catalog, engagement: job.engagementId, resource: job.resourceId, template: job.template, at: now, onlyWhenChanged: true)
            job.lastSuccessMicros = now
            try job.save(db)
            try self.recordWrite(db, "StartResourceSnapshotJob", .updated, catalog: job.catalog, engagementId: job.engagementId, clientToken: nil, at: now)
        }
        return EmptyResponse()
    }

    public func handle(_ validated: Validated<StopResourceSnapshotJobRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        try await perform { db in
            var job = try Self.job(db, catalog: request.catalog, id: request.resourceSnapshotJobIdentifier)
            guard job.status == "Running" else {
                throw ServiceError.conflict("job \(job.id) is \(job.status); the model's documentation: the job must be started before it is stopped")
            }
            job.status = "Stopped"
            try job.save(db)
            try self.recordWrite(db, "StopResourceSnapshotJob", .updated, catalog: job.catalog, engagementId: job.engagementId, clientToken: nil, at: try self.now(db))
        }
        return EmptyResponse()
    }

    public func handle(_ validated: Validated<DeleteResourceSnapshotJobRequest>) async throws(ServiceError) -> EmptyResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        try await perform { db in
            let job = try Self.job(db, catalog: request.catalog, id: request.resourceSnapshotJobIdentifier)
            guard job.status == "Stopped" else {
                throw ServiceError.conflict("job \(job.id) is \(job.status); stop it (StopResourceSnapshotJob) before deleting it")
            }
            try db.execute(sql: "DELETE FROM snapshotJob WHERE catalog = ? AND id = ?", arguments: [job.catalog, job.id])
            try db.execute(sql: "DELETE FROM tag WHERE resourceArn = ?", arguments: [self.snapshotJobArn(catalog: job.catalog, id: job.id)])
            try self.recordWrite(db, "DeleteResourceSnapshotJob", .updated, catalog: job.catalog, engagementId: job.engagementId, clientToken: nil, at: try self.now(db))
        }
        return EmptyResponse()
    }

    // MARK: Parts

    /// Saves an opportunity the write changed, and in the same transaction has each running job of it take a
    /// new revision when the snapshot differs from its latest.
    func save(_ db: Database, _ row: OpportunityRow) throws {
        try row.save(db)
        for job in try SnapshotJobRow.running(db, catalog: row.catalog, resourceId: row.id) {
            var job = job
            guard try takeSnapshot(
                db, catalog: job.catalog, engagement: job.engagementId, resource: job.resourceId, template: job.template, at: row.modifiedMicros,
                onlyWhenChanged: true) != nil
            else { continue }
            job.lastSuccessMicros = row.modifiedMicros
            try job.save(db)
        }
    }

    func jobAnswer(_ job: SnapshotJobRow) -> JSONValue {
        var answer: JSONValue.Members = [
            "Catalog": .string(job.catalog), "Id": .string(job.id), "Arn": .string(snapshotJobArn(catalog: job.catalog, id: job.id)),
            "EngagementId": .string(job.engagementId), "ResourceType": .string(job.resourceType), "ResourceId": .string(job.resourceId),
            "ResourceArn": .string(opportunityArn(catalog: job.catalog, id: job.resourceId)), "ResourceSnapshotTemplateName": .string(job.template),
            "CreatedAt": .string(SandboxTime.text(job.createdMicros)), "Status": .string(job.status),
        ]
        if let success = job.lastSuccessMicros { answer["LastSuccessfulExecutionDate"] = .string(SandboxTime.text(success)) }
        return .object(answer)
    }

    static func job(_ db: Database, catalog: String, id: String) throws -> SnapshotJobRow {
        guard let job = try SnapshotJobRow.find(db, catalog: catalog, id: id) else {
            throw ServiceError.notFound("no resource snapshot job \(ServiceError.excerpt(id, quoted: false)) in catalog \(catalog)")
        }
        return job
    }

    /// `job-` and 13 of `[0-9a-z]`, unused in the catalog.
    static func newJobId(_ db: Database, catalog: String) throws -> String {
        try unusedId("job-", 13) { try SnapshotJobRow.find(db, catalog: catalog, id: $0) != nil }
    }
}
