@testable import AWSTransport
import Core
import Foundation
import Testing

/// Credentials from the environment and from static keys of `~/.aws` profiles, in temporary home folders.
@Suite(.tags(.unit)) struct CredentialsProfileTests {
    static let staticProfiles = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [dev]
        aws_access_key_id = AKIDDEV
        aws_secret_access_key = dev-secret
        aws_session_token = dev-token
        """

    @Test func environmentKeysBeatTheProfile() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials(Self.staticProfiles)
        let keys = try await home.resolve(nil, ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
                                                "AWS_SESSION_TOKEN": "env-token", "AWS_PROFILE": "dev"])
        #expect(keys == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    }

    @Test func aProfileNamedOnTheCommandLineBeatsEnvironmentKeys() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials(Self.staticProfiles)
        let keys = try await home.resolve("dev", ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"])
        #expect(keys == AWSCredentials(accessKeyId: "AKIDDEV", secretAccessKey: "dev-secret", sessionToken: "dev-token"))
    }

    @Test func awsProfilePicksTheProfileElseDefault() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials(Self.staticProfiles)
        #expect(try await home.resolve(nil, ["AWS_PROFILE": "dev"]).accessKeyId == "AKIDDEV")
        #expect(try await home.resolve().accessKeyId == "AKIDDEFAULT")
        #expect(AWSProfileCredentials(environment: home.environment(["AWS_PROFILE": "dev"])).profileName == "dev")
    }

    @Test func theCredentialsFileBeatsTheConfigFileForTheSameProfile() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.config("""
            [profile dev]
            aws_access_key_id = AKIDFROMCONFIG
            aws_secret_access_key = config-secret
            region = eu-west-1

            [profile ops]
            aws_access_key_id = AKIDOPS
            aws_secret_access_key = ops-secret
            """)
        try home.credentials(Self.staticProfiles)
        #expect(try await home.resolve("dev").accessKeyId == "AKIDDEV")
        #expect(try await home.resolve("ops") == AWSCredentials(accessKeyId: "AKIDOPS", secretAccessKey: "ops-secret"))
    }

    @Test func theFilesNamedByTheEnvironmentReplaceThoseOfHome() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials(Self.staticProfiles)
        let config = try home.write("elsewhere/config", "[profile team]\nregion = eu-central-1\n")
        let credentials = try home.write("elsewhere/credentials", "[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team-secret\n")
        let environment = ["AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": credentials]
        #expect(try await home.resolve("team", environment).accessKeyId == "AKIDTEAM")
        #expect(await home.failure("dev", environment)?.code == "ProfileNotFound")
    }

    @Test func configFilesAreReadAsTheAWSCLIReadsThem() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.config("""
            # a comment
            ; another comment
              [ default ]   ; after the bracket, ignored
            region=us-west-2

            [profile "my team"]
            AWS_ACCESS_KEY_ID : AKIDTEAM\r
            aws_secret_access_key =    team#secret;with=signs\r
            s3 =
              aws_access_key_id = nested-not-a-key
              max_concurrent_requests = 10

            [dev]
            aws_access_key_id = AKIDNOTAPROFILE
            aws_secret_access_key = not-a-profile

            [sso-session corp]
            sso_region = eu-west-1
            """)
        let config = try AWSSharedConfig(environment: home.environment)
        #expect(config.profiles["default"]?["region"] == "us-west-2")
        #expect(config.profiles["my team"]?["aws_access_key_id"] == "AKIDTEAM")
        #expect(config.profiles["my team"]?["aws_secret_access_key"] == "team#secret;with=signs")
        #expect(config.profiles["my team"]?["s3"] == "\naws_access_key_id = nested-not-a-key\nmax_concurrent_requests = 10")
        #expect(config.profiles["dev"] == nil, "in the config file, [dev] is not a profile: profiles are [profile dev]")
        #expect(config.ssoSessions["corp"]?["sso_region"] == "eu-west-1")
        #expect(try await home.resolve("my team") == AWSCredentials(accessKeyId: "AKIDTEAM", secretAccessKey: "team#secret;with=signs"))
    }

    @Test func aLineThatIsNoSettingIsAnErrorNamingFileAndLine() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials("[default]\naws_access_key_id = AKIDX\nwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n")
        let error = try #require(await home.failure())
        #expect(error.code == "InvalidConfigError")
        #expect(error.message == "\(home.folder.path)/.aws/credentials line 3: neither a [section], a key = value nor a comment")
    }

    @Test func halfAKeyPairIsAnError() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials("[default]\naws_secret_access_key = lonely-secret\n")
        let error = try #require(await home.failure())
        #expect(error.code == "PartialCredentialsError")
        #expect(error.message.contains("has aws_secret_access_key but no aws_access_key_id"))
        #expect(await home.failure(nil, ["AWS_ACCESS_KEY_ID": "AKIDENV"])?.message == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }

    @Test func aMissingProfileOrNoCredentialsAtAllSaySo() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        let none = try #require(await home.failure())
        #expect(none.code == "NoCredentialsError")
        #expect(none.message.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"))
        let missing = try #require(await home.failure("prod"))
        #expect(missing.code == "ProfileNotFound")
        #expect(missing.message == "the profile 'prod' is in neither \(home.folder.path)/.aws/config nor \(home.folder.path)/.aws/credentials")
        try home.config("[profile empty]\nregion = eu-west-1\n")
        #expect(await home.failure("empty")?.code == "NoCredentialsError")
    }

    @Test func aLoopOfSourceProfilesIsAClearError() async throws {
        let home = try AWSHome()
        defer { home.remove() }
        // a → b → c → a, and self → self
        let links = [("a", "b"), ("b", "c"), ("c", "a"), ("self", "self")]
        try home.config(links.map { "[profile \($0)]\nrole_arn = arn:aws:iam::111122223333:role/\($0)\nsource_profile = \($1)\n" }.joined(separator: "\n"))
        let error = try #require(await home.failure("a"))
        #expect(error.code == "InfiniteLoopConfigError")
        #expect(error.message == "the profile 'a' has a source_profile loop: a → b → c → a")
        #expect(await home.failure("self")?.message == "the profile 'self' has a source_profile loop: self → self")
    }

    @Test func aProfileMayBeItsOwnSourceWhenItHasKeys() throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.config("[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = admin\n")
        try home.credentials("[admin]\naws_access_key_id = AKIDADMIN\naws_secret_access_key = admin-secret\n")
        let source = try CredentialSource.resolve(profile: "admin", config: AWSSharedConfig(environment: home.environment), environment: home.environment)
        let keys = AWSCredentials(accessKeyId: "AKIDADMIN", secretAccessKey: "admin-secret")
        let role = AssumeRoleSettings(profile: "admin", roleArn: "arn:aws:iam::111122223333:role/admin", roleSessionName: nil, externalId: nil, durationSeconds: nil)
        #expect(source == .assumeRole(role, source: .credentialsFileKeys(keys)))
    }

    @Test func credentialsPrintWithoutTheirSecrets() {
        let keys = AWSCredentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "the-secret-key", sessionToken: "the-session-token",
                                  expiration: Date(timeIntervalSince1970: 1_790_000_000))
        var dumped = ""
        dump(keys, to: &dumped)
        for text in [String(describing: keys), String(reflecting: keys), "\(keys)", dumped, String(describing: CredentialSource.configFileKeys(keys))] {
            #expect(text.contains("ASIAEXAMPLE"))
            #expect(!text.contains("the-secret-key") && !text.contains("the-session-token"), "\(text)")
        }
        #expect(String(describing: keys) == "AWSCredentials(ASIAEXAMPLE, temporary until 2026-09-21T14:13:20Z, secret redacted)")
    }

    @Test func profilesPrintWithoutTheirSecrets() throws {
        let home = try AWSHome()
        defer { home.remove() }
        try home.credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = the-secret-key\naws_session_token = the-session-token\n")
        let config = try AWSSharedConfig(environment: home.environment)
        var dumped = ""
        dump(config, to: &dumped)
        let profile = try #require(config.profiles["dev"])
        for text in [String(describing: profile), String(reflecting: config), dumped] {
            #expect(text.contains("AKIDDEV") && !text.contains("the-secret-key") && !text.contains("the-session-token"), "\(text)")
        }
        #expect("\(profile)" == "Profile(dev, credentials file: [aws_access_key_id = AKIDDEV, aws_secret_access_key = <redacted>, aws_session_token = <redacted>], config file: [])")
    }
}
