import ArgumentParser
import AWSTransport
import Core
import Foundation
import Sandbox
import Server

/// `engage serve`: the sandbox over the service's wire protocol, for boto3, the AWS CLI and engage itself.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the sandbox over AWS JSON 1.0 with SigV4 checked, for boto3, the AWS CLI and engage --endpoint-url.",
        discussion: """
            Every request must be signed with one of the access keys the server is started with: those of \
            --credentials-file, else the key the AWS CLI's credential chain finds (AWS_ACCESS_KEY_ID and \
            AWS_SECRET_ACCESS_KEY, else AWS_PROFILE or the default profile). A credentials file is JSON:
              {"AccessKeys": [{"AccessKeyId": "AKIDALICE", "SecretAccessKey": "…", "Identity": "alice"}]}
            Identity (12 digits or up to 12 letters, digits and underscores) is recorded as CreatedBy and \
            ModifiedBy; a key from the credential chain writes as the sandbox's account.

            The log goes to standard error: first the address (with the port really bound, for --port 0), \
            then one line per request. SIGINT or SIGTERM stops the server once requests in flight are answered, \
            or closes their connections --shutdown-timeout seconds later.

            Example:
              engage serve --port 8080 --credentials-file team.json
              aws partnercentral-selling list-engagements --catalog Sandbox --endpoint-url http://127.0.0.1:8080
            """
    )

    @Option(help: ArgumentHelp("The address to listen on; anything but loopback is reachable from other machines.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port = 8080

    @Option(help: ArgumentHelp("A JSON file of the access keys that may sign requests, each with its secret and identity.", valueName: "file"))
    var credentialsFile: String?

    @Option(help: ArgumentHelp("The sandbox store file to serve (default under $XDG_DATA_HOME/engage).", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("The region requests must be signed for, and the one the sandbox's ARNs name.", valueName: "region"))
    var region = defaultRegion

    @Option(help: ArgumentHelp("Seconds a connection may wait for a complete request head (idle, or a slow head) before it is closed.", valueName: "seconds"))
    var idleTimeout: Double = 60

    @Option(help: ArgumentHelp("Seconds a request's body may take after its head; later, the request is answered 408 and its connection closed.", valueName: "seconds"))
    var bodyTimeout: Double = 30

    @Option(help: ArgumentHelp("Seconds SIGINT or SIGTERM waits for unfinished requests before closing their connections.", valueName: "seconds"))
    var shutdownTimeout: Double = 10

    @Option(help: ArgumentHelp("Connections served at once (lowered to fit the open-file limit); more wait until one closes.", valueName: "n"))
    var maxConnections = 512

    @OptionGroup var clientOptions: ClientOnlyOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
        if !AWSEndpoint.isValidRegion(region) { throw ValidationError("--region: \(AWSEndpoint.invalidRegion(region).message)") }
        if let refusal = clientOptions.refusal { throw ValidationError(refusal) }
        for (option, seconds) in [("--idle-timeout", idleTimeout), ("--body-timeout", bodyTimeout), ("--shutdown-timeout", shutdownTimeout)]
        where !(seconds > 0 && seconds <= 86_400) {
            throw ValidationError("\(option) must be a number of seconds above 0 and at most 86400, not \(seconds)")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be 1 or more, not \(maxConnections)") }
    }

    /// The limits the options give.
    var limits: ServerLimits {
        var limits = ServerLimits()
        limits.idleTimeout = .seconds(idleTimeout)
        limits.bodyTimeout = .seconds(bodyTimeout)
        limits.shutdownTimeout = .seconds(shutdownTimeout)
        limits.maxConnections = maxConnections
        return limits
    }

    func run() async throws {
        let keys: any AccessKeyDirectory
        do {
            if let credentialsFile {
                keys = try AccessKeys(credentialsFile: credentialsFile)
            } else {
                keys = try await AccessKeys.resolved(from: ProcessInfo.processInfo.environment)
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        let storePath = store ?? SandboxService.defaultPath
        let sandbox: SandboxService
        do {
            sandbox = try SandboxService(path: storePath, region: region, audit: AuditContext(command: "serve"))
        } catch {
            throw CommandFailure(error.description)
        }
        var server = SandboxServer(host: host, port: port, sandbox: sandbox, storePath: storePath, region: region, keys: keys)
        server.limits = limits
        do {
            try await server.run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        } catch let error as ServiceError {
            throw CommandFailure(error.message)
        } catch {
            throw CommandFailure("cannot serve on \(host):\(port): \(error)")
        }
    }
}

/// The options of the commands that send requests, which a server has no use for. They are parsed, hidden
/// from the help, only to be refused by name with the reason, rather than ignored while the sandbox is served.
struct ClientOnlyOptions: ParsableArguments {
    @Flag(help: .hidden) var aws = false
    @Option(name: .customLong("endpoint-url"), help: .hidden) var endpointURL: String?
    @Option(help: .hidden) var profile: String?
    // Values are kept as text, and taken even when they start with "-", so that `--max-rps -1` is refused for
    // what it is rather than as a missing or malformed value.
    @Option(name: .customLong("max-rps"), parsing: .unconditional, help: .hidden) var maxRPS: String?
    @Option(parsing: .unconditional, help: .hidden) var maxAttempts: String?
    @Flag(help: .hidden) var yes = false
    @Option(help: .hidden) var catalog: String?

    /// The first option given, with why `engage serve` refuses it; nil when none was given.
    var refusal: String? {
        let given: [(option: String, isGiven: Bool, why: String)] = [
            ("--aws", aws, "--aws chooses where a client sends requests; engage serve serves the sandbox store (--store)"),
            ("--endpoint-url", endpointURL != nil, "--endpoint-url chooses where a client sends requests; give the server's URL to the client"),
            ("--profile", profile != nil, "--profile picks a client's credentials; the keys that may sign come from --credentials-file, else the credential chain (AWS_PROFILE)"),
            ("--max-rps", maxRPS != nil, "--max-rps limits a client's requests; engage serve sends none"),
            ("--max-attempts", maxAttempts != nil, "--max-attempts sets a client's retries; engage serve sends no requests"),
            ("--yes", yes, "--yes confirms a client's writes to the AWS catalog on the real endpoint; engage serve serves the sandbox"),
            ("--catalog", catalog != nil, "--catalog sets a client's default catalog; each request names its own Catalog, and both are served"),
        ]
        return given.first(where: \.isGiven).map { "engage serve does not take \($0.option): \($0.why)" }
    }
}
