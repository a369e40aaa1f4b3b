import Core
import Foundation

/// Which of an opportunity's members the partner gives, which the sandbox derives and which AWS's review
/// sets, read from the model's shapes wherever the model states it.
enum OpportunityRecord {
    /// GetOpportunity's members that the sandbox derives from the row rather than stores.
    static let derived: Set<String> = ["Catalog", "Id", "Arn", "LastModifiedDate", "CreatedDate", "RelatedEntityIdentifiers"]

    /// GetOpportunity's members in the model's order, less the derived ones: the stored record's members.
    static let stored: [String] = members(of: "GetOpportunityResponse").filter { !derived.contains($0) }

    /// The members UpdateOpportunity replaces: those of its request that the record stores. A member of
    /// them left out of an update is cleared (the model's documentation of UpdateOpportunity).
    static let replaced: Set<String> = Set(members(of: "UpdateOpportunityRequest")).intersection(stored)

    /// LifeCycle members AWS's review sets, never the partner's request (the model documents ReviewStatus
    /// as read-only; the comments, the reason and the history of next steps come with it).
    static let reviewMembers = ["ReviewStatus", "ReviewComments", "ReviewStatusReason", "NextStepsHistory"]

    static func members(of shape: String) -> [String] {
        guard case .structure(let structure)? = ServiceModel.shape(named: shape)?.kind else { return [] }
        return structure.members.map(\.name)
    }

    /// `wire`'s members that `names` lists, in the record's order.
    static func record(from wire: JSONValue, keeping names: Set<String>) -> JSONValue.Members {
        var record = JSONValue.Members()
        for name in stored where names.contains(name) {
            if let value = wire[name], value != .null { record[name] = value }
        }
        return record
    }

    /// The record with the review members of `lifeCycle` set from `review` (nil values removed); the
    /// LifeCycle object is made when missing and dropped when it ends up empty.
    static func settingReview(_ record: JSONValue.Members, _ review: [String: JSONValue?]) -> JSONValue.Members {
        var record = record
        var lifeCycle = record["LifeCycle"]?.objectValue ?? [:]
        for name in reviewMembers {
            guard let value = review[name] else { continue }
            lifeCycle[name] = value
        }
        // Members in the model's order of LifeCycle.
        var ordered = JSONValue.Members()
        for name in members(of: "LifeCycle") { if let value = lifeCycle[name] { ordered[name] = value } }
        record["LifeCycle"] = ordered.isEmpty ? nil : .object(ordered)
        return record.reordered()
    }

    /// The leaf paths (`Customer.Account.Address.PostalCode`, `Project.ExpectedCustomerSpend[0].Amount`)
    /// where `old` and `new` differ: an object present on one side only counts each of its leaves; lists
    /// of different lengths count as the list's own path.
    static func changedPaths(_ old: JSONValue?, _ new: JSONValue?, at path: String = "") -> [String] {
        switch (old, new) {
        case (nil, nil): return []
        case (.object(let a)?, .object(let b)?):
            var keys = Array(a.keys)
            for key in b.keys where a[key] == nil { keys.append(key) }
            return keys.flatMap { changedPaths(a[$0], b[$0], at: join(path, $0)) }
        case (.object(let a)?, nil):
            return a.keys.flatMap { changedPaths(a[$0], nil, at: join(path, $0)) }
        case (nil, .object(let b)?):
            return b.keys.flatMap { changedPaths(nil, b[$0], at: join(path, $0)) }
        case (.array(let a)?, .array(let b)?) where a.count == b.count:
            return a.indices.flatMap { changedPaths(a[$0], b[$0], at: "\(path)[\($0)]") }
        default:
            return old == new ? [] : [path]
        }
    }

    /// A path with its list positions dropped, to compare with the documented paths: `Project.ExpectedCustomerSpend.Amount`.
    static func withoutPositions(_ path: String) -> String {
        var result = ""
        var inBrackets = false
        for character in path {
            if character == "[" { inBrackets = true } else if character == "]" { inBrackets = false } else if !inBrackets { result.append(character) }
        }
        return result
    }

    private static func join(_ path: String, _ member: String) -> String { path.isEmpty ? member : "\(path).\(member)" }
}

extension JSONValue.Members {
    /// The record's members in the model's order of GetOpportunity.
    func reordered() -> JSONValue.Members {
        var ordered = JSONValue.Members()
        for name in OpportunityRecord.stored { if let value = self[name] { ordered[name] = value } }
        return ordered
    }
}

extension ServiceError {
    /// A request that breaks one or more of the service's business rules, each naming its member.
    static func businessRules(_ issues: [ValidationExceptionError]) -> ServiceError {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return ServiceError(code: "ValidationException", message: "The request has \(count): \(issues.map(\.description).joined(separator: "; "))",
            reason: .businessValidationFailed, errorList: issues)
    }
}
