import AWSTransport
import Core
import Hummingbird

/// What the server answers besides the service's own exceptions, named as AWS names them.
extension ServiceError {
    /// The HTTP status of this exception. botocore reads the exception from the body's `__type` whatever the
    /// status, but retries by status too (429 and 5xx), so each exception gets the status AWS gives it.
    var httpStatus: HTTPResponse.Status {
        switch code {
        case "AccessDeniedException", "MissingAuthenticationTokenException", "IncompleteSignatureException",
            "InvalidSignatureException", "UnrecognizedClientException":
            .forbidden
        case "ResourceNotFoundException": .notFound
        case "ConflictException": .conflict
        case "RequestEntityTooLargeException": .contentTooLarge
        case "RequestTimeoutException": .requestTimeout
        case "ServiceQuotaExceededException": HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
        case "ThrottlingException": .tooManyRequests
        case "InternalServerException": .internalServerError
        default: .badRequest
        }
    }

    /// The request carries no `Authorization` header.
    static let missingAuthenticationToken = ServiceError(
        code: "MissingAuthenticationTokenException",
        message: "Request is missing Authentication Token: sign it with Signature Version 4 (boto3, the AWS CLI and engage do)")

    /// The signature is there but cannot be read, or lacks a part SigV4 needs.
    static func incompleteSignature(_ message: String) -> ServiceError {
        ServiceError(code: "IncompleteSignatureException", message: message)
    }

    /// The signature does not verify: wrong secret, altered request, wrong scope or too far from now.
    static func invalidSignature(_ message: String) -> ServiceError {
        ServiceError(code: "InvalidSignatureException", message: message)
    }

    /// The access key is not one the server was started with (AWS's words for an unknown key or token).
    static func unrecognizedClient(_ accessKeyId: String) -> ServiceError {
        invalidSecurityToken("this server knows no access key \(excerpt(accessKeyId))")
    }

    /// The key is known but the session token is wrong or missing; `why` says which.
    static func invalidSecurityToken(_ why: String) -> ServiceError {
        ServiceError(code: "UnrecognizedClientException", message: "The security token included in the request is invalid: \(why)")
    }

    /// A body that could not be read to its end: the connection ended before Content-Length bytes came, or
    /// the chunked framing was broken.
    static func unreadableBody(_ error: any Error) -> ServiceError {
        ServiceError(
            code: "SerializationException",
            message: "The request body could not be read to its end (\(MalformedHTTP.words(for: error))): the connection ended before the bytes Content-Length announced, or the chunked encoding is broken")
    }

    /// A body past the server's limit; `declared` is its Content-Length when it has one.
    static func tooLarge(limit: Int, declared: UInt64?) -> ServiceError {
        let size = declared.map { "is \($0) bytes" } ?? "is longer"
        return ServiceError(code: "RequestEntityTooLargeException", message: "The request body \(size); at most \(limit) bytes are accepted")
    }

    /// A body that did not arrive within the time allowed after its head. botocore retries this exception.
    static func bodyTimedOut(after limit: Duration) -> ServiceError {
        ServiceError(
            code: "RequestTimeoutException",
            message: "The request body did not arrive within \(ServerLimits.words(limit)) of its head; send it without pauses (engage serve --body-timeout sets the limit)")
    }

    /// A request the HTTP/1.1 parser refused before there was a request to answer for; `problem` says what.
    static func malformedHTTP(_ problem: String) -> ServiceError {
        ServiceError(code: "SerializationException", message: "The request is not HTTP/1.1 engage serve can read: \(problem)")
    }
}
