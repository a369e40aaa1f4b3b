import ArgumentParser
import Core

/// Options every subcommand that talks to the service takes, before or after its arguments.
struct ServiceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The sandbox store file.", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("The catalog requests default to: Sandbox or AWS.", valueName: "catalog"))
    var catalog: String = "Sandbox"

    func validate() throws {
        guard SandboxService.catalogs.contains(catalog) else {
            throw ValidationError("--catalog must be AWS or Sandbox, not '\(catalog)'")
        }
    }

    /// The sandbox store these options name; the writes made through it are audited as `audit` says.
    func openSandbox(audit: AuditContext) throws(ServiceError) -> SandboxService {
        try SandboxService(path: store ?? SandboxService.defaultPath, audit: audit)
    }

    /// The service these options choose: today always the embedded sandbox.
    func openService(audit: AuditContext) throws(ServiceError) -> any EngagementService {
        try openSandbox(audit: audit)
    }

    /// The service, with a failure to open it reported as one line.
    func service(audit: AuditContext) throws -> any EngagementService {
        do {
            return try openService(audit: audit)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
