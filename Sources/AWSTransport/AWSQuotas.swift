import Core

/// The pace engage keeps with `--aws` unless `--max-rps` says otherwise: AWS's published request quotas for
/// this API, per partner account (Partner Central developer guide, "Quotas for the AWS Partner Central
/// Selling API"). A recipe then slows down to what the service allows instead of meeting ThrottlingException.
public enum AWSQuotas {
    /// Writes AWS limits to one request per second.
    public static let oneEachSecond: Set<String> = [
        "CreateOpportunity", "UpdateOpportunity", "SubmitOpportunity", "AssociateOpportunity", "DisassociateOpportunity",
        "AssignOpportunity", "RejectEngagementInvitation", "StartEngagementFromOpportunityTask", "StartEngagementByAcceptingInvitationTask",
    ]
    /// Writes AWS gives a quota of their own.
    public static let ownQuotas: [String: Double] = ["CreateEngagement": 15]
    /// Reads (`Get…`, `List…`): AWS publishes 10 per second for those it lists, and engage paces every read so.
    public static let reads = 10.0
    /// Writes AWS publishes no figure for keep engage's earlier, cautious pace.
    public static let otherWrites = 2.0

    /// Requests per second for `operation`.
    public static func requestsPerSecond(_ operation: String) -> Double {
        if oneEachSecond.contains(operation) { return 1 }
        if let own = ownQuotas[operation] { return own }
        return OperationSchema.onlyReads(operation) ? reads : otherWrites
    }
}
