import ArgumentParser
import Core
import Foundation
import Sandbox

/// `engage sandbox review|solutions|users|clock`: the embedded sandbox's own controls, which stand in for
/// what AWS's people do and what a Partner Central account holds, and its clock.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "The sandbox's own controls: AWS's review of a submitted opportunity, the solutions and users it holds, and its clock.",
        discussion: """
            On AWS, people at AWS review the opportunities you submit, and your Partner Central account \
            holds your solutions and your users. The embedded sandbox has no such people and no such \
            account, so these commands do their part: review an opportunity you submitted, add a solution \
            to associate, add a user to assign; and move the sandbox's clock to see what dates decide. They \
            act on the sandbox store (--store) only, never over HTTP; each write is in the audit (engage \
            log) under command sandbox. To act on a store that engage serve serves, give its --store here.

            Examples:
              engage sandbox review O1234567890123 --status Approved
              engage sandbox solutions add --id S-3000001 --name "Fraud Detection"
              engage sandbox users add --email ada@example.com --first-name Ada \\
                  --last-name Lovelace
              engage sandbox clock --advance 16d
            """,
        subcommands: [SandboxReview.self, SandboxInvite.self, SandboxSolutions.self, SandboxUsers.self, SandboxClock.self]
    )

    /// Prints a refusal of the sandbox as `engage call` prints a service error, each field named by the
    /// command's option (`--aws-stage`, not `aws_stage`), and fails the command.
    static func fail(_ error: ServiceError) -> ExitCode {
        let issues = error.errorList.map { issue in
            var named = issue
            named.fieldName = issue.fieldName.map(optionName)
            return named
        }
        Call.report(ServiceError(code: error.code, message: error.message, reason: error.reason, errorList: issues), as: .text)
        return ExitCode(1)
    }

    /// `aws_stage` → `--aws-stage`: the controls name their fields as Lua's `sandbox` table does.
    private static func optionName(_ field: String) -> String {
        "--" + field.replacingOccurrences(of: "_", with: "-")
    }

    /// The audit context of the controls' writes.
    static let audit = AuditContext(command: "sandbox")
}

extension ServiceOptions {
    /// Refuses `--endpoint-url` and `--aws` for `command`, which acts on the embedded sandbox only.
    func requireSandbox(for command: String) throws {
        guard transport != nil else { return }
        let option = aws ? "--aws" : "--endpoint-url"
        throw ValidationError("""
            \(command) acts on the embedded sandbox only (the store --store names): \(option) sends to a service over HTTP, \
            which has no such control. Leave out \(option); for a store that engage serve serves, give its --store.
            """)
    }
}

/// Refuses an option's value when the bytes the shell passed are not UTF-8 (ArgumentParser would have
/// replaced them with U+FFFD), naming the option.
func requireUTF8(_ values: [(option: String, value: String?)]) throws {
    for case let (option, value?) in values where value.unicodeScalars.contains("\u{FFFD}") {
        if String(validating: Call.bytesAsPassed(value), as: UTF8.self) == nil {
            throw ValidationError("\(option) is not valid UTF-8 text")
        }
    }
}

/// `engage sandbox review ID --status S`: sets a submitted opportunity's review status as AWS's review would.
struct SandboxReview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a submitted opportunity as AWS would: approve it, ask for changes, reject it, or start the review.",
        discussion: """
            After SubmitOpportunity an opportunity waits for AWS's review (ReviewStatus Submitted). This \
            command gives it the review's outcome: In review, Approved, Action Required (AWS asks you to \
            change something; say what with --comments) or Rejected (say why with --reason, else a plain \
            reason is given). Only a submitted opportunity (Submitted, In review or Action Required) can be \
            reviewed. AWS's side of the opportunity, which GetAwsOpportunitySummary returns, gets its stage \
            (--aws-stage, by default Qualified when approved, Closed Incomplete when rejected, Not Started \
            otherwise), the next steps and the AWS seller. Prints the opportunity as GetOpportunity now \
            answers it.

            Examples:
              engage sandbox review O1234567890123 --status Approved --aws-stage Qualified
              engage sandbox review O1234567890123 --status "Action Required" \\
                  --comments "Fix the postal code"
              engage sandbox review O1234567890123 --status Rejected --reason Duplicate
            """
    )

    @Argument(help: ArgumentHelp("The opportunity's id (O and digits), as CreateOpportunity answered it.", valueName: "opportunity"))
    var opportunity: String

    @Option(help: ArgumentHelp("The review's outcome: In review, Approved, Action Required or Rejected.", valueName: "status"))
    var status: String

    @Option(help: ArgumentHelp("What AWS tells you (ReviewComments), e.g. what to change in Action Required.", valueName: "text"))
    var comments: String?

    @Option(help: ArgumentHelp("Why (ReviewStatusReason); a rejection without one gets a plain reason.", valueName: "text"))
    var reason: String?

    @Option(name: .customLong("aws-stage"), help: ArgumentHelp("The opportunity's stage on AWS's side (an AwsOpportunityStage, e.g. Qualified).", valueName: "stage"))
    var awsStage: String?

    @Option(name: .customLong("next-steps"), help: ArgumentHelp("AWS's next steps, as GetAwsOpportunitySummary returns them.", valueName: "text"))
    var nextSteps: String?

    @Option(name: .customLong("seller-email"), help: ArgumentHelp("The AWS seller who takes the opportunity (default aws-seller@example.com).", valueName: "email"))
    var sellerEmail: String?

    @OptionGroup var options: ServiceOptions

    func validate() throws {
        try options.requireSandbox(for: "engage sandbox review")
        try requireUTF8([
            ("the opportunity", opportunity), ("--status", status), ("--comments", comments), ("--reason", reason), ("--aws-stage", awsStage),
            ("--next-steps", nextSteps), ("--seller-email", sellerEmail),
        ])
    }

    func run() async throws {
        let sandbox = options.openExistingSandbox(audit: SandboxCommand.audit)
        let control = ReviewControl(status: status, comments: comments, reason: reason, awsStage: awsStage, nextSteps: nextSteps, sellerEmail: sellerEmail)
        do throws(ServiceError) {
            print(try await sandbox.review(catalog: options.catalog, opportunity: opportunity, control).serialized(pretty: true))
        } catch {
            throw SandboxCommand.fail(error)
        }
    }
}
