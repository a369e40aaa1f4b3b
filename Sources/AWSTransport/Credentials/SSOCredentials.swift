import Core
import Crypto
import Foundation
import OrderedJSON

/// IAM Identity Center: the access token `aws sso login` cached, exchanged for the role's credentials with
/// the portal's `GetRoleCredentials`. engage never signs in itself; when the token is missing, expired or
/// refused, the error says to run `aws sso login --profile NAME`.
struct SSOCredentials: Sendable {
    let settings: SSOSettings
    let cacheFolder: String
    let endpoint: CredentialEndpoint
    let now: @Sendable () -> Date

    func fetch() async throws(ServiceError) -> AWSCredentials {
        let token = try cachedToken()
        let query = "account_id=\(CredentialEndpoint.encode(settings.accountId))&role_name=\(CredentialEndpoint.encode(settings.roleName))"
        let what = "GetRoleCredentials for \(settings.roleName) in account \(settings.accountId) (profile '\(settings.profile)')"
        let response = try await endpoint.send("GET", pathAndQuery: "/federation/credentials?" + query,
                                                headers: [("x-amz-sso_bearer_token", token)], what: what)
        let document = try? JSONValue(parsing: response.body)
        guard (200..<300).contains(response.status) else {
            let code = Self.errorCode(response, document) ?? "HTTP\(response.status)"
            if code == "UnauthorizedException" || response.status == 401 {
                throw .ssoLoginNeeded(profile: settings.profile, "the SSO portal refused the sign-in cached for the profile '\(settings.profile)'")
            }
            let message = document?["message"]?.stringValue ?? document?["Message"]?.stringValue ?? "HTTP \(response.status)"
            throw ServiceError(code: code, message: "\(what): \(message)")
        }
        guard let role = document?["roleCredentials"], let id = role["accessKeyId"]?.stringValue, let secret = role["secretAccessKey"]?.stringValue,
            let sessionToken = role["sessionToken"]?.stringValue else {
            throw .credentialRetrieval("\(what): the portal's answer has no roleCredentials")
        }
        let expiration: Date? = switch role["expiration"] {
        case .integer(let milliseconds): Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        case .number(let milliseconds): Date(timeIntervalSince1970: milliseconds / 1000)
        default: nil
        }
        guard let expiration else { throw .credentialRetrieval("\(what): the portal's answer has no expiration") }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: sessionToken, expiration: expiration)
    }

    /// The cached access token, if it is there and not expired.
    func cachedToken() throws(ServiceError) -> String {
        let path = tokenPath
        let subject = settings.sessionName.map { "sso-session '\($0)'" } ?? settings.startURL
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .ssoLoginNeeded(profile: settings.profile, "no SSO sign-in is cached for \(subject) (\(path))")
        }
        guard let document = try? JSONValue(parsing: data), let token = document["accessToken"]?.stringValue, !token.isEmpty else {
            throw .ssoLoginNeeded(profile: settings.profile, "\(path) holds no accessToken for \(subject)")
        }
        guard let text = document["expiresAt"]?.stringValue, let expiresAt = CredentialTime.date(text) else {
            throw .ssoLoginNeeded(profile: settings.profile, "\(path) has no readable expiresAt")
        }
        guard expiresAt > now() else {
            throw .ssoLoginNeeded(profile: settings.profile, "the SSO sign-in for \(subject) expired at \(CredentialTime.text(expiresAt))")
        }
        return token
    }

    /// `<cache>/<SHA-1 hex of the session name, or of the start URL>.json`, where `aws sso login` writes it.
    var tokenPath: String {
        "\(cacheFolder)/\(SigV4.hex(Insecure.SHA1.hash(data: Data(settings.cacheKey.utf8)))).json"
    }

    /// The error's name from `x-amzn-ErrorType` (`UnauthorizedException:http://…`) or the body's `__type`.
    private static func errorCode(_ response: CredentialEndpoint.Response, _ document: JSONValue?) -> String? {
        guard var name = response.header("x-amzn-ErrorType") ?? document?["__type"]?.stringValue else { return nil }
        if let colon = name.firstIndex(of: ":") { name = String(name[..<colon]) }
        if let hash = name.lastIndex(of: "#") { name = String(name[name.index(after: hash)...]) }
        return name.isEmpty ? nil : name
    }
}
