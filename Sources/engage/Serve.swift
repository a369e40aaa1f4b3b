import ArgumentParser
import Core
import Foundation
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
            then one line per request. SIGINT or SIGTERM stops the server once requests in flight are answered.

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

    @OptionGroup var options: ServiceOptions

    /// The region requests are signed for and the sandbox's ARNs name: --region, else us-east-1.
    var region: String { options.region ?? "us-east-1" }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
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
        let storePath = options.store ?? SandboxService.defaultPath
        let sandbox: SandboxService
        do {
            sandbox = try SandboxService(path: storePath, region: region, audit: AuditContext(command: "serve"))
        } catch {
            throw CommandFailure(error.description)
        }
        let server = SandboxServer(host: host, port: port, sandbox: sandbox, storePath: storePath, region: region, keys: keys)
        do {
            try await server.run { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        } catch let error as ServiceError {
            throw CommandFailure(error.message)
        } catch {
            throw CommandFailure("cannot serve on \(host):\(port): \(error)")
        }
    }
}
