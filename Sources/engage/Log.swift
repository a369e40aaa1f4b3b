import ArgumentParser
import Core
import Sandbox

/// `engage log`: the audit of the writes made on the sandbox store, oldest first.
struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the audit log of writes to the sandbox store: when, what, and who from which command.",
        discussion: """
            Every write the sandbox accepted is recorded in the same transaction as the change: its time \
            (the ModifiedAt it gave the engagement), the OS user and host, the process, the command and \
            recipe that made it, the operation, the engagement and context or the opportunity written, the \
            ClientToken and whether it created or updated. The sandbox's own controls (engage sandbox) are \
            recorded under the actor sandbox-control. ClientToken replays and refused requests change nothing, so they are not \
            in the log. Writes of every catalog are listed, each naming its catalog, unless --catalog \
            names one. An engagement the store has never seen, or a store that is not there, is an error; \
            the log creates no store.

            Examples:
              engage log --engagement eng-0123456789abcd
              engage log --opportunity O1234567890
              engage log --since 2025-06-30T00:00:00Z --output json
            """
    )

    @Option(help: ArgumentHelp("Only the writes of this engagement (an id or an engagement ARN).", valueName: "id"))
    var engagement: String?

    @Option(help: ArgumentHelp("Only the writes of this opportunity (an id, O and digits).", valueName: "id"))
    var opportunity: String?

    @Option(help: ArgumentHelp("Only the writes made at or after this ISO 8601 time, e.g. 2025-06-30T14:05:09Z.", valueName: "time"))
    var since: String?

    @Option(help: "text prints one line per write; json prints one document, {\"Entries\": [...]}, on stdout.")
    var output: OutputFormat = .text

    @OptionGroup var options: ServiceOptions

    func validate() throws {
        if let since, let problem = ISO8601Components.problem(with: since) {
            throw ValidationError("--since '\(since)' \(problem)")
        }
        if let engagement, !ModelValidator.validate(["Catalog": "Sandbox", "Identifier": .string(engagement)], as: "GetEngagementRequest").isEmpty {
            throw ValidationError("--engagement \(ServiceError.excerpt(engagement)) is not an engagement id (eng- and 14 of 0-9 a-z) or ARN")
        }
        if let opportunity, !ModelValidator.validate(["Catalog": "Sandbox", "Identifier": .string(opportunity)], as: "GetOpportunityRequest").isEmpty {
            throw ValidationError("--opportunity \(ServiceError.excerpt(opportunity)) is not an opportunity id (O and 1 to 19 digits)")
        }
        if engagement != nil, opportunity != nil {
            throw ValidationError("--engagement and --opportunity each name the writes of one resource; give one of them")
        }
    }

    func run() async throws {
        let sandbox = options.openExistingSandbox(audit: AuditContext(command: "log"))
        let catalog = options.chosenCatalog
        let entries: [AuditEntry]
        do throws(ServiceError) {
            // Engagement and opportunity ids never look alike, so one column holds either.
            let subject = engagement ?? opportunity
            entries = try await sandbox.auditEntries(engagement: subject, since: since).filter { catalog == nil || $0.catalog == catalog }
            if let subject, entries.isEmpty,
                try await sandbox.auditEntries(engagement: subject).filter({ catalog == nil || $0.catalog == catalog }).isEmpty {
                let place = catalog.map { "catalog \($0)" } ?? "catalog \(SandboxService.catalogs.joined(separator: " or "))"
                let noun = engagement != nil ? "engagement" : "opportunity"
                throw ServiceError.notFound("no \(noun) \(ServiceError.excerpt(subject)) in \(place) of the store \(sandbox.storePath)")
            }
        } catch {
            throw CommandFailure(error.description)
        }
        switch output {
        case .json: print(JSONValue.object(["Entries": .array(entries.map(\.json))]).serialized(pretty: true))
        case .text: for entry in entries { print(Self.line(entry)) }
        }
    }

    /// `2025-06-30T14:05:09.123456Z  ada@laptop pid 4242  run lead-intake  CreateEngagementContext  Sandbox eng-… context 1  token T  created`
    static func line(_ entry: AuditEntry) -> String {
        let source = [entry.command, entry.recipe].compactMap { $0 }.joined(separator: " ")
        let target = [entry.catalog, entry.engagementId] + (entry.contextId.map { ["context", $0] } ?? [])
        return [
            entry.time.text, "\(entry.actor) pid \(entry.processId)", source, entry.operation, target.joined(separator: " "),
            entry.clientToken.map { "token \($0)" } ?? "no token", entry.outcome.rawValue,
        ].joined(separator: "  ") + (entry.event.map { "  event \($0)" } ?? "")
    }
}
