/// The request type of an operation: it names the operation, the model shape its requests are checked
/// against and the response type, and hands a checked request to the handler of its operation. The
/// conformances are generated (`ServiceModel+Operations.swift`), one per served operation.
public protocol OperationRequest: WireConvertible {
    associatedtype Response: WireConvertible
    /// The operation's name in the model: `CreateEngagement`.
    static var operationName: String { get }
    /// The operation's input shape in the model: `CreateEngagementRequest`.
    static var inputShape: String { get }
    /// Calls the `handle` of `handlers` that takes this type.
    static func dispatch(_ request: Validated<Self>, to handlers: some OperationHandlers) async throws(ServiceError) -> Response
}

/// A request known to meet the model's constraints: made only by checking it (or by code of this package
/// that has just checked it, as `RawOperation` checks the document it decodes), so a service handed one
/// need not check it again. Carries the request's wire form, which the check computed.
public struct Validated<Request: OperationRequest>: Sendable {
    public let request: Request
    /// `request.wire`, computed once.
    public let wire: JSONValue

    /// Checks `request` against the model; a request that breaks it is a ValidationException naming each field.
    public init(_ request: Request) throws(ServiceError) {
        let wire = request.wire
        let issues = ModelValidator.validate(wire, as: Request.inputShape)
        guard issues.isEmpty else { throw .requestValidation(issues) }
        (self.request, self.wire) = (request, wire)
    }

    /// A request its caller has just checked against the model as `Request.inputShape`; `wire` is `request.wire`.
    package init(alreadyChecked request: Request, wire: JSONValue) {
        (self.request, self.wire) = (request, wire)
    }
}
