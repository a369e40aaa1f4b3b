import Core
import Foundation

/// The events AWS sends to EventBridge for Partner Central resources, by the write that causes them: the
/// sandbox records each one's detail type in the audit row of that write (`engage log --output json` shows
/// it as `DetailType`), so an event-driven integration can be tried against the sandbox.
enum SandboxEvents {
    static let opportunityCreated = "Opportunity Created"
    static let opportunityUpdated = "Opportunity Updated"
    static let invitationCreated = "Engagement Invitation Created"
    static let invitationAccepted = "Engagement Invitation Accepted"
    static let invitationRejected = "Engagement Invitation Rejected"
    static let invitationExpired = "Engagement Invitation Expired"

    /// Writes that change no resource AWS sends an event for.
    private static let silent: Set<String> = ["TagResource", "UntagResource"]

    /// The detail type of a write: an opportunity created or changed, an invitation created; nil for the rest.
    static func detailType(operation: String, resource: AuditResource, outcome: AuditOutcome) -> String? {
        guard !silent.contains(operation) else { return nil }
        switch resource {
        case .opportunity: return outcome == .created ? opportunityCreated : opportunityUpdated
        case .invitation: return outcome == .created ? invitationCreated : nil
        default: return nil
        }
    }
}
