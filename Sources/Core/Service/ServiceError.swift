/// An error of the service, named by its exception shape (`ConflictException`), with its message and the
/// modeled fields of a `ValidationException`.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception's name as the service sends it in `__type`.
    public let code: String
    public let message: String
    /// `REQUEST_VALIDATION_FAILED` or `BUSINESS_VALIDATION_FAILED` for a `ValidationException`.
    public let reason: ValidationExceptionReason?
    public let errorList: [ValidationExceptionError]

    public init(code: String, message: String, reason: ValidationExceptionReason? = nil, errorList: [ValidationExceptionError] = []) {
        self.code = code
        self.message = message
        self.reason = reason
        self.errorList = errorList
    }

    /// Worth retrying unchanged: throttling, a conflict (after re-reading) or a fault of the server.
    public var isRetryable: Bool {
        ["ThrottlingException", "InternalServerException", "ConflictException"].contains(code)
    }

    /// The request broke the model's constraints; `issues` says where.
    public static func requestValidation(_ issues: [ValidationExceptionError]) -> ServiceError {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return ServiceError(code: "ValidationException", message: "The request has \(count): \(issues.map(\.description).joined(separator: "; "))",
            reason: .requestValidationFailed, errorList: issues)
    }

    /// The request is well formed but breaks a rule of the service about the data it touches.
    public static func businessValidation(_ field: String, _ message: String, code: ValidationExceptionErrorCode = .invalidValue) -> ServiceError {
        ServiceError(code: "ValidationException", message: "\(field): \(message)", reason: .businessValidationFailed,
            errorList: [ValidationExceptionError(fieldName: field, message: message, code: code)])
    }

    /// A request body that is not a JSON object in UTF-8, which AWS answers with `SerializationException`;
    /// the message names the member being read (`at Description`) when there is one.
    public static func unreadableRequest(_ error: JSONSyntaxError) -> ServiceError {
        serialization("the request is not valid JSON: \(error)")
    }

    public static func serialization(_ message: String) -> ServiceError { ServiceError(code: "SerializationException", message: message) }
    public static func conflict(_ message: String) -> ServiceError { ServiceError(code: "ConflictException", message: message) }
    public static func notFound(_ message: String) -> ServiceError { ServiceError(code: "ResourceNotFoundException", message: message) }
    public static func quotaExceeded(_ message: String) -> ServiceError { ServiceError(code: "ServiceQuotaExceededException", message: message) }
    public static func throttling(_ message: String) -> ServiceError { ServiceError(code: "ThrottlingException", message: message) }
    /// An operation of the model that this service (a backend, or a dry run's overlay) does not answer.
    public static func notServed(_ operation: String) -> ServiceError {
        ServiceError(code: "UnknownOperationException", message: "\(operation) is an operation of the model that this backend does not serve")
    }
    public static func internalError(_ message: String) -> ServiceError { ServiceError(code: "InternalServerException", message: message) }

    /// A value quoted for an error message, cut to its first 120 characters when it is longer than 200 (an
    /// ARN fits whole), so a 10 MB id does not come back whole: `'eng-aaaa…' (10485760 characters)`.
    public static func excerpt(_ text: String, quoted: Bool = true) -> String {
        let quote = quoted ? "'" : ""
        guard text.count > 200 else { return quote + text + quote }
        return "\(quote)\(text.prefix(120))…\(quote) (\(text.count) characters)"
    }

    /// `ValidationException: The request has 1 problem: Title: must be 1 to 40 characters, got 41`
    public var description: String { "\(code): \(message)" }

    /// The AWS JSON 1.0 error document: `__type`, `message` and the modeled fields. The exception shapes
    /// name their member `Message`, which boto3 reads into `e.response['Message']`; `message` is what
    /// botocore reads into `e.response['Error']['Message']`, so both are sent.
    public var wire: JSONValue {
        var document: JSONValue.Members = ["__type": .string(code), "message": .string(message), "Message": .string(message)]
        if let reason { document["Reason"] = .string(reason.rawValue) }
        if !errorList.isEmpty { document["ErrorList"] = errorList.wire }
        return .object(document)
    }
}
