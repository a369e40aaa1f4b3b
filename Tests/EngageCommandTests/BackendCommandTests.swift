import Core
import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The real binary choosing its backend: `--endpoint-url` against the stand-in endpoint (botocore checks
/// each signature), `--aws` refusing live writes it cannot confirm, and the options' validation.
@Suite(.tags(.process, .interop), .timeLimit(.minutes(2)))
struct BackendCommandTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-backend-\(UUID().uuidString)")

    /// An environment with a home of its own and nothing from the AWS variables of the one running the tests.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let cleared = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_REGION",
                       "AWS_DEFAULT_REGION", "AWS_MAX_ATTEMPTS", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]
        var environment = Dictionary(uniqueKeysWithValues: cleared.map { ($0, "") })
        environment["HOME"] = folder.path
        return environment.merging(extra) { _, new in new }
    }

    var keys: [String: String] {
        ["AWS_ACCESS_KEY_ID": StandInServer.credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": StandInServer.credentials.secretAccessKey]
    }

    @Test(.enabled(if: Botocore.isAvailable)) func callGoesToTheEndpointSignedAndRetriesAThrottle() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start()
        let result = try runEngage(["call", "GetEngagement", #"{"Identifier": "eng-throttleonce01"}"#, "--endpoint-url", server.url, "--catalog", "AWS"],
            environment: environment(keys))
        let received = await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(received.count == 2)
        #expect(received.allSatisfy { $0["verified"] == true })
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["ModifiedAt"] == "2025-06-30T12:00:01.000000001Z")
        #expect(document["Id"] == "eng-throttleonce01")
    }

    /// Any operation of the model, in either spelling, goes to the endpoint: an opportunity list there; the
    /// sandbox answers the same spellings.
    @Test(.enabled(if: Botocore.isAvailable)) func callSendsAnyOperationOfTheModelInEitherSpelling() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start()
        let listed = try runEngage(["call", "list-opportunities", "--endpoint-url", server.url, "--catalog", "AWS"], environment: environment(keys))
        let submitted = try runEngage(["call", "SubmitOpportunity", #"{"Identifier": "O1001", "InvolvementType": "Co-Sell"}"#, "--endpoint-url", server.url],
            environment: environment(keys))
        let received = await server.stop()
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(try JSONValue(parsing: listed.stdout)["NextToken"] == "page-2")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        #expect(try JSONValue(parsing: submitted.stdout) == [:])
        #expect(received.map { $0["target"] } == ["AWSPartnerCentralSelling.ListOpportunities", "AWSPartnerCentralSelling.SubmitOpportunity"])

        let store = folder.appendingPathComponent("sandbox.sqlite").path
        let onSandbox = try runEngage(["call", "list-resource-snapshot-jobs", "--store", store])
        #expect(onSandbox.status == 0, "\(onSandbox.stderr)")
        #expect(try JSONValue(parsing: onSandbox.stdout) == ["ResourceSnapshotJobSummaries": []])
        let misspelt = try runEngage(["call", "create-oportunity", "--store", store])
        #expect(misspelt.stderr.contains("(did you mean 'CreateOpportunity'?)"), "\(misspelt.stderr)")
    }

    @Test(.enabled(if: Botocore.isAvailable)) func aProfilesKeysSignTheRequestsForItsRegion() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start(region: "eu-west-1")
        let credentials = try file("team-credentials", "[partner]\naws_access_key_id = \(StandInServer.credentials.accessKeyId)\naws_secret_access_key = \(StandInServer.credentials.secretAccessKey)\n")
        let config = try file("team-config", "[profile partner]\nregion = eu-west-1\n")
        let result = try runEngage(["call", "GetEngagement", #"{"Identifier": "eng-standin0000001"}"#, "--endpoint-url", server.url, "--profile", "partner"],
            environment: environment(["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config]))
        let received = await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(received.count == 1)
        #expect(received.first?["verified"] == true)
    }

    @Test(.enabled(if: Botocore.isAvailable)) func aConflictIsReportedOnceAndNotRetried() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start()
        let request = #"{"EngagementIdentifier": "eng-conflict000001", "ContextIdentifier": "1", "EngagementLastModifiedAt": "2025-06-30T12:00:00Z", "Type": "Lead", "Payload": {"Lead": {"Customer": {"CompanyName": "Acme", "Industry": "Retail", "Address": {"CountryCode": "US"}}}}}"#
        let result = try runEngage(["call", "UpdateEngagementContext", request, "--endpoint-url", server.url, "--output", "json"], environment: environment(keys))
        #expect(await server.stop().count == 1)
        #expect(result.status == 1)
        let document = try JSONValue(parsing: result.stderr)
        #expect(document["__type"] == "ConflictException")
        #expect(document["Message"] == "The engagement was modified since EngagementLastModifiedAt")
    }

    @Test(.enabled(if: Botocore.isAvailable)) func luaReadsTheEndpointsAnswers() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start()
        let script = #"local e = get_engagement("eng-standin0000001"); print(e.CreatedAt, e.Title)"#
        let result = try runEngage(["run", "-", "--endpoint-url", server.url], input: script, environment: environment(keys))
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "2025-06-30T12:00:00.123456789Z\tStand-in\n")
    }

    @Test(.enabled(if: Botocore.isAvailable)) func verboseRunsSayWhereTheyGo() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try await StandInServer.start()
        let result = try runEngage(["run", "-", "-v", "--endpoint-url", server.url, "--max-rps", "50"], input: #"get_engagement("eng-standin0000001")"#,
            environment: environment(keys))
        await server.stop()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("engage: on the endpoint \(server.url) (region us-east-1, at most 50 requests/s per operation), catalog Sandbox\n"))
        #expect(result.stderr.contains("engage: GetEngagement eng-standin0000001 "))
    }

    @Test func withoutCredentialsTheErrorSaysHowToSetThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Nothing listens there; the call fails before anything is sent.
        let result = try runEngage(["call", "GetEngagement", #"{"Identifier": "eng-standin0000001"}"#, "--endpoint-url", "http://127.0.0.1:9"],
            environment: environment())
        #expect(result.status == 1)
        #expect(result.stderr.contains("engage: NoCredentialsError: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and neither \(folder.path)/.aws/credentials nor \(folder.path)/.aws/config has a default profile"), "\(result.stderr)")
        #expect(result.stderr.contains("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
    }

    @Test func liveWritesWithoutATerminalAreRefusedBeforeAnythingIsSent() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // No credentials either: had engage tried to send, it would have said NoCredentialsError.
        let result = try runEngage(["call", "CreateEngagement", #"{"Title": "Acme", "Description": "Pilot"}"#, "--aws", "--catalog", "AWS"],
            environment: environment())
        #expect(result.status == 1)
        #expect(result.stderr == """
            engage: WriteNotConfirmed: CreateEngagement to the AWS catalog at https://partnercentral-selling.us-east-1.api.aws was not sent: \
            there is no terminal to confirm it on; add --yes to allow writes to the AWS catalog\n
            """)
    }

    @Test func theRegionPicksTheRealEndpoint() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["call", "CreateEngagement", #"{"Title": "Acme", "Description": "Pilot"}"#, "--aws", "--region", "eu-west-1", "--catalog", "AWS"],
            environment: environment())
        #expect(result.stderr.contains("at https://partnercentral-selling.eu-west-1.api.aws was not sent"))
    }

    @Test func badBackendOptionsAreRefusedByName() throws {
        let cases: [([String], String)] = [
            (["--endpoint-url", "http://127.0.0.1:1", "--aws"], "--endpoint-url and --aws both choose where to send requests"),
            (["--endpoint-url", "127.0.0.1:8123"], "--endpoint-url '127.0.0.1:8123' is not an http:// or https:// URL with a host"),
            (["--profile", "dev"], "--profile is for the HTTP transport: add --endpoint-url URL or --aws"),
            (["--aws", "--region", "eu-west-1.evil.example"], "--region: 'eu-west-1.evil.example' is not a region name"),
            (["--aws", "--max-attempts", "0"], "--max-attempts must be 1 or more, not 0"),
            (["--aws", "--max-rps=-1"], "--max-rps must be a number of requests per second, 0 or more"),
            (["--aws", "--store", "s.sqlite"], "--store is the sandbox's file"),
        ]
        for (options, message) in cases {
            let result = try runEngage(["call", "ListEngagements"] + options, environment: environment())
            #expect(result.status == 64, "\(options)")
            #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
        }
    }

    @Test func aNamedProfileThatIsNowhereIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["call", "ListEngagements", "--aws", "--profile", "nosuch"], environment: environment())
        #expect(result.status == 1)
        #expect(result.stderr.contains("ProfileNotFound: the profile 'nosuch' is in neither"))
    }
}
