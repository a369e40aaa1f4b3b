import Core

/// Where a profile's credentials come from, decided from the files alone (nothing is run or sent), in
/// botocore's order: the environment (unless a profile was named explicitly), `role_arn`, IAM Identity
/// Center, static keys of the credentials file, `credential_process`, static keys of the config file.
indirect enum CredentialSource: Sendable, Equatable {
    case environment
    /// `aws_access_key_id` and its secret in the profile's section of the credentials file…
    case credentialsFileKeys(AWSCredentials)
    /// …or of the config file.
    case configFileKeys(AWSCredentials)
    case assumeRole(AssumeRoleSettings, source: CredentialSource)
    case process(command: String, profile: String)
    case sso(SSOSettings)

    /// The name botocore gives the same source (`Credentials.method`), which the tests compare with.
    var method: String {
        switch self {
        case .environment: "env"
        case .credentialsFileKeys: "shared-credentials-file"
        case .configFileKeys: "config-file"
        case .assumeRole: "assume-role"
        case .process: "custom-process"
        case .sso: "sso"
        }
    }
}

/// What an `AssumeRole` call needs from a profile.
struct AssumeRoleSettings: Sendable, Equatable {
    let profile: String
    let roleArn: String
    let roleSessionName: String?
    let externalId: String?
    let durationSeconds: Int?
}

/// What `GetRoleCredentials` needs from an IAM Identity Center profile.
struct SSOSettings: Sendable, Equatable {
    let profile: String
    /// The `[sso-session NAME]` the profile names; nil for the legacy form with `sso_start_url` in the profile.
    let sessionName: String?
    let startURL: String
    let region: String
    let accountId: String
    let roleName: String

    /// The name of the file `aws sso login` caches the token in: the SHA-1 of the session's name, or of the
    /// start URL in the legacy form.
    var cacheKey: String { sessionName ?? startURL }
}

extension CredentialSource {
    /// The source for `profile`, a `--profile` that wins over environment keys as in the AWS CLI; nil for
    /// environment keys first, then `AWS_PROFILE`, else `default`.
    static func resolve(profile: String?, config: AWSSharedConfig, environment: [String: String]) throws(ServiceError) -> CredentialSource {
        let name = profile ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        if profile == nil, try environmentKeys(environment) != nil { return .environment }
        guard config.profiles[name] != nil else {
            if name == "default" {
                throw .noCredentials("no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and neither \(config.credentialsPath) nor \(config.configPath) has a default profile. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run 'aws configure' (or 'aws configure sso'), or name a profile with --profile")
            }
            throw .profileNotFound("the profile '\(name)' is in neither \(config.configPath) nor \(config.credentialsPath)")
        }
        return try ProfileWalk(config: config, environment: environment).source(of: name, visited: [name], topLevel: true)
    }

    /// The keys of `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; nil when neither key is set.
    static func environmentKeys(_ environment: [String: String]) throws(ServiceError) -> AWSCredentials? {
        let id = nonEmpty(environment["AWS_ACCESS_KEY_ID"]), secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        switch (id, secret) {
        case (nil, nil): return nil
        case (let id?, let secret?): return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]))
        case (nil, _): throw .partialCredentials("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (_, nil): throw .partialCredentials("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
    }

    fileprivate static func nonEmpty(_ value: String?) -> String? { value?.isEmpty == false ? value : nil }
}

/// One walk down a profile's `source_profile` links, remembering the profiles passed to catch a loop.
private struct ProfileWalk {
    let config: AWSSharedConfig
    let environment: [String: String]

    func source(of name: String, visited: [String], topLevel: Bool) throws(ServiceError) -> CredentialSource {
        let profile = config.profiles[name]!
        // A source profile with static keys uses them even if it also has a role_arn (so a profile can be its
        // own source_profile); only the profile asked for, or a keyless source, assumes its role.
        if profile["role_arn"] != nil, profile["web_identity_token_file"] == nil, topLevel || !hasStaticKeys(profile) {
            return try assumeRole(profile, visited: visited)
        }
        if profile["web_identity_token_file"] != nil {
            throw .invalidConfig("the profile '\(name)' uses web_identity_token_file, which engage does not support")
        }
        if profile["sso_account_id"] != nil || profile["sso_role_name"] != nil {
            return .sso(try ssoSettings(profile))
        }
        if let keys = try staticKeys(profile.credentialsFile, profile: name, file: config.credentialsPath) {
            return .credentialsFileKeys(keys)
        }
        if let command = profile["credential_process"] {
            return .process(command: command, profile: name)
        }
        if let keys = try staticKeys(profile.configFile, profile: name, file: config.configPath) {
            return .configFileKeys(keys)
        }
        if topLevel {
            throw .noCredentials("the profile '\(name)' has no credentials: no aws_access_key_id, role_arn, credential_process or sso_account_id in \(config.configPath) or \(config.credentialsPath)")
        }
        throw .invalidConfig("the source profile '\(name)' has no credentials (\(visited.joined(separator: " → ")))")
    }

