@testable import AWSTransport
import Core
import CoreTestSupport
import Foundation
import Testing

/// Credentials and region as the AWS CLI finds them, from an environment and a temporary `~/.aws` folder.
@Suite(.tags(.unit)) struct CredentialChainTests {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("engage-aws-\(UUID().uuidString)")

    /// Writes `~/.aws/NAME` under the temporary home.
    func write(_ name: String, _ text: String) throws {
        let folder = home.appendingPathComponent(".aws")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["HOME": home.path].merging(extra) { _, new in new }
    }

    func resolve(profile: String? = nil, _ extra: [String: String] = [:]) async throws -> AWSCredentials {
        try await AWSProfileCredentials(profile: profile, environment: environment(extra)).credentials()
    }

    static let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token"]

    @Test func environmentVariablesComeFirst() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n")
        let credentials = try await resolve(Self.environmentKeys)
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    }

    @Test func anExplicitProfileSkipsTheEnvironment() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try write("credentials", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n")
        #expect(try await resolve(profile: "dev", Self.environmentKeys).accessKeyId == "AKIDDEV")
        // AWS_PROFILE names the profile but does not skip the environment, as in the AWS CLI.
        #expect(try await resolve(Self.environmentKeys.merging(["AWS_PROFILE": "dev"]) { $1 }).accessKeyId == "AKIDENV")
        #expect(try await resolve(["AWS_PROFILE": "dev"]).accessKeyId == "AKIDDEV")
    }

    @Test func theCredentialsFileComesBeforeTheConfigFile() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try write("config", "[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = config-secret\n")
        #expect(try await resolve(profile: "dev").accessKeyId == "AKIDCONFIG")
        try write("credentials", "# team keys\n[dev]\naws_access_key_id=AKIDCREDS\naws_secret_access_key=creds-secret\naws_session_token = tok\n")
        let credentials = try await resolve(profile: "dev")
        #expect(credentials == AWSCredentials(accessKeyId: "AKIDCREDS", secretAccessKey: "creds-secret", sessionToken: "tok"))
    }

    @Test func theConfigFileNamesProfilesWithTheWordProfile() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        // A bare [dev] in the config file is not the profile dev, as botocore reads it.
        try write("config", "[dev]\naws_access_key_id = AKIDBARE\naws_secret_access_key = s\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n")
        #expect(try await resolve().accessKeyId == "AKIDDEFAULT")
        let error = await serviceError { _ = try await resolve(profile: "dev") }
        #expect(error?.code == "ProfileNotFound")
        #expect(error?.message.contains("'dev'") == true)
    }

    @Test func theFileLocationsComeFromTheEnvironment() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try write("team-credentials", "[default]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team\n")
        try write("team-config", "[profile ops]\naws_access_key_id = AKIDOPS\naws_secret_access_key = ops\nregion = eu-central-1\n")
        let files = ["AWS_SHARED_CREDENTIALS_FILE": "~/.aws/team-credentials", "AWS_CONFIG_FILE": home.path + "/.aws/team-config"]
        #expect(try await resolve(files).accessKeyId == "AKIDTEAM")
        #expect(try await resolve(profile: "ops", files).accessKeyId == "AKIDOPS")
        let config = try AWSSharedConfig(environment: environment(files))
        #expect(AWSEndpoint.region(explicit: nil, profile: "ops", config: config, environment: environment(files)) == "eu-central-1")
    }

    @Test func aKeyWithoutItsSecretIsNamedAndTheSecretIsNever() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let error = await serviceError { _ = try await resolve(["AWS_SECRET_ACCESS_KEY": "top-secret-value"]) }
        #expect(error?.code == "PartialCredentialsError")
        #expect(error?.message.contains("AWS_ACCESS_KEY_ID") == true)
        #expect(error?.message.contains("top-secret-value") == false)
        try write("credentials", "[default]\naws_access_key_id = AKIDHALF\n")
        let fileError = await serviceError { _ = try await resolve() }
        #expect(fileError?.code == "PartialCredentialsError")
        #expect(fileError?.message.contains("aws_secret_access_key") == true)
        #expect(fileError?.message.contains(".aws/credentials") == true, "\(fileError?.message ?? "")")
    }

    @Test func noCredentialsSaysWhatWasTriedAndHowToSetThem() async throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let error = await serviceError { _ = try await resolve() }
        #expect(error?.code == "NoCredentialsError")
        let message = error?.message ?? ""
        for part in ["AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", home.path + "/.aws/credentials", home.path + "/.aws/config",
                     "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run 'aws configure'"] {
            #expect(message.contains(part), "\(part)")
        }
    }

    @Test func credentialsPrintWithoutTheirSecret() {
        let credentials = AWSCredentials(accessKeyId: "AKIDPRINT", secretAccessKey: "never-print-me", sessionToken: "nor-me")
        for text in ["\(credentials)", String(reflecting: credentials)] {
            #expect(text.contains("AKIDPRINT"))
            #expect(!text.contains("never-print-me") && !text.contains("nor-me"))
        }
    }

    @Test func theRegionFollowsTheCLIsOrder() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        try write("config", "[default]\nregion = ap-southeast-2\n[profile eu]\nregion=eu-west-1\n")
        let config = try AWSSharedConfig(environment: environment())
        let cases: [(explicit: String?, profile: String, environment: [String: String], expected: String)] = [
            ("sa-east-1", "default", ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2"], "sa-east-1"),
            (nil, "default", ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "us-east-2"], "us-west-2"),
            (nil, "default", ["AWS_DEFAULT_REGION": "us-east-2"], "us-east-2"),
            (nil, "default", [:], "ap-southeast-2"),
            (nil, "eu", [:], "eu-west-1"),
            (nil, "none", [:], "us-east-1"),
        ]
        for c in cases {
            #expect(AWSEndpoint.region(explicit: c.explicit, profile: c.profile, config: config, environment: c.environment) == c.expected, "\(c)")
        }
    }
}
