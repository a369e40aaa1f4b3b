/// How a write to the `AWS` catalog of the real service gets a person's go-ahead.
public enum WriteConfirmation: Sendable {
    /// `--yes`: writes go ahead without asking.
    case given
    /// Ask once: the closure puts the question to a person and returns whether they said yes.
    case ask(@Sendable (_ question: String) async -> Bool)
    /// Nobody to ask (no terminal): writes are refused; `reason` says why and what to do.
    case unavailable(reason: String)
}

/// An `EngagementService` in front of the real service that lets reads through and holds the first write
/// to the `AWS` catalog (live partner data) until it is confirmed. The answer holds for the rest of the
/// process: yes lets every later write through, no refuses them all. Nothing is sent for a refused write.
public actor AWSCatalogWriteGuard: EngagementService {
    let service: any EngagementService
    let endpoint: String
    let confirmation: WriteConfirmation
    private var decision: Task<Bool, Never>?

    /// The catalog that holds live partner data.
    public static let liveCatalog = "AWS"

    public init(_ service: any EngagementService, endpoint: String, confirmation: WriteConfirmation) {
        (self.service, self.endpoint, self.confirmation) = (service, endpoint, confirmation)
    }

    public func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        if !OperationSchema.onlyReads(Request.operationName), let catalog = request.wire["Catalog"]?.stringValue {
            try await confirm(Request.operationName, catalog: catalog, target: Self.target(of: request.wire))
        }
        return try await service.call(request)
    }

    /// What a write is about, for the question: the identifiers it names (`eng-…/1`), else its title.
    static func target(of request: JSONValue) -> String {
        let identifiers = ["EngagementIdentifier", "ContextIdentifier", "Identifier"].compactMap { request[$0]?.stringValue }
        return identifiers.isEmpty ? request["Title"]?.stringValue ?? "" : identifiers.joined(separator: "/")
    }

    /// Returns when the write may be sent; throws `WriteNotConfirmed` when it may not.
    func confirm(_ operation: String, catalog: String, target: String) async throws(ServiceError) {
        guard catalog == Self.liveCatalog else { return }
        let question = """
            engage is about to write to the AWS catalog (live partner data) at \(endpoint): \(operation) \
            \(ServiceError.excerpt(target)). Allow writes to the AWS catalog for the rest of this run?
            """
        switch confirmation {
        case .given:
            return
        case .unavailable(let reason):
            throw ServiceError(code: "WriteNotConfirmed", message: "\(operation) to the AWS catalog at \(endpoint) was not sent: \(reason)")
        case .ask(let ask):
            let pending = decision ?? Task { await ask(question) }
            decision = pending
            guard await pending.value else {
                throw ServiceError(code: "WriteNotConfirmed", message: "\(operation) to the AWS catalog at \(endpoint) was not sent: writes to it were declined")
            }
        }
    }
}
