import Foundation
import Testing
@testable import Core

/// No error of credential resolution repeats a secret key, a session token or an SSO access token, whatever
/// went wrong and wherever the secret was written.
@Suite(.tags(.process)) struct CredentialsSecrecyTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzPLANTED"
    static let token = "IQoJb3JpZ2luPLANTEDTOKEN"

    struct Scenario: CustomTestStringConvertible, Sendable {
        let name: String
        let config: String
        let credentials: String
        let script: String?
        let environment: [String: String]
        /// Caches an expired SSO token (the planted one) for the session `corp`.
        let expiredSSOToken: Bool
        var testDescription: String { name }

        init(_ name: String, config: String = "", credentials: String = "", script: String? = nil, environment: [String: String] = [:],
             expiredSSOToken: Bool = false) {
            (self.name, self.config, self.credentials, self.script, self.environment) = (name, config, credentials, script, environment)
            self.expiredSSOToken = expiredSSOToken
        }
    }

    static let scenarios: [Scenario] = [
        Scenario("a secret on a line of its own", credentials: "[default]\naws_access_key_id = AKID\n\(secret)\n"),
        Scenario("a secret without its key id", credentials: "[default]\naws_secret_access_key = \(secret)\naws_session_token = \(token)\n"),
        Scenario("a key id without its secret in the environment", environment: ["AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token]),
        Scenario("a process that prints keys then fails", config: "[default]\ncredential_process = SCRIPT\n",
                 script: #"echo '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "\#(secret)", "SessionToken": "\#(token)"}'; exit 1"#),
        Scenario("a process that prints keys that are not JSON", config: "[default]\ncredential_process = SCRIPT\n",
                 script: "echo 'SecretAccessKey=\(secret) SessionToken=\(token)'"),
        Scenario("a process that prints an unreadable expiration", config: "[default]\ncredential_process = SCRIPT\n",
                 script: #"echo '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "\#(secret)", "SessionToken": "\#(token)", "Expiration": "soon"}'"#),
        Scenario("source keys for an unreachable STS", config: "[default]\nrole_arn = arn:aws:iam::111122223333:role/r\nsource_profile = base\n",
                 credentials: "[base]\naws_access_key_id = AKID\naws_secret_access_key = \(secret)\naws_session_token = \(token)\n",
                 environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"]),
        Scenario("an SSO token that expired", config: "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = R\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n",
                 expiredSSOToken: true),
    ]

    @Test(arguments: scenarios)
    func noErrorRepeatsASecret(scenario: Scenario) async throws {
        let home = try AWSHome()
        defer { home.remove() }
        var config = scenario.config
        if let script = scenario.script {
            config = config.replacingOccurrences(of: "SCRIPT", with: try home.write("bin/creds.sh", script, executable: true))
        }
        try home.config(config)
        try home.credentials(scenario.credentials)
        if scenario.expiredSSOToken {
            try home.ssoToken(for: "corp", accessToken: Self.token, expiresAt: "2024-01-01T00:00:00Z")
        }
        let error = try #require(await home.failure(nil, scenario.environment))
        for text in [String(describing: error), error.message, String(reflecting: error)] {
            #expect(!text.contains(Self.secret) && !text.contains(Self.token), "\(text)")
        }
    }
}
