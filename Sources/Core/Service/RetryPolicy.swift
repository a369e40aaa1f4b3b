/// How often and how patiently to try again: up to `maxAttempts` in all, after an exponential backoff with
/// full jitter (a random wait between zero and `baseDelay × 2^(retry−1)`, at most `maxDelay`), so callers
/// that failed together spread out. The AWS transport uses it in the SDKs' standard retry mode (throttling,
/// transient errors, HTTP 500/502/503/504 and connection failures are tried again; conflicts, validation and
/// access errors never, as the caller must change the request first); the Lua read-modify-write helpers use
/// it to re-read and retry on ConflictException.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; 1 means no retries.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(20)) {
        (self.maxAttempts, self.baseDelay, self.maxDelay) = (max(1, maxAttempts), baseDelay, maxDelay)
    }

    /// The SDKs' defaults: 3 attempts, 100 ms base, 20 s cap.
    public static let standard = RetryPolicy()

    /// The wait before retry number `retry` (1 for the first), `random` in 0..<1 choosing where in the window.
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0..<1)) -> Duration {
        let window = min(baseDelay * (1 << min(retry - 1, 30)), maxDelay)
        return window * random
    }

    /// The error of the last attempt, its message saying that it was the last of `attempts`.
    public static func gaveUp(_ error: ServiceError, after attempts: Int) -> ServiceError {
        ServiceError(code: error.code, message: "\(error.message) (gave up after \(attempts) attempts)", reason: error.reason, errorList: error.errorList)
    }

    /// Whether a failed attempt with this error code and HTTP status (nil when no response came) is worth
    /// sending again unchanged.
    public static func isTransient(code: String, status: Int?) -> Bool {
        if neverRetried.contains(code) { return false }
        guard let status else { return true }
        return throttlingCodes.contains(code) || transientCodes.contains(code) || transientStatuses.contains(status)
    }

    /// The SDKs' throttling error codes.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "EC2ThrottledException",
    ]
    /// The SDKs' transient error codes, and the service's own fault and unavailability.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
        "InternalServerException", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException",
    ]
    static let transientStatuses: Set<Int> = [500, 502, 503, 504]
    /// Errors that the same request would meet again, whatever status carried them.
    static let neverRetried: Set<String> = [
        "ConflictException", "ValidationException", "AccessDeniedException", "ResourceNotFoundException",
        "ServiceQuotaExceededException", "UnrecognizedClientException", "InvalidSignatureException",
        "IncompleteSignature", "MissingAuthenticationToken", "ExpiredTokenException", "SignatureDoesNotMatch",
    ]
}