    private func assumeRole(_ profile: AWSSharedConfig.Profile, visited: [String]) throws(ServiceError) -> CredentialSource {
        let name = profile.name
        if profile["mfa_serial"] != nil {
            throw .invalidConfig("the profile '\(name)' needs an MFA code (mfa_serial), which engage cannot ask for; use a profile with credential_process or SSO instead")
        }
        var duration: Int?
        if let text = profile["duration_seconds"] {
            guard let seconds = Int(text), seconds > 0 else {
                throw .invalidConfig("the profile '\(name)' has duration_seconds = '\(text)'; it must be a whole number of seconds, such as 3600")
            }
            duration = seconds
        }
        let settings = AssumeRoleSettings(profile: name, roleArn: profile["role_arn"]!, roleSessionName: profile["role_session_name"],
                                          externalId: profile["external_id"], durationSeconds: duration)
        switch (profile["source_profile"], profile["credential_source"]) {
        case (.some, .some):
            throw .invalidConfig("the profile '\(name)' has both source_profile and credential_source; keep one")
        case (nil, nil):
            throw .invalidConfig("the profile '\(name)' has role_arn but neither source_profile nor credential_source to assume it with")
        case (nil, let credentialSource?):
            guard credentialSource == "Environment" else {
                throw .invalidConfig("the profile '\(name)' has credential_source = \(credentialSource); engage supports only Environment")
            }
            return .assumeRole(settings, source: .environment)
        case (let sourceName?, nil):
            guard let sourceProfile = config.profiles[sourceName] else {
                throw .invalidConfig("the source_profile '\(sourceName)' of the profile '\(name)' is in neither \(config.configPath) nor \(config.credentialsPath)")
            }
            if visited.contains(sourceName), !(sourceName == name && hasStaticKeys(sourceProfile)) {
                throw .credentialLoop("the profile '\(visited[0])' has a source_profile loop: \((visited + [sourceName]).joined(separator: " → "))")
            }
            return .assumeRole(settings, source: try source(of: sourceName, visited: visited + [sourceName], topLevel: false))
        }
    }

    private func ssoSettings(_ profile: AWSSharedConfig.Profile) throws(ServiceError) -> SSOSettings {
        let name = profile.name
        var settings = profile.configFile.merging(profile.credentialsFile) { $1 }.filter { !$0.value.isEmpty }
        var required = ["sso_start_url", "sso_region", "sso_account_id", "sso_role_name"]
        if let sessionName = profile["sso_session"] {
            guard let session = config.ssoSessions[sessionName] else {
                throw .invalidConfig("the profile '\(name)' names sso_session '\(sessionName)', but \(config.configPath) has no [sso-session \(sessionName)]")
            }
            for (key, value) in session where !value.isEmpty {
                if let own = settings[key], own != value {
                    throw .invalidConfig("the profile '\(name)' has \(key) = \(own) but its sso-session '\(sessionName)' has \(value)")
                }
                settings[key] = value
            }
            required.append("sso_session")
        }
        let missing = required.filter { settings[$0] == nil }
        guard missing.isEmpty else {
            throw .invalidConfig("the profile '\(name)' is set up for IAM Identity Center but lacks \(missing.joined(separator: ", "))")
        }
        return SSOSettings(profile: name, sessionName: settings["sso_session"], startURL: settings["sso_start_url"]!,
                           region: settings["sso_region"]!, accountId: settings["sso_account_id"]!, roleName: settings["sso_role_name"]!)
    }

    private func hasStaticKeys(_ profile: AWSSharedConfig.Profile) -> Bool {
        profile["aws_access_key_id"] != nil || profile["aws_secret_access_key"] != nil
    }

    private func staticKeys(_ section: [String: String], profile: String, file: String) throws(ServiceError) -> AWSCredentials? {
        let id = CredentialSource.nonEmpty(section["aws_access_key_id"]), secret = CredentialSource.nonEmpty(section["aws_secret_access_key"])
        switch (id, secret) {
        case (nil, nil): return nil
        case (let id?, let secret?):
            return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: CredentialSource.nonEmpty(section["aws_session_token"]))
        case (nil, _): throw .partialCredentials("the profile '\(profile)' in \(file) has aws_secret_access_key but no aws_access_key_id")
        case (_, nil): throw .partialCredentials("the profile '\(profile)' in \(file) has aws_access_key_id but no aws_secret_access_key")
        }
    }
}
