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

    /// The service these options choose: today always the embedded sandbox.
    func openService() throws(ServiceError) -> any EngagementService {
        try SandboxService(path: store ?? SandboxService.defaultPath)
    }

    /// The service, with a failure to open it reported as one line.
    func service() throws -> any EngagementService {
        do {
            return try openService()
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
