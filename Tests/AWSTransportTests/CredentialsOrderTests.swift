@testable import AWSTransport
import Core
import Foundation
import OrderedJSON
import Testing

/// The source engage picks for a profile is the one botocore (the AWS CLI's engine, python3 here) picks,
/// for a table of profiles that mix the ways to give credentials, and so are the errors' names.
@Suite(.tags(.process)) struct CredentialsOrderTests {
    static let config = """
        [profile cfg]
        aws_access_key_id = AKIDCFG
        aws_secret_access_key = cfg-secret

        [profile both-files]
        aws_access_key_id = AKIDCFG
        aws_secret_access_key = cfg-secret

        [profile role]
        role_arn = arn:aws:iam::111122223333:role/r
        source_profile = default

        [profile role-over-keys]
        role_arn = arn:aws:iam::111122223333:role/r
        source_profile = cfg
        aws_access_key_id = AKIDRK
        aws_secret_access_key = rk-secret

        [profile role-from-role]
        role_arn = arn:aws:iam::111122223333:role/r2
        source_profile = role

        [profile own-source]
        role_arn = arn:aws:iam::111122223333:role/r
        source_profile = own-source
        aws_access_key_id = AKIDOWN
        aws_secret_access_key = own-secret

        [profile sso]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Reader

        [profile sso-over-keys]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_account_id = 111122223333
        sso_role_name = Reader

        [profile process]
        credential_process = PROCESS

        [profile process-over-config-keys]
        credential_process = PROCESS
        aws_access_key_id = AKIDCFG
        aws_secret_access_key = cfg-secret

        [profile credentials-keys-over-process]
        credential_process = PROCESS

        [profile loop-a]
        role_arn = arn:aws:iam::111122223333:role/a
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::111122223333:role/b
        source_profile = loop-a

        [profile missing-source]
        role_arn = arn:aws:iam::111122223333:role/r
        source_profile = nowhere

        [profile two-sources]
        role_arn = arn:aws:iam::111122223333:role/r
        source_profile = cfg
        credential_source = Environment

        [profile sso-incomplete]
        sso_account_id = 111122223333
        sso_role_name = Reader

        [profile nothing]
        region = eu-west-1

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        """

    static let credentials = """
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = default-secret

        [both-files]
        aws_access_key_id = AKIDCRED
        aws_secret_access_key = cred-secret

        [sso-over-keys]
        aws_access_key_id = AKIDCRED
        aws_secret_access_key = cred-secret

        [credentials-keys-over-process]
        aws_access_key_id = AKIDCRED
        aws_secret_access_key = cred-secret

        [half]
        aws_access_key_id = AKIDHALF
        """

    static let profiles = [
        "default", "cfg", "both-files", "role", "role-over-keys", "role-from-role", "own-source", "sso", "sso-over-keys",
        "process", "process-over-config-keys", "credentials-keys-over-process", "loop-a", "missing-source", "two-sources",
        "sso-incomplete", "half", "nothing", "not-there",
    ]

    @Test func everyProfileResolvesAsBotocoreResolvesIt() throws {
        let home = try AWSHome()
        defer { home.remove() }
        let process = try home.write("bin/creds.sh", #"#!/bin/sh\#necho '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret"}'\#n"#, executable: true)
        try home.config(Self.config.replacingOccurrences(of: "PROCESS", with: process))
        try home.credentials(Self.credentials)

        let script = """
            import json, sys, botocore.session
            out = {}
            for name in json.load(sys.stdin):
                try:
                    credentials = botocore.session.Session(profile=name).get_credentials()
                    out[name] = credentials.method if credentials else "NoCredentialsError"
                except Exception as error:
                    out[name] = type(error).__name__
            print(json.dumps(out))
            """
        // No instance metadata lookups: botocore would otherwise ask 169.254.169.254 for the profile without credentials.
        let python = try runProgram("/usr/bin/env", ["-i", "HOME=\(home.folder.path)", "PATH=\(home.environment["PATH"]!)",
                                                     "AWS_EC2_METADATA_DISABLED=true", "python3", "-c", script],
                                    input: JSONValue.array(Self.profiles.map(JSONValue.string)).serialized())
        let botocore = try JSONValue(parsing: python)

        let config = try AWSSharedConfig(environment: home.environment)
        for name in Self.profiles {
            let ours: String
            do {
                ours = try CredentialSource.resolve(profile: name, config: config, environment: home.environment).method
            } catch {
                ours = error.code
            }
            #expect(botocore[name]?.stringValue == ours, "profile \(name)")
        }
    }
}
