import Foundation

/// Where the HTTP transport gets the keys it signs each request with.
public protocol AWSCredentialProvider: Sendable {
    /// Credentials to sign with now; an error saying what to fix when there are none.
    func credentials() async throws(ServiceError) -> AWSCredentials
}

/// One place credentials may be configured, a link of a `CredentialChain`.
public protocol AWSCredentialSource: Sendable, CustomStringConvertible {
    /// The credentials configured here; nil when nothing is, so the chain asks the next source; an error
    /// when something is but cannot be used (a key without its secret, a failing command, an expired login).
    func resolve() async throws(ServiceError) -> AWSCredentials?
}

/// Fixed credentials sign as themselves (tests, and a server checking one key pair).
extension AWSCredentials: AWSCredentialProvider, CustomStringConvertible, CustomDebugStringConvertible {
    public func credentials() async throws(ServiceError) -> AWSCredentials { self }

    /// The access key id alone: secrets never reach a message or a log.
    public var description: String { "AWSCredentials(\(accessKeyId)\(sessionToken == nil ? "" : ", session"))" }
    public var debugDescription: String { description }
}

/// Credentials tried source by source, in order; the first that has them wins and is asked again on later
/// calls. Credentials without an expiry are kept for the process; expiring ones until five minutes before.
public actor CredentialChain: AWSCredentialProvider {
    public let sources: [any AWSCredentialSource]
    /// The profile the sources read, for the message when none has credentials.
    public let profile: String
    private var cached: AWSCredentials?
    private var winner: Int?

    public init(sources: [any AWSCredentialSource], profile: String) {
        (self.sources, self.profile) = (sources, profile)
    }

    /// The AWS CLI's order for `profile` (`--profile` when `explicit`, else `AWS_PROFILE`, else `default`):
    /// the environment (skipped when `--profile` names one, as the CLI skips it), then the profile's keys in
    /// the credentials file, then in the config file. A named profile neither file has is an error.
    public static func standard(
        profile explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        files: AWSConfigFiles? = nil
    ) throws(ServiceError) -> CredentialChain {
        let files = files ?? AWSConfigFiles(environment: environment)
        let profile = AWSConfigFiles.profileName(explicit: explicit, environment: environment)
        if profile != "default", !files.hasProfile(profile) {
            throw ServiceError(code: "ProfileNotFound",
                message: "the profile '\(profile)' is in neither \(files.credentialsPath) nor \(files.configPath); `aws configure --profile \(profile)` creates it")
        }
        var sources: [any AWSCredentialSource] = []
        if explicit == nil { sources.append(EnvironmentCredentials(environment: environment)) }
        sources.append(ProfileKeyCredentials(profile: profile, in: .credentials, of: files))
        sources.append(ProfileKeyCredentials(profile: profile, in: .config, of: files))
        return CredentialChain(sources: sources, profile: profile)
    }

    public func credentials() async throws(ServiceError) -> AWSCredentials {
        if let cached, Self.isFresh(cached) { return cached }
        if let winner, let found = try await sources[winner].resolve() { return keep(found, from: winner) }
        for (index, source) in sources.enumerated() {
            if let found = try await source.resolve() { return keep(found, from: index) }
        }
        throw ServiceError(code: "NoCredentialsError", message: """
            no AWS credentials found for profile '\(profile)'; looked at \(sources.map(\.description).joined(separator: ", ")). \
            Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the profile aws_access_key_id and \
            aws_secret_access_key (`aws configure --profile \(profile)`)
            """)
    }

    private func keep(_ credentials: AWSCredentials, from index: Int) -> AWSCredentials {
        (cached, winner) = (credentials, index)
        return credentials
    }

    static func isFresh(_ credentials: AWSCredentials, now: Date = Date()) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.timeIntervalSince(now) > 300
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the older `AWS_SECURITY_TOKEN`).
public struct EnvironmentCredentials: AWSCredentialSource {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var description: String { "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" }

    public func resolve() throws(ServiceError) -> AWSCredentials? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return try AWSCredentials.keyPair(id: value("AWS_ACCESS_KEY_ID"), secret: value("AWS_SECRET_ACCESS_KEY"),
            token: value("AWS_SESSION_TOKEN") ?? value("AWS_SECURITY_TOKEN"),
            idName: "AWS_ACCESS_KEY_ID", secretName: "AWS_SECRET_ACCESS_KEY", place: "the environment")
    }
}

/// A profile's `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token` in one of the two files.
public struct ProfileKeyCredentials: AWSCredentialSource {
    public enum File: Sendable { case credentials, config }

    public let profile: String
    public let file: File
    let files: AWSConfigFiles

    public init(profile: String, in file: File, of files: AWSConfigFiles) {
        (self.profile, self.file, self.files) = (profile, file, files)
    }

    private var path: String { file == .credentials ? files.credentialsPath : files.configPath }
    private var section: String { file == .credentials || profile == "default" ? profile : "profile \(profile)" }

    public var description: String { "\(path) [\(section)]" }

    public func resolve() throws(ServiceError) -> AWSCredentials? {
        let settings = (file == .credentials ? files.credentialsProfile(profile) : files.configProfile(profile)) ?? [:]
        func value(_ key: String) -> String? { settings[key].flatMap { $0.isEmpty ? nil : $0 } }
        return try AWSCredentials.keyPair(id: value("aws_access_key_id"), secret: value("aws_secret_access_key"),
            token: value("aws_session_token") ?? value("aws_security_token"),
            idName: "aws_access_key_id", secretName: "aws_secret_access_key", place: "\(path) [\(section)]")
    }
}

extension AWSCredentials {
    /// Long-term or session keys from a pair of settings; nil when neither is set, an error naming the
    /// missing one (never a value) when only one is.
    static func keyPair(id: String?, secret: String?, token: String?, idName: String, secretName: String, place: String) throws(ServiceError) -> AWSCredentials? {
        switch (id, secret) {
        case (nil, nil): return nil
        case (let id?, let secret?): return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token)
        case (nil, _), (_, nil):
            let (present, missing) = id == nil ? (secretName, idName) : (idName, secretName)
            throw ServiceError(code: "PartialCredentialsError", message: "\(place) has \(present) but not \(missing); set both, or neither")
        }
    }
}
