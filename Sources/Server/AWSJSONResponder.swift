import Core
import Foundation
import Hummingbird

/// Answers AWS JSON 1.0 requests — `POST /` with `X-Amz-Target: AWSPartnerCentralSelling.<Operation>` and a
/// JSON body — from a service, once the request's signature checks out. Every answer carries an
/// `x-amzn-RequestId` and is one line of the access log; errors are the service's error document.
struct AWSJSONResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    typealias HeaderName = HTTPFields.Element.Name

    static let targetPrefix = "AWSPartnerCentralSelling."
    static let contentType = "application/x-amz-json-1.0"
    static let requestIdHeader = HeaderName("x-amzn-RequestId")!
    static let errorTypeHeader = HeaderName("x-amzn-ErrorType")!

    /// The service that answers for a signing identity (the sandbox with that identity as its caller and in its audit).
    let service: @Sendable (_ identity: String) -> any EngagementService
    let signatures: SignatureCheck
    /// The largest body accepted, in bytes.
    let bodyLimit: Int
    let log: AccessLog

    func respond(to request: Request, context: Context) async throws -> Response {
        let (arrived, started) = (Date(), ContinuousClock.now)
        let requestId = UUID().uuidString.lowercased()
        var identity: String?
        let outcome: Result<JSONValue, ServiceError>
        // Set when the body's stream broke or stalled: the connection cannot carry another request. A body past
        // the limit is answered at once but left to arrive (and be dropped), since closing on unread bytes can
        // reset the connection before the client reads the answer; the body timeout bounds the wait.
        var closing = false
        do {
            if let body = try await body(of: request) {
                outcome = await answer(request, body: body, identity: &identity)
            } else {
                outcome = .failure(.tooLarge(limit: bodyLimit, declared: ConnectionGuard.declaredLength(request.head)))
            }
        } catch let error as ConnectionGuard.BodyTimedOut {
            outcome = .failure(.bodyTimedOut(after: error.limit))
            closing = true
        } catch {
            // Thrown while the body arrives (cut short, broken chunk framing): still the service's error document.
            outcome = .failure(.unreadableBody(error))
            closing = true
        }
        let answer = Self.answer(outcome, requestId: requestId, closing: closing)
        log.record(
            arrived: arrived, identity: identity, operation: try? Self.operation(of: request), status: answer.status.code,
            exception: outcome.failure?.code, elapsed: ContinuousClock.now - started, requestId: requestId)
        return Response(status: answer.status, headers: answer.headers, body: ResponseBody(byteBuffer: answer.body))
    }

    /// The answer to send for `outcome`: the document with its content type and request id, and for an error
    /// the exception's status and `x-amzn-ErrorType`; `closing` adds `Connection: close`.
    static func answer(_ outcome: Result<JSONValue, ServiceError>, requestId: String, closing: Bool)
        -> (status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer)
    {
        var headers: HTTPFields = [.contentType: contentType, requestIdHeader: requestId]
        let (status, document): (HTTPResponse.Status, JSONValue)
        switch outcome {
        case .success(let response): (status, document) = (.ok, response)
        case .failure(let error):
            (status, document) = (error.httpStatus, error.wire)
            headers[errorTypeHeader] = error.code
        }
        if closing { headers[.connection] = "close" }
        return (status, headers, ByteBuffer(string: document.serialized()))
    }

    /// The checks in order — signature, content type, operation, JSON — then the call as the signer.
    private func answer(_ request: Request, body: [UInt8], identity: inout String?) async -> Result<JSONValue, ServiceError> {
        do throws(ServiceError) {
            let key = try await signatures.verify(Self.received(request, body: body))
            identity = key.identity
            try Self.checkContentType(of: request)
            let operation = try Self.operation(of: request)
            let document = try Self.document(from: body)
            return .success(try await call(operation, document, as: key.identity))
        } catch {
            return .failure(error)
        }
    }

    /// Calls the service that answers for the signer, so its writes record who made them.
    private func call(_ operation: String, _ document: JSONValue, as identity: String) async throws(ServiceError) -> JSONValue {
        try await RawOperation.call(operation, asSent: document, on: service(identity))
    }

    /// The body's bytes, or nil past the limit (declared, up to 2^64 − 1, or as it arrives).
    private func body(of request: Request) async throws -> [UInt8]? {
        if let declared = ConnectionGuard.declaredLength(request.head), declared > UInt64(bodyLimit) { return nil }
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= bodyLimit else { return nil }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// The request in the terms its signature covers: the target as sent and `Host` among the headers.
    static func received(_ request: Request, body: [UInt8]) -> ReceivedRequest {
        var headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
        // HTTP/1's Host header arrives as the request's authority.
        if let authority = request.head.authority { headers.append((name: "Host", value: authority)) }
        return ReceivedRequest(method: request.method.rawValue, target: request.head.path ?? "/", headers: headers, body: body)
    }

    /// Only AWS JSON 1.0 is spoken; a charset parameter is allowed. AWS answers another protocol with
    /// UnknownOperationException, as it finds no operation for it.
    static func checkContentType(of request: Request) throws(ServiceError) {
        let given = request.headers[.contentType] ?? ""
        let mediaType = given.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard request.method == .post, mediaType == contentType else {
            let what = request.method == .post ? "Content-Type \(ServiceError.excerpt(given))" : "\(request.method.rawValue) \(ServiceError.excerpt(request.head.path ?? "/"))"
            throw ServiceError(code: "UnknownOperationException", message: "This server speaks AWS JSON 1.0: POST with Content-Type \(contentType), not \(what)")
        }
    }

    /// The served operation `X-Amz-Target` names.
    static func operation(of request: Request) throws(ServiceError) -> String {
        guard let target = request.headers[HeaderName("X-Amz-Target")!] else {
            throw ServiceError(code: "UnknownOperationException", message: "The request has no X-Amz-Target header; send X-Amz-Target: \(targetPrefix)<Operation>")
        }
        guard target.hasPrefix(targetPrefix) else {
            throw ServiceError(code: "UnknownOperationException", message: "X-Amz-Target \(ServiceError.excerpt(target)) is not an operation of \(targetPrefix.dropLast()); send X-Amz-Target: \(targetPrefix)<Operation>")
        }
        return try RawOperation.operation(named: String(target.dropFirst(targetPrefix.count))).name
    }

    /// The body as a JSON object; an empty body is an empty request.
    static func document(from body: [UInt8]) throws(ServiceError) -> JSONValue {
        body.isEmpty ? .object([:]) : try RawOperation.document(parsing: body)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
