import ArgumentParser
import Core

/// `engage describe NAME`: a shape, operation or documented value set of the service model.
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a shape of the service model: members, types, constraints, enum values, documentation.",
        discussion: """
            NAME is a shape (LeadCustomer, Industry, EngagementTitle), an operation (CreateEngagement) or a \
            value set the model documents in prose (StateOrRegion). Names match exactly, or ignoring case \
            when only one name fits.

            In text, an enum prints its values one per line and nothing else; a structure prints each \
            member with [required] or [optional], its type and its constraints.
            """
    )

    @Argument(help: "The shape, operation or value set to describe, e.g. LeadCustomer.")
    var name: String?

    @Option(help: "text for people, json for programs (one document on stdout).")
    var output: OutputFormat = .text

    @Flag(help: "List every name that can be described.")
    var list = false

    func validate() throws {
        if name == nil && !list { throw ValidationError("Give a NAME to describe, or --list to see every name.") }
    }

    func run() throws {
        if list {
            let names = ShapeDescription.describableNames
            print(output == .json ? JSONValue.array(names.map(JSONValue.string)).serialized(pretty: true) : names.joined(separator: "\n"))
            return
        }
        let description: ShapeDescription
        do {
            description = try ShapeDescription(named: name ?? "")
        } catch {
            throw CommandFailure(error.description)
        }
        switch output {
        case .text: print(description.text(), terminator: "")
        case .json: print(description.json.serialized(pretty: true))
        }
    }
}
