import AWSTransport
import Core
import Foundation
import Sandbox
@testable import Server
import Testing

/// The keys `engage serve` checks signatures against: a credentials file for a team, or the environment.
@Suite(.tags(.unit)) struct AccessKeysTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-keys-\(UUID().uuidString)")

    func file(_ contents: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("team.json").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aCredentialsFileListsEachKeyWithItsSecretAndIdentity() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file(#"""
            {"AccessKeys": [
              {"AccessKeyId": "AKIDALICE", "SecretAccessKey": "alice-secret", "Identity": "alice"},
              {"AccessKeyId": "ASIABOB", "SecretAccessKey": "bob-secret", "SessionToken": "bob-token", "Identity": "111122223333"}
            ]}
            """#)
        let keys = try AccessKeys(credentialsFile: path)
        #expect(keys.source == "2 access keys from \(path)")
        #expect(await keys.signingKey(for: "AKIDALICE") == SigningKey(credentials: AWSCredentials(accessKeyId: "AKIDALICE", secretAccessKey: "alice-secret"), identity: "alice"))
        #expect(await keys.signingKey(for: "ASIABOB")?.credentials.sessionToken == "bob-token")
        #expect(await keys.signingKey(for: "ASIABOB")?.identity == "111122223333")
        #expect(await keys.signingKey(for: "AKIDNOBODY") == nil)
    }

    @Test(arguments: [
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "s3cr3t", "Identity": "alice smith"}]}"#, "AccessKeys[0]: Identity 'alice smith' is not an AwsAccount"),
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "s3cr3t", "Identity": "a"}, {"AccessKeyId": "A", "SecretAccessKey": "s3cr3t", "Identity": "b"}]}"#,
         "AccessKeys[1]: access key A is listed twice"),
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAcessKey": "s3cr3t", "Identity": "a"}]}"#, "AccessKeys[0]: unknown member 'SecretAcessKey' (did you mean 'SecretAccessKey'?)"),
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "", "Identity": "a"}]}"#, "AccessKeys[0]: SecretAccessKey must be a non-empty string"),
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "s3cr3t"}]}"#, "AccessKeys[0]: Identity must be a non-empty string"),
        (#"{"AccessKeys": []}"#, "no access keys"),
        (#"{"Keys": []}"#, #"expected {"AccessKeys": ["#),
        (#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "s3cr3t", "#, "not JSON"),
        (#"{"AccessKeys": [{"AccessKeyId": "AK/1", "SecretAccessKey": "s3cr3t", "Identity": "a"}]}"#,
         "AccessKeys[0]: AccessKeyId 'AK/1' can never sign a request: it holds '/'"),
        (#"{"AccessKeys": [{"AccessKeyId": "AKID", "SecretAccessKey": "s3cr3t", "Identity": "a"}, {"AccessKeyId": "AK ID", "SecretAccessKey": "s3cr3t", "Identity": "b"}]}"#,
         "AccessKeys[1]: AccessKeyId 'AK ID' can never sign a request: it holds a space or control character"),
        (#"{"AccessKeys": [{"AccessKeyId": "AK,1", "SecretAccessKey": "s3cr3t", "Identity": "a"}]}"#, "AccessKeyId 'AK,1' can never sign a request"),
    ])
    func aBadCredentialsFileIsRefusedByPlaceWithoutItsSecrets(contents: String, message: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file(contents)
        let error = #expect(throws: AccessKeysError.self) { try AccessKeys(credentialsFile: path) }
        #expect(error?.description.hasPrefix(path + ": ") == true)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("s3cr3t") == false)
    }

    @Test func aFolderGivenAsTheCredentialsFileIsNamedAsAFolder() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = #expect(throws: AccessKeysError.self) { try AccessKeys(credentialsFile: folder.path) }
        #expect(error?.description == "\(folder.path): is a folder, not a credentials file: give the path of the JSON file that lists the access keys")
        let missing = #expect(throws: AccessKeysError.self) { try AccessKeys(credentialsFile: folder.appendingPathComponent("nosuch.json").path) }
        #expect(missing?.description.hasSuffix("cannot read the credentials file: No such file or directory") == true, "\(missing?.description ?? "")")
    }

    @Test func aCredentialsFileOtherUsersMayOpenIsReadWithAWarningNamingItsMode() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file(#"{"AccessKeys": [{"AccessKeyId": "AKIDALICE", "SecretAccessKey": "alice-secret", "Identity": "alice"}]}"#)
        chmod(path, 0o644)
        #expect(try AccessKeys(credentialsFile: path).warnings == ["\(path) holds secret keys and other users may open it (mode 644): chmod 600 \(path)"])
        chmod(path, 0o600)
        #expect(try AccessKeys(credentialsFile: path).warnings == [])
    }

    @Test func anAccessKeyIdFromTheEnvironmentThatCanNeverSignIsRefused() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("engage-keys-\(UUID().uuidString)")
        do {
            _ = try await AccessKeys.resolved(from: ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AK/1", "AWS_SECRET_ACCESS_KEY": "env-secret"])
            Issue.record("AK/1 was accepted")
        } catch {
            #expect(error.description.contains("AccessKeyId 'AK/1' can never sign a request"), "\(error.description)")
        }
    }

    @Test func theClientsCredentialChainGivesAKeyThatWritesAsTheSandboxAccount() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("engage-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let keys = try await AccessKeys.resolved(from: ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": ""])
        #expect(await keys.signingKey(for: "AKIDENV") == SigningKey(credentials: AWSCredentials(accessKeyId: "AKIDENV", secretAccessKey: "env-secret"), identity: SandboxService.accountId))
        #expect(keys.source == "access key AKIDENV from the AWS credential chain")
        // A profile's keys in the shared credentials file count too, as for the client.
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try Data("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = file-secret\n".utf8).write(to: home.appendingPathComponent(".aws/credentials"))
        let fromFile = try await AccessKeys.resolved(from: ["HOME": home.path])
        #expect(await fromFile.signingKey(for: "AKIDFILE") != nil)
        do {
            _ = try await AccessKeys.resolved(from: ["HOME": home.path, "AWS_ACCESS_KEY_ID": "AKIDENV"])
            Issue.record("a key without its secret was accepted")
        } catch {
            #expect(error.description.contains("--credentials-file"))
            #expect(!error.description.contains("env-secret"))
        }
    }
}
