/// The five operations of Partner Central Selling that engage serves. The sandbox and the AWS transport
/// implement it; everything above `Core` sees only this protocol.
public protocol EngagementService: Sendable {
    func createEngagement(_ request: CreateEngagementRequest) async throws(ServiceError) -> CreateEngagementResponse
    func getEngagement(_ request: GetEngagementRequest) async throws(ServiceError) -> GetEngagementResponse
    func listEngagements(_ request: ListEngagementsRequest) async throws(ServiceError) -> ListEngagementsResponse
    func createEngagementContext(_ request: CreateEngagementContextRequest) async throws(ServiceError) -> CreateEngagementContextResponse
    func updateEngagementContext(_ request: UpdateEngagementContextRequest) async throws(ServiceError) -> UpdateEngagementContextResponse
}
