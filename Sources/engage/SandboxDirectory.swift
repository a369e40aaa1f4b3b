import ArgumentParser
import Core
import Foundation
import Sandbox

/// `engage sandbox solutions [add]`: the solutions the sandbox holds, which AssociateOpportunity takes.
struct SandboxSolutions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solutions",
        abstract: "List the solutions the sandbox holds (the ones you can associate with an opportunity), or add one.",
        discussion: """
            On AWS your solutions are those your Partner Central account offers. Every sandbox store holds \
            the same seeded ones, S-1234567 (the one AWS's own Sandbox catalog offers) among them, in every \
            catalog; add your own to associate an opportunity with a solution of your choosing. Only an \
            Active solution can be associated.

            Examples:
              engage sandbox solutions
              engage sandbox solutions --output json
              engage sandbox solutions add --id S-3000001 --name "Fraud Detection" \\
                  --category "Managed Service"
            """,
        subcommands: [List.self, Add.self],
        defaultSubcommand: List.self
    )

    /// `engage sandbox solutions [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the solutions, the seeded ones first, then those added, oldest first.")

        @Option(help: "text prints a table; json prints one document, {\"Solutions\": [...]}, on stdout.")
        var output: OutputFormat = .text

        @OptionGroup var options: ServiceOptions

        func validate() throws { try options.requireSandbox(for: "engage sandbox solutions") }

        func run() async throws {
            let sandbox = options.readSandboxIfPresent(audit: SandboxCommand.audit)
            let solutions: [SandboxSolution]
            do throws(ServiceError) {
                solutions = try await sandbox.solutions()
            } catch {
                throw SandboxCommand.fail(error)
            }
            switch output {
            case .json: print(JSONValue.object(["Solutions": .array(solutions.map(\.json))]).serialized(pretty: true))
            case .text:
                print(table(
                    ["ID", "STATUS", "CATEGORY", "CREATED", "NAME"],
                    solutions.map { [$0.id, $0.status.rawValue, $0.category, $0.created, $0.name] }))
            }
            noteMissing(sandbox)
        }
    }

    /// `engage sandbox solutions add --id S-… --name N`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a solution to the sandbox, in every catalog, created now.",
            discussion: """
                The id must be one the model allows for a solution (S- and digits, e.g. S-3000001) and no \
                solution the sandbox holds may have it already.
                """
        )

        @Option(help: ArgumentHelp("The solution's id: S- and up to 19 digits.", valueName: "id"))
        var id: String

        @Option(help: ArgumentHelp("The solution's name, as ListSolutions shows it.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Active (the default; only an Active solution can be associated), Inactive or Draft.", valueName: "status"))
        var status = "Active"

        @Option(help: ArgumentHelp("The solution's category, e.g. Software Product (the default) or Consulting Service.", valueName: "category"))
        var category = "Software Product"

        @OptionGroup var options: ServiceOptions

        func validate() throws {
            try options.requireSandbox(for: "engage sandbox solutions add")
            try requireUTF8([("--id", id), ("--name", name), ("--status", status), ("--category", category)])
        }

        func run() async throws {
            let solution = SandboxSolution(
                id: id, name: name, status: SolutionStatus(rawValue: status), category: category, created: SandboxTime.text(SandboxTime.nowMicroseconds()))
            do throws(ServiceError) {
                try await options.openSandbox(audit: SandboxCommand.audit).addSolution(solution)
            } catch {
                throw SandboxCommand.fail(error)
            }
            print(solution.json.serialized(pretty: true))
        }
    }
}

/// `engage sandbox users [add]`: the users of the partner's account, whom AssignOpportunity may name.
struct SandboxUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List the users of your Partner Central account that the sandbox knows (the ones you can assign an opportunity to), or add one.",
        discussion: """
            AssignOpportunity names a user of your Partner Central account, and the service has no API to \
            list them. Every sandbox store knows the same seeded users; add your own to assign opportunities \
            to them. AssignOpportunity with an email the sandbox does not know is refused.

            Examples:
              engage sandbox users
              engage sandbox users add --email ada@example.com --first-name Ada \\
                  --last-name Lovelace --title PartnerAccountManager
            """,
        subcommands: [List.self, Add.self],
        defaultSubcommand: List.self
    )

    /// `engage sandbox users [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, the seeded ones first, then those added, by email.")

        @Option(help: "text prints a table; json prints one document, {\"Users\": [...]}, each user an AssigneeContact, on stdout.")
        var output: OutputFormat = .text

        @OptionGroup var options: ServiceOptions

        func validate() throws { try options.requireSandbox(for: "engage sandbox users") }

        func run() async throws {
            let sandbox = options.readSandboxIfPresent(audit: SandboxCommand.audit)
            let users: [SandboxUser]
            do throws(ServiceError) {
                users = try await sandbox.users()
            } catch {
                throw SandboxCommand.fail(error)
            }
            switch output {
            case .json: print(JSONValue.object(["Users": .array(users.map(\.json))]).serialized(pretty: true))
            case .text: print(table(["EMAIL", "TITLE", "NAME"], users.map { [$0.email, $0.businessTitle, "\($0.firstName) \($0.lastName)"] }))
            }
            noteMissing(sandbox)
        }
    }

    /// `engage sandbox users add --email E --first-name F --last-name L`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user of your Partner Central account, whom AssignOpportunity may then name.",
            discussion: "The email must be one the model allows, and no user the sandbox knows may have it already (in any letter case)."
        )

        @Option(help: ArgumentHelp("The user's email address.", valueName: "email"))
        var email: String

        @Option(name: .customLong("first-name"), help: ArgumentHelp("The user's first name.", valueName: "name"))
        var firstName: String

        @Option(name: .customLong("last-name"), help: ArgumentHelp("The user's last name.", valueName: "name"))
        var lastName: String

        @Option(help: ArgumentHelp("The user's business title: OpportunityOwner (the default) or PartnerAccountManager.", valueName: "title"))
        var title = "OpportunityOwner"

        @OptionGroup var options: ServiceOptions

        func validate() throws {
            try options.requireSandbox(for: "engage sandbox users add")
            try requireUTF8([("--email", email), ("--first-name", firstName), ("--last-name", lastName), ("--title", title)])
        }

        func run() async throws {
            let user = SandboxUser(email: email, firstName: firstName, lastName: lastName, businessTitle: title)
            do throws(ServiceError) {
                try await options.openSandbox(audit: SandboxCommand.audit).addUser(user)
            } catch {
                throw SandboxCommand.fail(error)
            }
            print(user.json.serialized(pretty: true))
        }
    }
}

/// Rows under a header, each column as wide as its widest cell, two spaces apart; the last column unpadded.
private func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.indices.map { column in
            column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// After a list read from a store that is not there: a note on stderr that the list is a new store's.
private func noteMissing(_ sandbox: SandboxService) {
    guard sandbox.answeredForMissingStore else { return }
    FileHandle.standardError.write(Data("engage: note: no sandbox store is at \(sandbox.storePath) yet, so these are the ones a new store holds: check --store\n".utf8))
}
