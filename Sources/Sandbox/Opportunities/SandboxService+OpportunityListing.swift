import Core
import Foundation
import GRDB

/// ListOpportunities on the sandbox: the model's filters and sorts over the catalog's opportunities.
extension SandboxService {
    public func handle(_ validated: Validated<ListOpportunitiesRequest>) async throws(ServiceError) -> ListOpportunitiesResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let windows = try Self.windows(request)
        let answer = try await perform(writing: false) { db in
            let rows = try OpportunityRow.all(db, catalog: request.catalog).filter { row in
                self.seesOpportunity(of: row.createdBy)
                    && (request.identifier.map { $0.contains(row.id) } ?? true)
                    && (request.lifeCycleStage.map { stages in stages.contains { $0.rawValue == row.stage } } ?? true)
                    && (request.lifeCycleReviewStatus.map { statuses in statuses.contains { $0.rawValue == row.reviewStatus } } ?? true)
                    && (request.customerCompanyName.map { names in names.contains { $0.lowercased() == row.companyName?.lowercased() } } ?? true)
                    && windows.allSatisfy { $0.holds(row) }
            }
            let sortBy = request.sort?.sortBy.rawValue ?? "CreatedDate"
            let pages = SortedPages<OpportunityRow>(
                operation: "ListOpportunities", order: "\(sortBy) \(request.sort?.sortOrder.rawValue ?? "ASCENDING")",
                key: { Self.sortKey($0, by: sortBy) }, id: { Self.paddedId($0.id) }, descending: request.sort?.sortOrder == .descending)
            let (page, next) = try pages.page(of: rows, after: request.nextToken, size: request.maxResults ?? 20)
            let summaries = try page.map { row in try self.opportunityAnswer(db, row).projected(onto: "OpportunitySummary") }
            var answer: JSONValue.Members = ["OpportunitySummaries": .array(summaries)]
            if let next { answer["NextToken"] = .string(next) }
            return JSONValue.object(answer)
        }
        return try Self.decoded(answer)
    }

    /// A window of time (or of days, for TargetCloseDate) an opportunity must fall in.
    struct Window {
        let after: String?
        let before: String?
        let value: (OpportunityRow) -> String?

        func holds(_ row: OpportunityRow) -> Bool {
            guard after != nil || before != nil else { return true }
            guard let value = value(row) else { return false }
            return (after.map { value > $0 } ?? true) && (before.map { value < $0 } ?? true)
        }
    }

    /// The request's windows, their instants written as the sandbox writes its own so text order is time order.
    private static func windows(_ request: ListOpportunitiesRequest) throws(ServiceError) -> [Window] {
        func instant(_ timestamp: Timestamp?, _ field: String) throws(ServiceError) -> String? {
            guard let timestamp else { return nil }
            guard let micros = SandboxTime.microseconds(of: timestamp) else {
                throw .requestValidation([ValidationExceptionError(fieldName: field, message: "is not an ISO 8601 date-time", code: .invalidStringFormat)])
            }
            return SandboxTime.text(micros)
        }
        return [
            Window(
                after: try instant(request.lastModifiedDate?.afterLastModifiedDate, "LastModifiedDate.AfterLastModifiedDate"),
                before: try instant(request.lastModifiedDate?.beforeLastModifiedDate, "LastModifiedDate.BeforeLastModifiedDate"),
                value: { SandboxTime.text($0.modifiedMicros) }),
            Window(
                after: try instant(request.createdDate?.afterCreatedDate, "CreatedDate.AfterCreatedDate"),
                before: try instant(request.createdDate?.beforeCreatedDate, "CreatedDate.BeforeCreatedDate"),
                value: { SandboxTime.text($0.createdMicros) }),
            Window(
                after: request.targetCloseDate?.afterTargetCloseDate, before: request.targetCloseDate?.beforeTargetCloseDate,
                value: { $0.targetCloseDate }),
        ]
    }

    private static func sortKey(_ row: OpportunityRow, by name: String) -> String {
        switch name {
        case "LastModifiedDate": SandboxTime.text(row.modifiedMicros)
        case "Identifier": paddedId(row.id)
        case "CustomerCompanyName": row.companyName?.lowercased() ?? ""
        case "TargetCloseDate": row.targetCloseDate ?? ""
        default: SandboxTime.text(row.createdMicros)
        }
    }

    /// An id whose digits are padded, so that text order is numeric order (`O9` before `O10`).
    static func paddedId(_ id: String) -> String {
        let digits = id.dropFirst()
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
