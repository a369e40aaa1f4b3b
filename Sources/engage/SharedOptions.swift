import ArgumentParser
import AWSTransport
import Core
import Foundation
import RecipeRunner
import Sandbox
import Scripting

/// Options every subcommand that talks to the service takes, before or after its arguments: the backend
/// (the sandbox unless `--endpoint-url` or `--aws` says otherwise) and how to reach it.
struct ServiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The sandbox store file.", valueName: "path"))
    var store: String?

    /// The catalog requests default to when no --catalog is given.
    static let defaultCatalog = "Sandbox"

    @Option(name: .customLong("catalog"), help: ArgumentHelp("The catalog requests default to: Sandbox (the default) or AWS.", valueName: "catalog"))
    var chosenCatalog: String?

    /// The catalog requests default to: the one given, else Sandbox.
    var catalog: String { chosenCatalog ?? Self.defaultCatalog }

    @Option(name: .customLong("endpoint-url"), help: ArgumentHelp("Talk to the service at this URL over HTTP (engage serve, a proxy, a test server) instead of the sandbox.", valueName: "url"))
    var endpointURL: String?

    @Flag(help: "Talk to the real AWS endpoint of the region instead of the sandbox; writes to the AWS catalog ask first.")
    var aws = false

    @Option(help: ArgumentHelp("The AWS CLI profile for credentials and region (default: AWS_PROFILE, else default).", valueName: "profile"))
    var profile: String?

    @Option(help: ArgumentHelp("The AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1); on the sandbox, the region its ARNs name (us-east-1 unless given).", valueName: "region"))
    var region: String?

    // `.unconditional`: a value starting with "-" (`--max-attempts -1`) is taken as the value and refused by
    // validate() for what it is, not reported as a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Attempts per call, retries included, for throttling, server and connection errors (default: AWS_MAX_ATTEMPTS, else 3).", valueName: "n"))
    var maxAttempts: Int?

    @Option(name: .customLong("max-rps"), parsing: .unconditional, help: ArgumentHelp("Requests per second per operation, 0 for no limit (default: AWS's quotas with --aws, none otherwise).", valueName: "r"))
    var maxRPS: Double?

    @Flag(help: "Write to the AWS catalog on the real endpoint without asking (needed when there is no terminal to ask on).")
    var yes = false

    func validate() throws {
        guard SandboxService.catalogs.contains(catalog) else {
            throw ValidationError("--catalog must be AWS or Sandbox, not '\(catalog)'")
        }
        if endpointURL != nil, aws {
            throw ValidationError("--endpoint-url and --aws both choose where to send requests: give one")
        }
        if let endpointURL, AWSEndpoint(url: endpointURL, region: defaultRegion) == nil {
            throw ValidationError(HTTPTransportSettings.badURL(endpointURL).message)
        }
        if let region, !AWSEndpoint.isValidRegion(region) { throw ValidationError("--region: \(AWSEndpoint.invalidRegion(region).message)") }
        if let maxAttempts, maxAttempts < 1 { throw ValidationError("--max-attempts must be 1 or more, not \(maxAttempts)") }
        if let maxRPS, !(maxRPS >= 0 && maxRPS.isFinite) { throw ValidationError("--max-rps must be a number of requests per second, 0 or more, not \(maxRPS)") }
        if transport == nil {
            let given = [("--profile", profile != nil), ("--max-attempts", maxAttempts != nil), ("--max-rps", maxRPS != nil)]
            if let option = given.first(where: \.1)?.0 {
                throw ValidationError("\(option) is for the HTTP transport: add --endpoint-url URL or --aws (without them engage uses the sandbox)")
            }
        } else if store != nil {
            throw ValidationError("--store is the sandbox's file; with --endpoint-url or --aws requests go over HTTP")
        }
    }

    /// The HTTP transport these options ask for; nil for the sandbox.
    var transport: HTTPTransportSettings? {
        let target: HTTPTransportSettings.Target
        if aws { target = .aws } else if let endpointURL { target = .endpoint(endpointURL) } else { return nil }
        return HTTPTransportSettings(target: target, profile: profile, region: region, maxAttempts: maxAttempts, maxRequestsPerSecond: maxRPS)
    }

    /// The sandbox store these options name, opened by the first call that needs it (so a script that makes
    /// no call leaves no file, and a store that cannot be opened is that call's error); the writes made
    /// through it are audited as `audit` says.
    func openSandbox(audit: AuditContext) -> SandboxService {
        Self.sandbox(store: store ?? SandboxService.defaultPath, region: region, audit: audit)
    }

    /// The sandbox store these options name, for a command that only reads: when its file is not there the
    /// first call says so, and nothing is created.
    func openExistingSandbox(audit: AuditContext) -> SandboxService {
        SandboxService(openingExisting: store ?? SandboxService.defaultPath, region: region ?? defaultRegion, audit: audit)
    }

    /// The sandbox store these options name, for a read through `engage call`: when its file is not there
    /// the read is answered as an empty store's, and nothing is created.
    func readSandboxIfPresent(audit: AuditContext) -> SandboxService {
        SandboxService(readingIfPresent: store ?? SandboxService.defaultPath, region: region ?? defaultRegion, audit: audit)
    }

    private static func sandbox(store path: String, region: String?, audit: AuditContext) -> SandboxService {
        SandboxService(openingAtFirstCall: path, region: region ?? defaultRegion, audit: audit)
    }

    /// The sandbox backend of `--store` (nil: the default file) and `--region`, with the names the REPL shows.
    static func sandboxBackend(store: String?, region: String?, audit: AuditContext) -> Backend {
        let path = store ?? SandboxService.defaultPath
        let sandbox = sandbox(store: path, region: region, audit: audit)
        return Backend(
            service: sandbox, promptName: "sandbox", place: "the sandbox (\(path))", journal: sandbox, local: sandbox, controls: sandbox, region: region ?? defaultRegion)
    }

    /// The backend these options choose, with the names the REPL shows for it; on the sandbox, writes are
    /// audited as `audit` says.
    func openBackend(audit: AuditContext) throws(ServiceError) -> Backend {
        guard let transport else { return Self.sandboxBackend(store: store, region: region, audit: audit) }
        let http = try transport.service()
        let pace = http.limiter.map { limiter in
            limiter.uniformRate.map { ", at most \(Self.rate($0)) requests/s per operation" } ?? ", each operation paced to AWS's quota"
        }
        let details = "region \(http.endpoint.region)\(pace ?? "")"
        // Recipe runs over HTTP keep their journal locally, since the service keeps none.
        let journal = BackendRunJournal(
            SandboxService(openingAtFirstCall: BackendRunJournal.defaultPath, region: http.endpoint.region, audit: AuditContext(command: "run")),
            endpoint: http.endpoint.description, region: http.endpoint.region)
        guard aws else {
            return Backend(service: http, promptName: "endpoint", place: "the endpoint \(http.endpoint) (\(details))", journal: journal, region: http.endpoint.region)
        }
        let guarded = AWSCatalogWriteGuard(http, endpoint: http.endpoint.description, confirmation: TerminalConfirmation.choose(yes: yes))
        return Backend(service: guarded, promptName: "aws", place: "AWS at \(http.endpoint) (\(details))", journal: journal, region: http.endpoint.region)
    }

    /// The service these options choose.
    func openService(audit: AuditContext) throws(ServiceError) -> any EngagementService {
        try openBackend(audit: audit).service
    }

    /// The backend, with a failure to open it reported as one line.
    func backend(audit: AuditContext) throws -> Backend {
        do {
            return try openBackend(audit: audit)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private static func rate(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A chosen backend: the service, the word the REPL prompt shows, where it is for the banner, the journal
/// recipe runs keep (the sandbox's store, or for an HTTP backend a local one), and the sandbox itself when
/// it is the backend, which a dry run copies.
struct Backend {
    let service: any EngagementService
    let promptName: String
    let place: String
    var journal: (any RunJournal)? = nil
    var local: (any LocalEngagementStore)? = nil
    /// The sandbox's own controls when the sandbox is the backend.
    var controls: (any SandboxControls)? = nil
    /// The region the backend's ARNs name.
    var region = defaultRegion

    /// What Lua's `sandbox` table acts on: the sandbox's controls, or none, since this session sends elsewhere.
    var sandboxReach: SandboxReach {
        controls.map(SandboxReach.controls) ?? .unavailable(reason: "this session sends to \(place)")
    }
}
