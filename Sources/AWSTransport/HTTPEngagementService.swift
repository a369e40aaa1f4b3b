import AsyncHTTPClient
import Core
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The service over AWS JSON 1.0: each call is a SigV4-signed `POST` of the request's wire form with
/// `X-Amz-Target: AWSPartnerCentralSelling.<Operation>`, retried as the SDKs' standard mode retries, paced
/// by an optional per-operation rate limit; errors arrive as the `ServiceError` the sandbox would throw.
public struct HTTPEngagementService: EngagementService {
    public let endpoint: AWSEndpoint
    public let credentials: any AWSCredentialProvider
    public let retry: RetryPolicy
    /// Requests per second per operation; nil sends as fast as answers come.
    public let limiter: RequestRateLimiter?
    /// How long one attempt may take, connecting and reading the whole answer included.
    public let attemptTimeout: Duration
    private let signer: SigV4
    private let client: HTTPClient
    /// The one event loop this service's requests and their connections use. Left to choose, the client
    /// puts each request on the next loop of its group, often not the one of the pooled connection, and
    /// every call then passes between two loops.
    private let eventLoop: any EventLoop

    /// Answers larger than this are refused: ListEngagements at its 100 summaries is a few hundred KB.
    static let maximumResponseBytes = 16 << 20

    /// `maxRequestsPerSecond` paces every operation alike; `limiter`, when given, paces each its own way.
    public init(
        endpoint: AWSEndpoint, credentials: any AWSCredentialProvider, retry: RetryPolicy = .standard,
        maxRequestsPerSecond: Double? = nil, limiter: RequestRateLimiter? = nil, attemptTimeout: Duration = .seconds(60),
        client: HTTPClient = SharedHTTPClient.client
    ) {
        (self.endpoint, self.credentials, self.retry, self.attemptTimeout, self.client) = (endpoint, credentials, retry, attemptTimeout, client)
        self.limiter = limiter ?? maxRequestsPerSecond.flatMap { $0 > 0 ? RequestRateLimiter(requestsPerSecond: $0) : nil }
        signer = SigV4(region: endpoint.region, service: ServiceModel.signingName)
        eventLoop = client.eventLoopGroup.next()
    }

    /// Sends the wire form the model check computed (`Validated.wire`), not a second encoding of the request.
    public func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        try await send(Request.operationName, body: Array(request.wire.serialized().utf8))
    }

    /// Sends `body` until it succeeds, fails for good, or runs out of attempts.
    func send<Response: WireConvertible>(_ operation: String, body: [UInt8]) async throws(ServiceError) -> Response {
        var attempt = 1
        while true {
            await limiter?.waitForTurn(operation)
            switch try await self.attempt(operation, body: body) {
            case .success(let bytes):
                return try decode(Response.self, operation, bytes)
            case .failure(_, transient: true) where attempt < retry.maxAttempts && !Task.isCancelled:
                try? await Task.sleep(for: retry.delay(beforeRetry: attempt))
                attempt += 1
            case .failure(let error, _) where attempt == 1:
                throw error
            case .failure(let error, _):
                throw RetryPolicy.gaveUp(error, after: attempt)
            }
        }
    }

    enum Outcome {
        case success([UInt8])
        /// `transient` when the same request may succeed if sent again.
        case failure(ServiceError, transient: Bool)
    }

    /// One signed exchange. Errors before anything is sent (credentials) are thrown; what the endpoint or
    /// the network answered is the outcome.
    func attempt(_ operation: String, body: [UInt8]) async throws(ServiceError) -> Outcome {
        let credentials = try await self.credentials.credentials()
        var headers: [(name: String, value: String)] = [
            ("Host", endpoint.hostHeader), ("Content-Type", AWSJSON.contentType), ("X-Amz-Target", AWSJSON.target(of: operation)),
        ]
        signer.sign(method: "POST", path: endpoint.path, headers: &headers, body: body, credentials: credentials)
        headers.append(("User-Agent", "engage (\(ServiceModel.signingName))"))
        do {
            // The request and its whole answer in one exchange with the event loop: the head and body are
            // written together and the body is gathered there, so the calling thread is woken once, for the
            // complete answer, instead of once for the head and again for each part of the body.
            let request = try HTTPClient.Request(url: endpoint.url, method: .POST, headers: HTTPHeaders(headers), body: .bytes(body))
            let accumulator = ResponseAccumulator(request: request, maxBodySize: Self.maximumResponseBytes)
            let response = try await client.execute(
                request: request, delegate: accumulator, eventLoop: .delegateAndChannel(on: eventLoop), deadline: .now() + TimeAmount(attemptTimeout)
            ).futureResult.get()
            var buffer = response.body ?? ByteBuffer()
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .success(bytes) }
            let error = AWSJSONErrorResponse.serviceError(
                status: status, reasonPhrase: response.status.reasonPhrase, headers: response.headers.map { ($0.name, $0.value) },
                body: bytes, endpoint: endpoint)
            return .failure(error, transient: RetryPolicy.isTransient(code: error.code, status: status))
        } catch let error as ResponseAccumulator.ResponseTooBigError {
            let message = "the answer of \(endpoint) to \(operation) is larger than \(error.maxBodySize >> 20) MiB"
            return .failure(ServiceError(code: "ResponseParserError", message: message), transient: false)
        } catch {
            return .failure(connectionError(error, operation), transient: true)
        }
    }

    /// A response body read as the operation's output, its timestamps as the service wrote them; a body the
    /// model cannot read is `ResponseParserError`.
    func decode<Response: WireConvertible>(_ type: Response.Type, _ operation: String, _ bytes: [UInt8]) throws(ServiceError) -> Response {
        do {
            return try AWSJSON.decode(Response.self, from: bytes)
        } catch {
            throw ServiceError(code: "ResponseParserError", message: "the answer of \(endpoint) to \(operation) is not the service's \(operation) response: \(error)")
        }
    }

    /// A failure to reach the endpoint or read its answer, named as botocore names it.
    func connectionError(_ error: any Error, _ operation: String) -> ServiceError {
        if let error = error as? HTTPClientError {
            if [.connectTimeout, .tlsHandshakeTimeout].contains(error) {
                return ServiceError(code: "ConnectTimeoutError", message: "\(operation): timed out connecting to \(endpoint) (\(error))")
            }
            if [.deadlineExceeded, .readTimeout].contains(error) {
                return ServiceError(code: "ReadTimeoutError", message: "\(operation): timed out waiting for \(endpoint) to answer (\(error))")
            }
        }
        return ServiceError(code: "EndpointConnectionError", message: "\(operation): cannot connect to \(endpoint): \(Self.words(for: error))")
    }

    /// A connection failure as a person says it: the system's words for an errno (`connection refused`),
    /// HTTPClient's failures by what happened, anything else as it describes itself.
    static func words(for error: any Error) -> String {
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        if let error = error as? NIOConnectionError {
            if let dns = (error.dnsAError ?? error.dnsAAAAError) {
                let reason = (dns as? SocketAddressError.UnknownHost).map { $0.errorDescription.lowercased() } ?? "\(dns)"
                return "cannot resolve the host \(error.host) (\(reason))"
            }
            return error.connectionErrors.first.map { words(for: $0.error) } ?? "\(error)"
        }
        if let error = error as? SocketAddressError.UnknownHost {
            return "cannot resolve the host \(error.host) (\(error.errorDescription.lowercased()))"
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .remoteConnectionClosed: return "the server closed the connection before answering"
            case .connectTimeout: return "no answer to the connection attempt"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
