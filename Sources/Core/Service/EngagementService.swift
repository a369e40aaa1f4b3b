/// Partner Central Selling as engage reaches it. The sandbox and the AWS transport implement it; everything
/// above `Core` sees only this protocol.
///
/// A service has one requirement, `call`, which takes a request already checked against the model: a service
/// that wraps another passes it on as it is, the transport sends it, the sandbox answers it with the `handle`
/// of its operation (see `OperationHandlers`). The typed methods (`createEngagement(_:)`, …) are generated
/// from the model: each checks its request and calls `call`.
public protocol EngagementService: Sendable {
    /// Answers a request of any served operation.
    func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response
}

extension OperationHandlers {
    public func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        try await Request.dispatch(request, to: self)
    }

    public func unhandled<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        throw .notServed(Request.operationName)
    }
}
