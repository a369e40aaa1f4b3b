import Core
import Foundation
import GRDB

/// The List operations of the tasks, of an engagement's members and of its resource associations.
extension SandboxService {
    public func handle(_ validated: Validated<ListEngagementFromOpportunityTasksRequest>) async throws(ServiceError) -> ListEngagementFromOpportunityTasksResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let filters: [(String, [String]?)] = [
            ("TaskStatus", request.taskStatus?.map(\.rawValue)), ("TaskId", request.taskIdentifier), ("OpportunityId", request.opportunityIdentifier),
            ("EngagementId", request.engagementIdentifier),
        ]
        return try Self.decoded(try await taskPage(
            "StartEngagementFromOpportunityTask", catalog: request.catalog, filters: filters, descending: request.sort?.sortOrder == .descending,
            token: request.nextToken, size: request.maxResults ?? 20, summary: "ListEngagementFromOpportunityTaskSummary"))
    }

    public func handle(_ validated: Validated<ListOpportunityFromEngagementTasksRequest>) async throws(ServiceError) -> ListOpportunityFromEngagementTasksResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let filters: [(String, [String]?)] = [
            ("TaskStatus", request.taskStatus?.map(\.rawValue)), ("TaskId", request.taskIdentifier), ("OpportunityId", request.opportunityIdentifier),
            ("EngagementId", request.engagementIdentifier), ("ContextId", request.contextIdentifier),
        ]
        return try Self.decoded(try await taskPage(
            "StartOpportunityFromEngagementTask", catalog: request.catalog, filters: filters, descending: request.sort?.sortOrder == .descending,
            token: request.nextToken, size: request.maxResults ?? 20, summary: "ListOpportunityFromEngagementTaskSummary"))
    }

    /// A page of the tasks `operation` started, each matching every filter given (a member equal to one of
    /// its values), sorted by start time.
    func taskPage(
        _ operation: String, catalog: String, filters: [(String, [String]?)], descending: Bool, token: String?, size: Int, summary: String
    ) async throws(ServiceError) -> JSONValue {
        try await perform(writing: false) { db in
            let tasks = try Self.taskAnswers(db, catalog: catalog, operation: operation).filter { task in
                filters.allSatisfy { member, values in values.map { $0.contains(task[member]?.stringValue ?? "") } ?? true }
            }
            let pages = SortedPages<JSONValue>(
                operation: "List\(operation)s", order: descending ? "DESCENDING" : "ASCENDING",
                key: { $0["StartTime"]?.stringValue ?? "" }, id: { $0["TaskId"]?.stringValue ?? "" }, descending: descending)
            let (page, next) = try pages.page(of: tasks, after: token, size: size)
            var answer: JSONValue.Members = ["TaskSummaries": .array(page.map { $0.projected(onto: summary) })]
            if let next { answer["NextToken"] = .string(next) }
            return .object(answer)
        }
    }

    /// The company name the sandbox gives its own partner account among an engagement's members.
    static let partnerCompanyName = "Sandbox Partner"

    public func handle(_ validated: Validated<ListEngagementMembersRequest>) async throws(ServiceError) -> ListEngagementMembersResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try engagementId(from: request.identifier, catalog: request.catalog, field: "Identifier")
        let answer = try await perform(writing: false) { db in
            // Its creator's account, then those that joined by accepting an invitation.
            let members: [JSONValue] = try self.memberAccounts(db, catalog: request.catalog, engagementId: id).map { account in
                ["CompanyName": .string(Self.companyName(of: account)), "AccountId": .string(account)]
            }
            // Pages keep the members' order: creator first, then by joining.
            let pages = SortedPages<(position: Int, member: JSONValue)>(
                operation: "ListEngagementMembers", order: "", key: { String(repeating: "0", count: 4 - String($0.position).count) + String($0.position) },
                id: { $0.member["AccountId"]?.stringValue ?? "" }, descending: false)
            let (page, next) = try pages.page(of: Array(members.enumerated().map { ($0.offset, $0.element) }), after: request.nextToken, size: request.maxResults ?? 20)
            var answer: JSONValue.Members = ["EngagementMemberList": .array(page.map(\.member))]
            if let next { answer["NextToken"] = .string(next) }
            return JSONValue.object(answer)
        }
        return try Self.decoded(answer)
    }

    public func handle(_ validated: Validated<ListEngagementResourceAssociationsRequest>) async throws(ServiceError) -> ListEngagementResourceAssociationsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let answer = try await perform(writing: false) { db in
            var sql = "SELECT engagementId, resourceType, resourceId, createdBy, createdMicros FROM engagementResource WHERE catalog = ?"
            var arguments: StatementArguments = [request.catalog]
            for (column, value) in [
                ("engagementId", request.engagementIdentifier), ("resourceType", request.resourceType?.rawValue),
                ("resourceId", request.resourceIdentifier), ("createdBy", request.createdBy),
            ] {
                guard let value else { continue }
                sql += " AND \(column) = ?"
                arguments += [value]
            }
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let pages = SortedPages<Row>(
                operation: "ListEngagementResourceAssociations", order: "",
                key: { SandboxTime.text($0["createdMicros"]) }, id: { "\($0["engagementId"] as String) \($0["resourceId"] as String)" }, descending: false)
            let (page, next) = try pages.page(of: rows, after: request.nextToken, size: request.maxResults ?? 20)
            let summaries: [JSONValue] = page.map { row in
                ["Catalog": .string(request.catalog), "EngagementId": .string(row["engagementId"]), "ResourceType": .string(row["resourceType"]),
                 "ResourceId": .string(row["resourceId"]), "CreatedBy": .string(row["createdBy"])]
            }
            var answer: JSONValue.Members = ["EngagementResourceAssociationSummaries": .array(summaries)]
            if let next { answer["NextToken"] = .string(next) }
            return JSONValue.object(answer)
        }
        return try Self.decoded(answer)
    }
}
