import Core
import Foundation

/// Where the HTTP transport gets the keys it signs each request with.
public protocol AWSCredentialProvider: Sendable {
    /// Credentials to sign with now; an error saying what to fix when there are none.
    func credentials() async throws(ServiceError) -> AWSCredentials
}

/// Fixed credentials sign as themselves (tests, and a server checking one key pair). Their description
/// redacts the secrets (AWSCredentials+Redacted.swift).
extension AWSCredentials: AWSCredentialProvider {
    public func credentials() async throws(ServiceError) -> AWSCredentials { self }
}
