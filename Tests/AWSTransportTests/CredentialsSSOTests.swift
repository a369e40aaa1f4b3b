import Foundation
import OrderedJSON
import Testing
@testable import Core

/// IAM Identity Center profiles: the token `aws sso login` cached, exchanged with the stand-in portal.
@Suite(.tags(.process)) struct CredentialsSSOTests {
    static let reader = CredentialsStandIn.RoleGrant(accessKeyId: "ASIASSO", secretAccessKey: "sso-secret", sessionToken: "sso-session-token")
    static let startURL = "https://corp.awsapps.com/start"

    func home() throws -> AWSHome {
        let home = try AWSHome()
        try home.config("""
            [profile partner]
            sso_session = corp
            sso_account_id = 111122223333
            sso_role_name = PartnerReader
            region = us-east-1

            [sso-session corp]
            sso_start_url = \(Self.startURL)
            sso_region = eu-west-1
            sso_registration_scopes = sso:account:access

            [profile legacy]
            sso_start_url = \(Self.startURL)
            sso_region = eu-west-1
            sso_account_id = 111122223333
            sso_role_name = PartnerReader
            """)
        return home
    }

    func portal() throws -> CredentialsStandIn {
        try CredentialsStandIn(ssoTokens: ["cached-access-token"], ssoRoles: ["111122223333/PartnerReader": Self.reader])
    }

    @Test(arguments: [("partner", "corp"), ("legacy", startURL)])
    func theCachedTokenIsExchangedForRoleCredentials(profile: String, cacheKey: String) async throws {
        let home = try home()
        defer { home.remove() }
        try home.ssoToken(for: cacheKey, accessToken: "cached-access-token", expiresAt: isoTime(in: 8 * 3600))
        let portal = try portal()
        let (keys, log) = try await portal.serving { try await home.resolve(profile, ["AWS_ENDPOINT_URL_SSO": portal.url]) }
        #expect(keys.accessKeyId == "ASIASSO" && keys.secretAccessKey == "sso-secret" && keys.sessionToken == "sso-session-token")
        #expect(abs((keys.expiration ?? .distantPast).timeIntervalSinceNow - 3600) < 120)
        #expect(log.map { $0["account"] } == ["111122223333"] && log.map { $0["role"] } == ["PartnerReader"])
    }

    @Test func anSSOProfileCanBeTheSourceOfARole() async throws {
        let home = try home()
        defer { home.remove() }
        let roleArn = "arn:aws:iam::444455556666:role/PartnerCentralWriter"
        try home.config(try String(contentsOfFile: home.folder.appendingPathComponent(".aws/config").path, encoding: .utf8)
                        + "\n[profile writer]\nrole_arn = \(roleArn)\nsource_profile = partner\n")
        try home.ssoToken(for: "corp", accessToken: "cached-access-token", expiresAt: isoTime(in: 3600))
        let writer = CredentialsStandIn.RoleGrant(accessKeyId: "ASIAWRITER", secretAccessKey: "writer-secret", sessionToken: "writer-token")
        let stand = try CredentialsStandIn(roles: [roleArn: writer], ssoTokens: ["cached-access-token"],
                                           ssoRoles: ["111122223333/PartnerReader": Self.reader])
        let (keys, log) = try await stand.serving { try await home.resolve("writer", ["AWS_ENDPOINT_URL": stand.url]) }
        #expect(keys.accessKeyId == "ASIAWRITER")
        #expect(log.map { $0["service"] } == ["sso", "sts"])
        #expect(log.last?["signedBy"] == "ASIASSO", "the role is assumed with the SSO role's credentials")
    }

    @Test func anExpiredTokenSaysToSignInAgain() async throws {
        let home = try home()
        defer { home.remove() }
        try home.ssoToken(for: "corp", accessToken: "cached-access-token", expiresAt: "2024-05-01T10:00:00Z")
        // Older AWS CLIs wrote the time with "UTC" in place of "Z".
        try home.ssoToken(for: Self.startURL, accessToken: "cached-access-token", expiresAt: "2020-01-01T00:00:00UTC")
        let environment = ["AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:9"]
        let session = try #require(await home.failure("partner", environment))
        #expect(session.code == "UnauthorizedSSOTokenError")
        #expect(session.message == "the SSO sign-in for sso-session 'corp' expired at 2024-05-01T10:00:00Z: run 'aws sso login --profile partner'")
        let legacy = try #require(await home.failure("legacy", environment))
        #expect(legacy.message == "the SSO sign-in for \(Self.startURL) expired at 2020-01-01T00:00:00Z: run 'aws sso login --profile legacy'")
    }

    @Test func aMissingOrRefusedTokenSaysToSignIn() async throws {
        let home = try home()
        defer { home.remove() }
        let missing = try #require(await home.failure("partner"))
        #expect(missing.message == "no SSO sign-in is cached for sso-session 'corp' (\(home.folder.path)/.aws/sso/cache/\(try digest("corp")).json): run 'aws sso login --profile partner'")
        try home.ssoToken(for: "corp", accessToken: "revoked-access-token", expiresAt: isoTime(in: 3600))
        let portal = try portal()
        let refused = await home.failure("partner", ["AWS_ENDPOINT_URL_SSO": portal.url])
        portal.stop()
        #expect(refused?.code == "UnauthorizedSSOTokenError")
        #expect(refused?.message == "the SSO portal refused the sign-in cached for the profile 'partner': run 'aws sso login --profile partner'")
    }

    @Test func aProfileLackingSSOSettingsNamesWhatIsMissing() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.config("[profile half]\nsso_session = corp\nsso_role_name = PartnerReader\n\n[sso-session corp]\nsso_region = eu-west-1\n")
        let error = try #require(await home.failure("half"))
        #expect(error.code == "InvalidConfigError")
        #expect(error.message == "the profile 'half' is set up for IAM Identity Center but lacks sso_start_url, sso_account_id")
    }

    func digest(_ key: String) throws -> String { String(try runProgram("/usr/bin/env", ["sha1sum"], input: key).prefix(40)) }
}
