import Core
import Foundation
import GRDB

/// What an accepted write did to the resource it names.
public enum AuditOutcome: String, Sendable, Hashable {
    case created, updated
}

/// The kind of resource an audited write changed.
public enum AuditResource: String, Sendable, Hashable {
    case engagement, opportunity, solution, user, settings
    case snapshotJob = "resource-snapshot-job"
}

/// One write the sandbox accepted, as its audit table records it: when, what, and who from which command.
public struct AuditEntry: Sendable, Hashable {
    /// The entry's place in the store's audit, increasing with every write.
    public let sequence: Int64
    /// The write's own timestamp: the ModifiedAt (or CreatedAt) it gave the engagement.
    public let time: Timestamp
    /// `sandbox`.
    public let backend: String
    public let catalog: String
    /// The operation, by its model name (`CreateEngagementContext`).
    public let operation: String
    /// The id of the resource written: an engagement's, an opportunity's, a solution's or a user's e-mail, as `resource` says.
    public let engagementId: String
    public let resource: AuditResource
    /// The context written, nil for the engagement itself.
    public let contextId: String?
    public let clientToken: String?
    public let outcome: AuditOutcome
    public let actor: String
    public let processId: Int
    public let command: String
    public let recipe: String?
    /// The recipe's parameters as one JSON object in their order, nil when the write had none.
    public let parameters: JSONValue?

    /// The entry as a JSON object with the service's style of member names; absent members are left out.
    public var json: JSONValue {
        var members: JSONValue.Members = [
            "Sequence": .integer(sequence), "Time": .string(time.text), "Backend": .string(backend), "Catalog": .string(catalog),
            "Operation": .string(operation),
        ]
        switch resource {
        case .engagement: members["EngagementId"] = .string(engagementId)
        case .opportunity: members["OpportunityId"] = .string(engagementId)
        case .solution, .user, .settings, .snapshotJob:
            members["ResourceType"] = .string(resource.rawValue)
            members["ResourceId"] = .string(engagementId)
        }
        if let contextId { members["ContextId"] = .string(contextId) }
        if let clientToken { members["ClientToken"] = .string(clientToken) }
        members["Outcome"] = .string(outcome.rawValue)
        members["Actor"] = .string(actor)
        members["ProcessId"] = .integer(Int64(processId))
        members["Command"] = .string(command)
        if let recipe { members["Recipe"] = .string(recipe) }
        if let parameters { members["Parameters"] = parameters }
        return .object(members)
    }
}

extension AuditEntry {
    /// An entry read from a row of `audit`.
    init(row: Row) throws {
        let sequence: Int64 = row["sequence"]
        let outcomeText: String = row["outcome"]
        guard let outcome = AuditOutcome(rawValue: outcomeText) else {
            throw ServiceError.internalError("audit entry \(sequence) has an outcome this engage does not know: \(outcomeText)")
        }
        let parametersText: String? = row["parameters"]
        let resourceText: String = row["resourceType"]
        guard let resource = AuditResource(rawValue: resourceText) else {
            throw ServiceError.internalError("audit entry \(sequence) is of a resource this engage does not know: \(resourceText)")
        }
        self.init(
            sequence: sequence, time: Timestamp(row["time"]), backend: row["backend"], catalog: row["catalog"], operation: row["operation"],
            engagementId: row["engagementId"], resource: resource, contextId: row["contextId"], clientToken: row["clientToken"], outcome: outcome,
            actor: row["actor"], processId: row["processId"], command: row["command"], recipe: row["recipe"],
            parameters: try parametersText.map { text in try JSONValue(parsing: text) })
    }
}
