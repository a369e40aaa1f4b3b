import Core
import Foundation
import GRDB

/// The rows one ListEngagements page reads: the request's filters, ordered by creation, after the cursor.
struct EngagementListing {
    let request: ListEngagementsRequest
    let ids: [String]?
    let cursor: PageToken?
    let descending: Bool
    let limit: Int

    func fetch(_ db: Database) throws -> [EngagementRow] {
        var query = EngagementRow.filter(Column("catalog") == request.catalog)
        if let ids { query = query.filter(ids.contains(Column("id"))) }
        if let createdBy = request.createdBy { query = query.filter(createdBy.contains(Column("createdBy"))) }
        if let excluded = request.excludeCreatedBy { query = query.filter(!excluded.contains(Column("createdBy"))) }
        if let types = request.contextTypes, !types.isEmpty {
            query = query.filter(sql: "EXISTS (SELECT 1 FROM context WHERE \(ContextRow.ofEngagementSQL) AND context.type IN (SELECT value FROM json_each(?)))", arguments: [Self.jsonList(types)])
        }
        if let types = request.excludeContextTypes, !types.isEmpty {
            query = query.filter(sql: "NOT EXISTS (SELECT 1 FROM context WHERE \(ContextRow.ofEngagementSQL) AND context.type IN (SELECT value FROM json_each(?)))", arguments: [Self.jsonList(types)])
        }
        if let cursor {
            let created = Column("createdMicros")
            let id = Column("id")
            query = descending
                ? query.filter(created < cursor.createdMicros || (created == cursor.createdMicros && id < cursor.id))
                : query.filter(created > cursor.createdMicros || (created == cursor.createdMicros && id > cursor.id))
        }
        query = descending
            ? query.order(Column("createdMicros").desc, Column("id").desc)
            : query.order(Column("createdMicros").asc, Column("id").asc)
        return try query.limit(limit).fetchAll(db)
    }

    private static func jsonList(_ types: [EngagementContextType]) -> String {
        JSONValue.array(types.map { .string($0.rawValue) }).serialized()
    }
}

/// ListEngagements' opaque `NextToken`: the position after the last engagement returned (creation time and
/// id), so a page boundary stays put when engagements are written between calls.
struct PageToken {
    let createdMicros: Int64
    let id: String
    let descending: Bool

    init(createdMicros: Int64, id: String, descending: Bool) {
        self.createdMicros = createdMicros
        self.id = id
        self.descending = descending
    }

    init(decoding text: String, descending: Bool) throws(ServiceError) {
        let invalid = ServiceError.requestValidation([
            ValidationExceptionError(fieldName: "NextToken", message: "is not a token from a previous ListEngagements call with the same sort", code: .invalidValue),
        ])
        guard let data = Data(base64Encoded: text), let fields = String(data: data, encoding: .utf8)?.split(separator: " ", maxSplits: 2),
            fields.count == 3, let created = Int64(fields[1]), (fields[0] == "d") == descending
        else { throw invalid }
        self.init(createdMicros: created, id: String(fields[2]), descending: descending)
    }

    var text: String { Data("\(descending ? "d" : "a") \(createdMicros) \(id)".utf8).base64EncodedString() }
}
