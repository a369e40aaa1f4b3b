/// A service whose state is a store on this machine (the sandbox), which is what a dry run needs: a copy it
/// can write in freely, a run journal kept beside the data, and a way to take in an engagement read from
/// another service (an engagement or an opportunity) before pretending to write to it. `engage` supplies one; RecipeRunner only sees this.
public protocol LocalEngagementStore: EngagementService, RunJournal {
    /// A throw-away copy of this store at `path`, taken as one consistent snapshot.
    func snapshot(to path: String) async throws(ServiceError) -> any LocalEngagementStore
    /// Copies `engagement` (a `GetEngagement` response of another service) into this store under its own
    /// id, so later writes to it here answer as the service would; a store that has it already keeps its own.
    func adopt(_ engagement: GetEngagementResponse, catalog: String) async throws(ServiceError)
    /// Copies `opportunity` (a `GetOpportunity` response of another service) into this store under its own
    /// id and LastModifiedDate, with its associations; a store that has it already keeps its own.
    func adopt(_ opportunity: GetOpportunityResponse) async throws(ServiceError)
    /// Copies `invitation` (a `GetEngagementInvitation` response the receiver read from another service) into
    /// this store as an invitation to this store's caller, with its status, date and payload; a store that
    /// has it already keeps its own. Its engagement must be adopted first.
    func adopt(_ invitation: GetEngagementInvitationResponse) async throws(ServiceError)
}
