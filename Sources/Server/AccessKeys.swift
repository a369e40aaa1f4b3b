import AWSTransport
import Core
import Foundation
import Sandbox

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
    /// What the server should warn about at start, such as a credentials file other users may open.
    var warnings: [String] { get }
}

extension AccessKeyDirectory {
    public var warnings: [String] { [] }
}

/// A fixed set of access keys, from a credentials file or the environment.
public struct AccessKeys: AccessKeyDirectory {
    private let keys: [String: SigningKey]
    public let source: String
    public let warnings: [String]

    /// Refuses two keys with one id, key ids no signature can carry and identities that `CreatedBy` cannot hold.
    public init(_ keys: [SigningKey], source: String, warnings: [String] = []) throws(AccessKeysError) {
        var byId: [String: SigningKey] = [:]
        for (index, key) in keys.enumerated() {
            let place = "AccessKeys[\(index)]: "
            if let problem = Self.problem(withKeyId: key.credentials.accessKeyId) { throw AccessKeysError(place + problem) }
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
        self.warnings = warnings
    }

    /// Why no request could ever be signed with `id`, or nil. The id is the first part of the credential
    /// scope `ID/YYYYMMDD/REGION/SERVICE/aws4_request` in a comma-separated `Authorization` header, so it
    /// cannot hold `/`, `,`, `=`, white space or control characters (AWS's own ids are letters and digits).
    static func problem(withKeyId id: String) -> String? {
        let refused = id.unicodeScalars.first { !(0x21...0x7E).contains($0.value) || "/,=;".unicodeScalars.contains($0) }
        guard let refused else { return nil }
        let what = refused.properties.isWhitespace || refused.value < 0x20 || refused.value == 0x7F
            ? "a space or control character" : "'\(Character(refused))'"
        return "AccessKeyId \(ServiceError.excerpt(id)) can never sign a request: it holds \(what), which the credential scope KEY/DAY/REGION/SERVICE/aws4_request cannot carry; AWS's key ids are letters and digits"
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
        if let problem = problem(withKeyId: credentials.accessKeyId) { throw AccessKeysError("the AWS credential chain's key: \(problem)") }
        return try AccessKeys([SigningKey(credentials: credentials, identity: SandboxService.accountId)],
                              source: "access key \(credentials.accessKeyId) from the AWS credential chain")
    }
}

/// A credentials file or environment the server cannot use; the message says what to change.
public struct AccessKeysError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
