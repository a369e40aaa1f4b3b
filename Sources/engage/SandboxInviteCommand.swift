import ArgumentParser
import Core
import Foundation
import Sandbox

/// `engage sandbox invite [OPPORTUNITY] [--to ACCOUNT]`: AWS refers an opportunity and invites a partner.
struct SandboxInvite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Have AWS refer an opportunity to a partner: AWS's engagement and a pending invitation to accept or reject.",
        discussion: """
            On AWS, AWS's sellers refer opportunities to partners: an engagement invitation arrives, and the \
            partner accepts it (StartEngagementByAcceptingInvitationTask, which gives the partner an \
            opportunity of its own) or rejects it. This command plays AWS: it creates the opportunity on \
            AWS's side from the members given (CreateOpportunity's, as JSON text, @FILE or - ; an example \
            retail opportunity when left out) and invites --to (the sandbox's own account unless given; an \
            identity of engage serve's credentials file, such as bob, for a partner there). It prints the \
            invitation as GetEngagementInvitation answers it. The invitation expires 15 days on by the \
            sandbox's clock (engage sandbox clock).

            Examples:
              engage sandbox invite
              engage sandbox invite @referral.json --to bob
            """
    )

    @Argument(help: ArgumentHelp("The opportunity AWS refers: CreateOpportunity's members as JSON text, @FILE or -.", valueName: "opportunity"))
    var opportunity: String?

    @Option(help: ArgumentHelp("The account invited (default the sandbox's own, 123456789012).", valueName: "account"))
    var to: String?

    @OptionGroup var options: ServiceOptions

    func validate() throws {
        try options.requireSandbox(for: "engage sandbox invite")
        try requireUTF8([("--to", to)])
        if let to, !ModelValidator.validate(.string(to), as: "AwsAccount").isEmpty {
            throw ValidationError("--to '\(to)' is not an account: 12 digits, or 1 to 12 letters, digits or underscores")
        }
    }

    func run() async throws {
        do throws(ServiceError) {
            let document = try Call.document(from: opportunity)
            let invitation = try await options.openSandbox(audit: SandboxCommand.audit).inviteFromAWS(catalog: options.catalog, opportunity: document, to: to)
            print(invitation.serialized(pretty: true))
        } catch {
            throw SandboxCommand.fail(error)
        }
    }
}
