import AsyncHTTPClient
import Core
import Foundation

/// The AWS CLI's credentials for a profile: environment keys (unless the profile was named explicitly),
/// then what the profile says in `~/.aws/config` and `~/.aws/credentials` — `role_arn` with
/// `source_profile` chains (STS AssumeRole), IAM Identity Center (`sso_session` or `sso_start_url`), static
/// keys, `credential_process`. Temporary credentials are kept in memory and fetched again five minutes
/// before they expire, one fetch at a time.
///
/// The files are read on the first call to `credentials()`, and again after a call that failed.
public final class AWSProfileCredentials: AWSCredentialProvider {
    /// The profile asked for: `--profile`, else `AWS_PROFILE`, else `default`.
    public let profileName: String
    private let explicitProfile: Bool
    private let region: String?
    private let environment: [String: String]
    private let client: HTTPClient
    private let requestTimeout: Duration
    private let built = BuiltProvider()

    /// - Parameters:
    ///   - profile: `--profile`; nil to take `AWS_PROFILE`, else `default`, with environment keys first.
    ///   - region: `--region`, the region of STS's endpoint; nil for `AWS_REGION`, `AWS_DEFAULT_REGION`,
    ///     the profile's `region`, else `us-east-1`.
    ///   - environment: where `HOME`, `AWS_*` variables and the files' overrides are read, and what a
    ///     `credential_process` runs with.
    ///   - httpClient: the client for STS and the SSO portal.
    ///   - requestTimeout: how long one call to STS or the portal may take, connecting included.
    public init(profile: String? = nil, region: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                httpClient: HTTPClient = .shared, requestTimeout: Duration = .seconds(30)) {
        profileName = AWSSharedConfig.profileName(explicit: profile, environment: environment)
        (explicitProfile, self.region, self.environment, client, self.requestTimeout) = (profile != nil, region, environment, httpClient, requestTimeout)
    }

    public func credentials() async throws(ServiceError) -> AWSCredentials {
        try await built.provider { [self] () throws(ServiceError) in try makeProvider() }.credentials()
    }

    private func makeProvider() throws(ServiceError) -> any AWSCredentialProvider {
        let config = try AWSSharedConfig(environment: environment)
        let source = try CredentialSource.resolve(profile: explicitProfile ? profileName : nil, config: config, environment: environment)
        let stsRegion = [region, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], config.profiles[profileName]?["region"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? defaultRegion
        return try provider(for: source, stsRegion: stsRegion)
    }

    private func provider(for source: CredentialSource, stsRegion: String) throws(ServiceError) -> any AWSCredentialProvider {
        switch source {
        case .environment:
            guard let keys = try CredentialSource.environmentKeys(environment) else {
                throw .noCredentials("credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
            }
            return FixedCredentials(keys: keys)
        case .credentialsFileKeys(let keys), .configFileKeys(let keys):
            return FixedCredentials(keys: keys)
        case .assumeRole(let settings, let sourceOfSource):
            let role = AssumeRole(
                settings: settings, source: try provider(for: sourceOfSource, stsRegion: stsRegion), region: stsRegion,
                endpoint: CredentialEndpoint(service: "STS", standard: "https://sts.\(stsRegion).amazonaws.com", environment: environment, client: client, timeout: requestTimeout))
            return RefreshingCredentials { () async throws(ServiceError) in try await role.fetch() }
        case .process(let command, let profile):
            let process = ProcessCredentials(command: command, profile: profile, environment: environment)
            return RefreshingCredentials { () async throws(ServiceError) in try await process.fetch() }
        case .sso(let settings):
            let sso = SSOCredentials(
                settings: settings, cacheFolder: AWSSharedConfig.ssoCacheFolder(environment: environment),
                endpoint: CredentialEndpoint(service: "SSO", standard: "https://portal.sso.\(settings.region).amazonaws.com", environment: environment, client: client, timeout: requestTimeout),
                now: Date.init)
            return RefreshingCredentials { () async throws(ServiceError) in try await sso.fetch() }
        }
    }
}

/// The provider built from the files, once they were read without error.
private actor BuiltProvider {
    private var provider: (any AWSCredentialProvider)?

    func provider(_ make: @Sendable () throws(ServiceError) -> any AWSCredentialProvider) throws(ServiceError) -> any AWSCredentialProvider {
        if let provider { return provider }
        let made = try make()
        provider = made
        return made
    }
}
