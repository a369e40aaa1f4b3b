@testable import AWSTransport
import Core
import Foundation
import Testing

/// `credential_process`: a script in the temporary home prints the JSON the AWS CLI reads.
@Suite(.tags(.process)) struct CredentialsProcessTests {
    /// A profile `tool` whose credential_process is `script` (run with `sh`), which appends a line to
    /// `runs.log` each time it runs.
    func makeHome(script: String) throws -> AWSHome {
        let home = try AWSHome()
        let path = try home.write("bin/credentials.sh", "echo run >> '\(home.folder.path)/runs.log'\n" + script, executable: true)
        try home.config("[profile tool]\ncredential_process = \(path) --account 111122223333\n")
        return home
    }

    func runs(_ home: AWSHome) -> Int {
        ((try? String(contentsOfFile: home.folder.appendingPathComponent("runs.log").path, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test func theProcessPrintsTheCredentials() async throws {
        let expiration = isoTime(in: 3600)
        let home = try makeHome(script: """
            [ "$1 $2" = "--account 111122223333" ] || { echo "bad arguments: $*" >&2; exit 2; }
            printf '{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "proc-secret", "SessionToken": "proc-token", "Expiration": "%s"}' '\(expiration)'
            """)
        defer { home.remove() }
        let provider = AWSProfileCredentials(profile: "tool", environment: home.environment)
        let keys = try await provider.credentials()
        #expect(keys.accessKeyId == "ASIAPROC" && keys.secretAccessKey == "proc-secret" && keys.sessionToken == "proc-token")
        #expect(keys.expiration.map(CredentialTime.text) == expiration)
        _ = try await provider.credentials()
        #expect(runs(home) == 1, "credentials valid for an hour are kept, not fetched again")
    }

    @Test func longTermKeysFromAProcessAreFetchedOnce() async throws {
        let home = try makeHome(script: #"echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret"}'"#)
        defer { home.remove() }
        let provider = AWSProfileCredentials(profile: "tool", environment: home.environment)
        #expect(try await provider.credentials() == AWSCredentials(accessKeyId: "AKIDPROC", secretAccessKey: "proc-secret"))
        _ = try await provider.credentials()
        #expect(runs(home) == 1)
    }

    @Test func aFailingProcessIsAnErrorWithItsStderr() async throws {
        let home = try makeHome(script: "echo 'token expired, run corp-login' >&2\nexit 3\n")
        defer { home.remove() }
        let error = try #require(await home.failure("tool"))
        #expect(error.code == "CredentialRetrievalError")
        #expect(error.message == "the credential_process of the profile 'tool' (\(home.folder.path)/bin/credentials.sh) exited with status 3 and wrote on stderr: token expired, run corp-login")
        #expect(!error.message.contains("111122223333"), "the command's arguments are not repeated")
    }

    @Test func outputThatIsNotTheCredentialsJSONIsAnErrorThatDoesNotRepeatIt() async throws {
        for (script, expected) in [
            ("echo 'AccessKeyId=AKIDPROC SecretAccessKey=leaked-secret'", "did not print a JSON object (51 bytes on stdout)"),
            (#"echo '{"Version": 2, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "leaked-secret"}'"#, "printed Version 2; engage reads Version 1"),
            (#"echo '{"AccessKeyId": "AKIDPROC", "SecretAccessKey": "leaked-secret"}'"#, "printed no Version; engage reads Version 1"),
            (#"echo '{"Version": 1, "AccessKeyId": "AKIDPROC"}'"#, "printed no SecretAccessKey"),
        ] {
            let home = try makeHome(script: script)
            defer { home.remove() }
            let error = try #require(await home.failure("tool"))
            #expect(error.message.hasSuffix(expected), "\(error.message)")
            #expect(!error.message.contains("leaked-secret"))
        }
    }
}
