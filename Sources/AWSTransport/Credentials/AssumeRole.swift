import Core
import Foundation

/// STS `AssumeRole` over the Query protocol: a form `POST /` signed with the source profile's credentials
/// (service `sts`, the regional endpoint), answered with XML.
struct AssumeRole: Sendable {
    let settings: AssumeRoleSettings
    let source: any AWSCredentialProvider
    let region: String
    let endpoint: CredentialEndpoint

    /// The role's temporary credentials, asked for with fresh source credentials.
    func fetch() async throws(ServiceError) -> AWSCredentials {
        let sourceCredentials = try await source.credentials()
        let body = Array(formBody(sessionName: settings.roleSessionName ?? "engage-\(Int(Date().timeIntervalSince1970))").utf8)
        var headers: [(name: String, value: String)] = [
            ("Host", endpoint.host), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        ]
        SigV4(region: region, service: "sts").sign(method: "POST", path: "/", headers: &headers, body: body, credentials: sourceCredentials)
        let what = "AssumeRole \(settings.roleArn) for the profile '\(settings.profile)'"
        let response = try await endpoint.send("POST", pathAndQuery: "/", headers: headers, body: body, what: what)
        let document = STSDocument(xml: response.body)
        guard (200..<300).contains(response.status) else {
            let code = document?["Code"] ?? "HTTP\(response.status)"
            let message = document?["Message"] ?? "STS answered HTTP \(response.status) without an error document"
            throw ServiceError(code: code, message: "\(what): \(message)")
        }
        guard let document, let id = document["AccessKeyId"], let secret = document["SecretAccessKey"], let token = document["SessionToken"] else {
            throw .credentialRetrieval("\(what): STS's answer has no AssumeRoleResult credentials")
        }
        guard let text = document["Expiration"], let expiration = CredentialTime.date(text) else {
            throw .credentialRetrieval("\(what): STS's answer has no readable Expiration")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    /// `Action=AssumeRole&Version=2011-06-15&RoleArn=…&RoleSessionName=…`, each value percent-encoded.
    func formBody(sessionName: String) -> String {
        var fields = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", settings.roleArn), ("RoleSessionName", sessionName)]
        if let externalId = settings.externalId { fields.append(("ExternalId", externalId)) }
        if let duration = settings.durationSeconds { fields.append(("DurationSeconds", String(duration))) }
        return fields.map { "\($0.0)=\(CredentialEndpoint.encode($0.1))" }.joined(separator: "&")
    }
}
