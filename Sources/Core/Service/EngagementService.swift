/// The five operations of Partner Central Selling that engage serves. The sandbox and the AWS transport
/// implement it; everything above `Core` sees only this protocol.
///
/// Each operation also takes a `Validated` request, one already checked against the model: a service that
/// checks requests itself (the sandbox) skips that check for it, and a service that wraps another passes it
/// on as it is. By default it is the plain call.
public protocol EngagementService: Sendable {
    func createEngagement(_ request: CreateEngagementRequest) async throws(ServiceError) -> CreateEngagementResponse
    func getEngagement(_ request: GetEngagementRequest) async throws(ServiceError) -> GetEngagementResponse
    func listEngagements(_ request: ListEngagementsRequest) async throws(ServiceError) -> ListEngagementsResponse
    func createEngagementContext(_ request: CreateEngagementContextRequest) async throws(ServiceError) -> CreateEngagementContextResponse
    func updateEngagementContext(_ request: UpdateEngagementContextRequest) async throws(ServiceError) -> UpdateEngagementContextResponse

    func createEngagement(_ request: Validated<CreateEngagementRequest>) async throws(ServiceError) -> CreateEngagementResponse
    func getEngagement(_ request: Validated<GetEngagementRequest>) async throws(ServiceError) -> GetEngagementResponse
    func listEngagements(_ request: Validated<ListEngagementsRequest>) async throws(ServiceError) -> ListEngagementsResponse
    func createEngagementContext(_ request: Validated<CreateEngagementContextRequest>) async throws(ServiceError) -> CreateEngagementContextResponse
    func updateEngagementContext(_ request: Validated<UpdateEngagementContextRequest>) async throws(ServiceError) -> UpdateEngagementContextResponse
}

extension EngagementService {
    public func createEngagement(_ request: Validated<CreateEngagementRequest>) async throws(ServiceError) -> CreateEngagementResponse {
        try await createEngagement(request.request)
    }

    public func getEngagement(_ request: Validated<GetEngagementRequest>) async throws(ServiceError) -> GetEngagementResponse {
        try await getEngagement(request.request)
    }

    public func listEngagements(_ request: Validated<ListEngagementsRequest>) async throws(ServiceError) -> ListEngagementsResponse {
        try await listEngagements(request.request)
    }

    public func createEngagementContext(_ request: Validated<CreateEngagementContextRequest>) async throws(ServiceError) -> CreateEngagementContextResponse {
        try await createEngagementContext(request.request)
    }

    public func updateEngagementContext(_ request: Validated<UpdateEngagementContextRequest>) async throws(ServiceError) -> UpdateEngagementContextResponse {
        try await updateEngagementContext(request.request)
    }
}
