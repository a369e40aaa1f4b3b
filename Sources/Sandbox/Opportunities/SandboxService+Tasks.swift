import Core
import Foundation
import GRDB

/// The two tasks between opportunities and engagements, answered at once with `COMPLETE` (or `FAILED` and
/// the model's reason code) as AWS's Sandbox answers them, and listed by their List operations.
extension SandboxService {
    public func handle(_ validated: Validated<StartEngagementFromOpportunityTaskRequest>) async throws(ServiceError) -> StartEngagementFromOpportunityTaskResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let operation = "StartEngagementFromOpportunityTask"
        let answer = try await perform { db -> JSONValue in
            if let replay: StartEngagementFromOpportunityTaskResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay.wire
            }
            var row = try self.ownOpportunity(db, catalog: request.catalog, id: request.identifier)
            let now = try self.now(db)
            var answer = try self.newTask(db, catalog: request.catalog, kind: "engagement-from-opportunity-task", at: now)
            answer["OpportunityId"] = .string(row.id)
            let solutions = try OpportunityAssociation.all(db, catalog: row.catalog, opportunityId: row.id).filter { $0.entityType == "Solutions" }.count
            let issues = OpportunityRules.submissionIssues(row, solutions: solutions)
            if !issues.isEmpty {
                answer["TaskStatus"] = "FAILED"
                answer["Message"] = .string("the opportunity cannot be submitted: " + issues.map(\.description).joined(separator: "; "))
                answer["ReasonCode"] = "OpportunitySubmissionFailed"
            } else {
                let engagementId = try row.engagementId ?? self.engagement(for: row, db, at: now, clientToken: request.clientToken)
                try self.link(db, catalog: row.catalog, engagement: engagementId, opportunity: row.id, at: now)
                try self.tagCreated(db, kind: "engagement", catalog: row.catalog, id: engagementId, wire: wire, at: now)
                row.engagementId = engagementId
                try self.submit(db, &row, involvement: request.awsSubmission.involvementType.rawValue, visibility: request.awsSubmission.visibility?.rawValue, operation: operation)
                answer["ResourceSnapshotJobId"] = .string(try self.runningSnapshotJob(db, for: row, engagement: engagementId, at: now))
                if let invitation = try self.invitationToAWS(db, for: row, engagement: engagementId, at: now) {
                    answer["EngagementInvitationId"] = .string(invitation)
                }
                answer["TaskStatus"] = "COMPLETE"
                answer["Message"] = .string("opportunity \(row.id) submitted with engagement \(engagementId)")
                answer["EngagementId"] = .string(engagementId)
            }
            return try self.finish(
                db, task: answer, startedAt: now, as: StartEngagementFromOpportunityTaskResponse.self, operation: operation, catalog: request.catalog,
                token: request.clientToken, request: wire)
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<StartOpportunityFromEngagementTaskRequest>) async throws(ServiceError) -> StartOpportunityFromEngagementTaskResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let operation = "StartOpportunityFromEngagementTask"
        let engagementId = try self.engagementId(from: request.identifier, catalog: request.catalog, field: "Identifier")
        let answer = try await perform { db -> JSONValue in
            if let replay: StartOpportunityFromEngagementTaskResponse = try self.replay(db, request.catalog, operation, request.clientToken, wire.serialized()) {
                return replay.wire
            }
            let engagement = try Self.engagement(db, catalog: request.catalog, id: engagementId)
            let now = try self.now(db)
            var answer = try self.newTask(db, catalog: request.catalog, kind: "opportunity-from-engagement-task", at: now)
            answer["EngagementId"] = .string(engagementId)
            answer["ContextId"] = .string(request.contextIdentifier)
            let failure: (String, String)?
            // Ids are exact strings, as for UpdateEngagementContext: "01" names no context.
            let context = try Int(request.contextIdentifier).flatMap { number in
                String(number) == request.contextIdentifier && (1..<Int(ContextRow.slotsPerEngagement)).contains(number)
                    ? try ContextRow.find(db, engagementKey: engagement.key, number: number) : nil
            }
            let lead: JSONValue? = try context.flatMap { try JSONValue(parsing: $0.payload)["Lead"] }
            let earlier = try Self.taskAnswers(db, catalog: request.catalog, operation: operation).first {
                $0["EngagementId"]?.stringValue == engagementId && $0["ContextId"]?.stringValue == request.contextIdentifier && $0["TaskStatus"] == "COMPLETE"
            }
            if context == nil {
                failure = ("ContextNotFound", "engagement \(engagementId) has no context \(request.contextIdentifier)")
            } else if context?.type == "CustomerProject" {
                failure = ("CustomerProjectContextNotPermitted", "context \(request.contextIdentifier) is a CustomerProject context; only a Lead context becomes an opportunity")
            } else if lead?["QualificationStatus"]?.stringValue?.lowercased() == "disqualified" {
                failure = ("DisqualifiedLeadNotPermitted", "the lead of context \(request.contextIdentifier) is disqualified")
            } else if let earlier, let id = earlier["OpportunityId"]?.stringValue {
                failure = ("OpportunityConflict", "context \(request.contextIdentifier) already became opportunity \(id)")
            } else {
                failure = nil
            }
            if let (code, message) = failure {
                answer["TaskStatus"] = "FAILED"
                answer["Message"] = .string(message)
                answer["ReasonCode"] = .string(code)
            } else {
                var row = OpportunityRow(
                    catalog: request.catalog, id: try Self.newOpportunityId(db, catalog: request.catalog), createdMicros: now, createdBy: self.caller,
                    origin: OpportunityOrigin.partnerReferral.rawValue,
                    record: OpportunityRecord.settingReview(Self.record(fromLead: lead ?? [:]), ["ReviewStatus": "Pending Submission"]))
                row.engagementId = engagementId
                try row.insert(db)
                try self.tagCreated(db, kind: "opportunity", catalog: row.catalog, id: row.id, wire: wire, at: now)
                try self.recordWrite(db, operation, .created, catalog: row.catalog, engagementId: row.id, clientToken: request.clientToken, at: now, resourceType: .opportunity)
                try self.link(db, catalog: row.catalog, engagement: engagementId, opportunity: row.id, at: now)
                answer["TaskStatus"] = "COMPLETE"
                answer["Message"] = .string("lead context \(request.contextIdentifier) became opportunity \(row.id)")
                answer["OpportunityId"] = .string(row.id)
            }
            return try self.finish(
                db, task: answer, startedAt: now, as: StartOpportunityFromEngagementTaskResponse.self, operation: operation, catalog: request.catalog,
                token: request.clientToken, request: wire)
        }
        return try Self.decoded(answer)
    }

    // MARK: Parts

    /// A task's first members: its id, ARN and start time.
    func newTask(_ db: Database, catalog: String, kind: String, at now: Int64) throws -> JSONValue.Members {
        let id = try Self.unusedId("task-", 13) { id in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM task WHERE catalog = ? AND id = ?)", arguments: [catalog, id]) ?? false
        }
        return [
            "TaskId": .string(id), "TaskArn": .string("arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/\(kind)/\(id)"),
            "StartTime": .string(SandboxTime.text(now)),
        ]
    }

    /// Stores a task's answer (for its List operation and its ClientToken) and returns it in the model's order.
    func finish<Response: WireConvertible>(
        _ db: Database, task: JSONValue.Members, startedAt: Int64, as _: Response.Type, operation: String, catalog: String, token: String, request: JSONValue
    ) throws -> JSONValue {
        let response: Response = try Self.decoded(JSONValue.object(task))
        _ = try self.replayUnlessNew(db, catalog, operation, token, request.serialized(), response)
        try db.cachedStatement(sql: "INSERT INTO task (catalog, id, operation, startedMicros, answer) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [catalog, task["TaskId"]?.stringValue, operation, startedAt, response.wire.serialized()])
        return response.wire
    }

    static func taskAnswers(_ db: Database, catalog: String, operation: String) throws -> [JSONValue] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT answer FROM task WHERE catalog = ? AND operation = ? ORDER BY startedMicros, id"), arguments: [catalog, operation])
            .map { try JSONValue(parsing: $0) }
    }

    /// Records that the engagement holds the opportunity (ListEngagementResourceAssociations).
    func link(_ db: Database, catalog: String, engagement: String, opportunity: String, at now: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO engagementResource (catalog, engagementId, resourceType, resourceId, createdBy, createdMicros) VALUES (?, ?, 'Opportunity', ?, ?, ?)
            ON CONFLICT DO NOTHING
            """).execute(arguments: [catalog, engagement, opportunity, caller, now])
        try db.cachedStatement(sql: "UPDATE opportunity SET engagementId = ? WHERE catalog = ? AND id = ?").execute(arguments: [engagement, catalog, opportunity])
    }

    /// A new engagement for an opportunity: its title and business problem, and a CustomerProject context
    /// when the opportunity has what one needs.
    private func engagement(for row: OpportunityRow, _ db: Database, at now: Int64, clientToken: String) throws -> String {
        let record = JSONValue.object(row.record)
        let title = record["Project"]?["Title"]?.stringValue ?? "Opportunity \(row.id)"
        let problem = record["Project"]?["CustomerBusinessProblem"]?.stringValue ?? ""
        let account = record["Customer"]?["Account"]
        let payload: JSONValue = ["CustomerProject": [
            "Customer": [
                "Industry": account?["Industry"] ?? .null, "CompanyName": account?["CompanyName"] ?? .null,
                "WebsiteUrl": account?["WebsiteUrl"] ?? .null, "CountryCode": account?["Address"]?["CountryCode"] ?? .null,
            ],
            "Project": ["Title": .string(title), "BusinessProblem": .string(problem), "TargetCompletionDate": record["LifeCycle"]?["TargetCloseDate"] ?? .null],
        ]]
        let fits = ModelValidator.validate(payload, as: "EngagementContextPayload").isEmpty
        let id = try Self.newEngagementId(db, catalog: row.catalog)
        try insertEngagement(
            db, catalog: row.catalog, id: id, title: String(title.prefix(40)), description: String(problem.prefix(255)),
            contexts: fits ? [["Type": "CustomerProject", "Payload": payload]] : [], operation: "StartEngagementFromOpportunityTask", clientToken: clientToken, at: now)
        return id
    }

    /// An opportunity's record from a lead: the lead's customer as the account, the contact of its latest
    /// interaction, and that interaction's business problem and use case; a member the opportunity's
    /// shapes do not take is left out.
    static func record(fromLead lead: JSONValue) -> JSONValue.Members {
        let customer = lead["Customer"]
        var account: JSONValue.Members = [:]
        for name in ["Industry", "CompanyName", "WebsiteUrl"] { if let value = customer?[name] { account[name] = value } }
        if let address = customer?["Address"] { account["Address"] = address }
        let latest = lead["Interactions"]?.arrayValue?.last
        var record: JSONValue.Members = [:]
        var customerMembers: JSONValue.Members = [:]
        if ModelValidator.validate(.object(account), as: "Account").isEmpty { customerMembers["Account"] = .object(account) }
        if let contact = latest?["Contact"]?.projected(onto: "Contact"), ModelValidator.validate(contact, as: "Contact").isEmpty {
            customerMembers["Contacts"] = [contact]
        }
        if !customerMembers.isEmpty { record["Customer"] = .object(customerMembers) }
        var project: JSONValue.Members = [:]
        if let problem = latest?["BusinessProblem"] { project["CustomerBusinessProblem"] = problem }
        if !project.isEmpty, ModelValidator.validate(.object(project), as: "Project").isEmpty { record["Project"] = .object(project) }
        return record.reordered()
    }
}
