import Core
import Foundation

/// The HTTP transport as the command line asks for it, resolved against the environment and the AWS CLI's
/// files the way the CLI resolves them: profile, region, endpoint, credentials, attempts and rate limit.
public struct HTTPTransportSettings: Sendable {
    public enum Target: Sendable, Equatable {
        /// `--endpoint-url`: any server that speaks the protocol (`engage serve`, a proxy, a stand-in).
        case endpoint(String)
        /// `--aws`: the service's own endpoint for the region.
        case aws
    }

    public var target: Target
    /// `--profile`; nil reads `AWS_PROFILE`, then `default`.
    public var profile: String?
    /// `--region`; nil reads `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile, then `us-east-1`.
    public var region: String?
    /// `--max-attempts`; nil reads `AWS_MAX_ATTEMPTS`, the profile's `max_attempts`, then 3.
    public var maxAttempts: Int?
    /// `--max-rps`, 0 for no limit; nil is no limit for an endpoint and AWS's quotas (`AWSQuotas`) for AWS.
    public var maxRequestsPerSecond: Double?

    public init(target: Target, profile: String? = nil, region: String? = nil, maxAttempts: Int? = nil, maxRequestsPerSecond: Double? = nil) {
        (self.target, self.profile, self.region, self.maxAttempts, self.maxRequestsPerSecond) = (target, profile, region, maxAttempts, maxRequestsPerSecond)
    }

    /// The transport these settings describe. A named profile that neither file has, a bad endpoint URL or
    /// a bad `AWS_MAX_ATTEMPTS` is an error; missing credentials are an error at the first call.
    public func service(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ServiceError) -> HTTPEngagementService {
        // Files the credential chain cannot read are its error, at the first call: here they hold no settings.
        let config = (try? AWSSharedConfig(environment: environment)) ?? AWSSharedConfig.empty
        let profileName = AWSSharedConfig.profileName(explicit: profile, environment: environment)
        let region = AWSEndpoint.region(explicit: region, profile: profileName, config: config, environment: environment)
        // The AWS CLI's whole chain: the environment, then the profile's roles, SSO, keys and credential_process.
        let credentials = AWSProfileCredentials(profile: profile, region: region, environment: environment, httpClient: SharedHTTPClient.client)
        // Signed into every request and part of the real endpoint's host, a region must be a DNS label.
        guard AWSEndpoint.isValidRegion(region) else { throw AWSEndpoint.invalidRegion(region) }
        let endpoint: AWSEndpoint
        switch target {
        case .aws:
            endpoint = try .service(region: region)
        case .endpoint(let text):
            guard let given = AWSEndpoint(url: text, region: region) else { throw Self.badURL(text) }
            endpoint = given
        }
        let fromEnvironment = try Self.attempts(environment["AWS_MAX_ATTEMPTS"], from: "AWS_MAX_ATTEMPTS")
        let fromProfile = try Self.attempts(config.profiles[profileName]?.configFile["max_attempts"],
            from: "max_attempts of profile '\(profileName)' in \(config.configPath)")
        let attempts = maxAttempts ?? fromEnvironment ?? fromProfile ?? RetryPolicy.standard.maxAttempts
        let limiter: RequestRateLimiter? = switch (maxRequestsPerSecond, target) {
        case (let rate?, _): rate > 0 ? RequestRateLimiter(requestsPerSecond: rate) : nil
        case (nil, .aws): RequestRateLimiter(rates: AWSQuotas.requestsPerSecond)
        case (nil, .endpoint): nil
        }
        return HTTPEngagementService(endpoint: endpoint, credentials: credentials, retry: RetryPolicy(maxAttempts: attempts), limiter: limiter)
    }

    /// The error for an `--endpoint-url` that is not an http or https URL with a host, saying what is wrong with it.
    public static func badURL(_ text: String) -> ServiceError {
        ServiceError(code: "ValidationException", message: "--endpoint-url \(ServiceError.excerpt(text)) \(AWSEndpoint.problem(with: text) ?? "cannot be used")")
    }

    static func attempts(_ text: String?, from source: String) throws(ServiceError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1 else {
            throw ServiceError(code: "ValidationException", message: "\(source) must be a whole number of attempts, 1 or more, not \(ServiceError.excerpt(text))")
        }
        return count
    }
}
