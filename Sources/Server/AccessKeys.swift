import Core
import Foundation

/// An access key the server accepts: its credentials, and the identity its requests write as
/// (`CreatedBy`, `ModifiedBy`) and are logged under.
public struct SigningKey: Sendable, Equatable {
    public let credentials: AWSCredentials
    /// A value of the model's `AwsAccount` shape: an account id, or a short name such as `alice`.
    public let identity: String

    public init(credentials: AWSCredentials, identity: String) {
        (self.credentials, self.identity) = (credentials, identity)
    }
}

/// Where the server finds the secret behind a request's access key. A seam: a credentials file and the
/// environment are the sources today; a source that refreshes temporary credentials fits behind it too.
public protocol AccessKeyDirectory: Sendable {
    /// The key `accessKeyId` names, or nil when the server does not know it.
    func signingKey(for accessKeyId: String) async -> SigningKey?
    /// Where the keys come from, for the server's first log line: `2 access keys from team.json`.
    var source: String { get }
}

/// A fixed set of access keys, from a credentials file or the environment.
public struct AccessKeys: AccessKeyDirectory {
    private let keys: [String: SigningKey]
    public let source: String

    /// Refuses two keys with one id and identities that `CreatedBy` cannot hold.
    public init(_ keys: [SigningKey], source: String) throws(AccessKeysError) {
        var byId: [String: SigningKey] = [:]
        for (index, key) in keys.enumerated() {
            let place = "AccessKeys[\(index)]: "
            guard byId[key.credentials.accessKeyId] == nil else {
                throw AccessKeysError("\(place)access key \(key.credentials.accessKeyId) is listed twice")
            }
            guard ModelValidator.validate(.string(key.identity), as: "AwsAccount").isEmpty else {
                throw AccessKeysError("\(place)Identity '\(key.identity)' is not an AwsAccount: 12 digits (an account id) or 1 to 12 letters, digits or underscores, since it is recorded as CreatedBy and ModifiedBy")
            }
            byId[key.credentials.accessKeyId] = key
        }
        guard !byId.isEmpty else { throw AccessKeysError("no access keys: the server would refuse every request") }
        self.keys = byId
        self.source = source
    }

    public func signingKey(for accessKeyId: String) async -> SigningKey? { keys[accessKeyId] }

    /// The key the client's own credential chain finds in `environment` (the AWS CLI's order: environment
    /// variables, then the profile's keys, role, SSO or credential_process), writing as the sandbox's account.
    /// Resolved once, at start: temporary credentials that expire later are not fetched again.
    public static func resolved(from environment: [String: String]) async throws(AccessKeysError) -> AccessKeys {
        let credentials: AWSCredentials
        do {
            credentials = try await AWSProfileCredentials(environment: environment).credentials()
        } catch {
            throw AccessKeysError("no credentials to check signatures against: give --credentials-file FILE, or set credentials as for the AWS CLI (\(error.message))")
        }
        return try AccessKeys([SigningKey(credentials: credentials, identity: SandboxService.accountId)],
                              source: "access key \(credentials.accessKeyId) from the AWS credential chain")
    }
}

/// A credentials file or environment the server cannot use; the message says what to change.
public struct AccessKeysError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
