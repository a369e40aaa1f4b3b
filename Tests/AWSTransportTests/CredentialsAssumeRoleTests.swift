@testable import AWSTransport
import Core
import Foundation
import OrderedJSON
import Testing

/// `role_arn` + `source_profile` against the stand-in STS, which checks every signature with botocore.
@Suite(.tags(.process)) struct CredentialsAssumeRoleTests {
    static let midRole = "arn:aws:iam::111122223333:role/mid"
    static let topRole = "arn:aws:iam::444455556666:role/top"
    static let mid = CredentialsStandIn.RoleGrant(accessKeyId: "ASIAMID", secretAccessKey: "mid-secret", sessionToken: "mid-token")
    static let top = CredentialsStandIn.RoleGrant(accessKeyId: "ASIATOP", secretAccessKey: "top-secret", sessionToken: "top-token", externalId: "partner-42")

    /// `top` assumes its role with the credentials of `mid`, which assumes its own with `base`'s keys.
    func home(topDuration: Int? = nil) throws -> AWSHome {
        let home = try AWSHome()
        try home.config("""
            [profile top]
            role_arn = \(Self.topRole)
            source_profile = mid
            role_session_name = engage-test
            external_id = partner-42
            region = ap-south-1
            \(topDuration.map { "duration_seconds = \($0)" } ?? "")

            [profile mid]
            role_arn = \(Self.midRole)
            source_profile = base
            region = ap-south-1

            [profile base]
            region = eu-west-1
            """)
        try home.credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
        return home
    }

    func standIn(top: CredentialsStandIn.RoleGrant = top) throws -> CredentialsStandIn {
        try CredentialsStandIn(keys: ["AKIDBASE": ("base-secret", nil)], roles: [Self.midRole: Self.mid, Self.topRole: top])
    }

    @Test func aChainOfTwoRolesIsAssumedWithSignaturesBotocoreAccepts() async throws {
        let home = try home(topDuration: 900)
        defer { home.remove() }
        let sts = try standIn()
        let (keys, log) = try await sts.serving { try await home.resolve("top", ["AWS_ENDPOINT_URL_STS": sts.url, "AWS_REGION": "eu-central-1"]) }
        #expect(keys.accessKeyId == "ASIATOP" && keys.secretAccessKey == "top-secret" && keys.sessionToken == "top-token")
        let expiration = try #require(keys.expiration)
        #expect(abs(expiration.timeIntervalSinceNow - 3600) < 120)
        try #require(log.count == 2, "\(log)")
        #expect(log[0]["signedBy"] == "AKIDBASE")
        #expect(log[0]["form"]?["RoleArn"]?.stringValue == Self.midRole)
        #expect(log[0]["form"]?["RoleSessionName"]?.stringValue?.hasPrefix("engage-") == true)
        #expect(log[1]["signedBy"] == "ASIAMID", "the second role is assumed with the first role's session credentials")
        #expect(log[1]["form"] == ["Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": .string(Self.topRole),
                                   "RoleSessionName": "engage-test", "ExternalId": "partner-42", "DurationSeconds": "900"])
        #expect(log.allSatisfy { $0["region"] == "eu-central-1" })
    }

    @Test func theEndpointIsTheRegionsUnlessTheEnvironmentOverridesIt() {
        let standard = "https://sts.eu-west-1.amazonaws.com"
        let regional = CredentialEndpoint(service: "STS", standard: standard, environment: [:], client: .shared)
        #expect(regional.baseURL == standard && regional.host == "sts.eu-west-1.amazonaws.com")
        let general = CredentialEndpoint(service: "STS", standard: standard, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9/"], client: .shared)
        #expect(general.baseURL == "http://127.0.0.1:9" && general.host == "127.0.0.1:9")
        let specific = CredentialEndpoint(service: "STS", standard: standard, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_STS": "http://localhost:8"], client: .shared)
        #expect(specific.baseURL == "http://localhost:8")
    }

    @Test func roleCredentialsAreKeptUntilCloseToExpiryAndFetchedOnceForConcurrentCallers() async throws {
        let home = try home()
        defer { home.remove() }
        var shortLived = Self.top
        shortLived.expiresIn = 240
        let sts = try standIn(top: shortLived)
        let environment = home.environment(["AWS_ENDPOINT_URL_STS": sts.url])
        let lasting = AWSProfileCredentials(profile: "mid", environment: environment)
        let expiring = AWSProfileCredentials(profile: "top", environment: environment)
        let (keys, log) = try await sts.serving {
            let keys = try await withThrowingTaskGroup(of: AWSCredentials.self) { group in
                for _ in 0..<8 { group.addTask { try await lasting.credentials() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            _ = try await lasting.credentials()
            // Four minutes left is inside the five-minute refresh window: each call fetches again.
            _ = try await expiring.credentials()
            _ = try await expiring.credentials()
            return keys
        }
        #expect(Set(keys.map(\.accessKeyId)) == ["ASIAMID"])
        #expect(log.allSatisfy { $0["region"] == "ap-south-1" }, "without AWS_REGION, the region of the profile asked for")
        let roles = log.compactMap { $0["form"]?["RoleArn"]?.stringValue }
        #expect(roles.filter { $0 == Self.midRole }.count == 1 + 1, "one for the eight callers of mid, one for top's source")
        #expect(roles.filter { $0 == Self.topRole }.count == 2)
    }

    @Test func stsErrorsAreReportedWithTheirCodeAndNoSecret() async throws {
        let home = try home()
        defer { home.remove() }
        try home.credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = not-the-right-secret\n")
        let sts = try CredentialsStandIn(keys: ["AKIDBASE": ("base-secret", nil)], roles: [:])
        let environment = ["AWS_ENDPOINT_URL": sts.url]
        let wrongSecret = await home.failure("mid", environment)
        try home.credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n")
        let unknownRole = await home.failure("mid", environment)
        sts.stop()
        #expect(wrongSecret?.code == "SignatureDoesNotMatch")
        #expect(wrongSecret?.message == "AssumeRole \(Self.midRole) for the profile 'mid': The request signature we calculated does not match the signature you provided.")
        #expect(unknownRole?.code == "AccessDenied")
        #expect(unknownRole?.message.contains("not authorized to perform: sts:AssumeRole") == true)
        for error in [wrongSecret, unknownRole].compactMap({ $0 }) {
            #expect(!"\(error)".contains("secret"), "\(error)")
        }
    }

    @Test func anUnreachableSTSIsARetrievalError() async throws {
        let home = try home()
        defer { home.remove() }
        // Port 9 (discard) has no listener on loopback here: the connection is refused at once.
        let error = try #require(await home.failure("mid", ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"]))
        #expect(error.code == "CredentialRetrievalError")
        #expect(error.message.hasPrefix("AssumeRole \(Self.midRole) for the profile 'mid': cannot reach http://127.0.0.1:9 (tried for 2.0 seconds): "), "\(error.message)")
    }
}
