import ArgumentParser

/// The `engage` command: explore and script the AWS Partner Central Selling API.
@main
struct Engage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engage",
        abstract: "Explore and script the AWS Partner Central Selling API (partnercentral-selling 2022-07-26).",
        discussion: """
            engage knows the service model: every structure, enum and constraint of the operations \
            CreateEngagement, GetEngagement, ListEngagements, CreateEngagementContext and \
            UpdateEngagementContext.

            Examples:
              engage describe LeadCustomer               members, types, constraints
              engage describe Industry                   the 28 industries, one a line
              engage describe CountryCode --output json  the 249 country codes as JSON
              engage call CreateEngagement '{"Title": "Acme", "Description": "Pilot"}'
            """,
        subcommands: [RunScript.self, Call.self, Describe.self]
    )
}
