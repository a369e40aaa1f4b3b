import Core

/// The errors of credential resolution, named as botocore names them (`ProfileNotFound`,
/// `InfiniteLoopConfigError`, `UnauthorizedSSOTokenError`…) so they read as the AWS CLI's do. Their messages
/// name files, profiles and roles, never a secret key, session token or SSO access token.
extension ServiceError {
    /// No source of credentials at all.
    static func noCredentials(_ message: String) -> ServiceError { ServiceError(code: "NoCredentialsError", message: message) }

    /// A profile that neither file defines.
    static func profileNotFound(_ message: String) -> ServiceError { ServiceError(code: "ProfileNotFound", message: message) }

    /// A profile whose settings do not add up (a missing `sso_region`, both `source_profile` and `credential_source`…).
    static func invalidConfig(_ message: String) -> ServiceError { ServiceError(code: "InvalidConfigError", message: message) }

    /// An access key without its secret, or the other way round.
    static func partialCredentials(_ message: String) -> ServiceError { ServiceError(code: "PartialCredentialsError", message: message) }

    /// `source_profile` leads back to a profile already on the way.
    static func credentialLoop(_ message: String) -> ServiceError { ServiceError(code: "InfiniteLoopConfigError", message: message) }

    /// A source that was asked and failed: `credential_process`, STS or the SSO portal out of reach.
    static func credentialRetrieval(_ message: String) -> ServiceError { ServiceError(code: "CredentialRetrievalError", message: message) }

    /// The SSO sign-in is missing, expired or refused: the remedy is `aws sso login`.
    static func ssoLoginNeeded(profile: String, _ why: String) -> ServiceError {
        ServiceError(code: "UnauthorizedSSOTokenError", message: "\(why): run 'aws sso login --profile \(profile)'")
    }
}
