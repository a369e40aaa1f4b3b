import Core

/// The globals that are engage's own rather than the model's: the helpers and the recipe runner's functions.
/// Their summaries are the ones `help()` prints; their parameter types follow the bindings that read them.
extension LanguageServerAnnotations {
    /// The helpers and the recipe runner's globals, with the classes their parameters use.
    static var helperDeclarations: [String] {
        let retry = Bridge.AppendOptions.defaultRetry
        let classes = [
            """
            ---How append_interaction and update_lead retry on ConflictException, with jittered exponential backoff.
            ---@class RetryOptions
            ---@field max_attempts? integer At most this many attempts (\(retry.maxAttempts) unless given).
            ---@field base_delay_ms? integer The bound of the first pause, in milliseconds (\(retry.baseDelay.wholeMilliseconds) unless given).
            ---@field max_delay_ms? integer The largest bound of a pause, in milliseconds (\(retry.maxDelay.wholeMilliseconds) unless given).
            ---@field once? boolean append_interaction: skip an interaction the lead already has (on in recipe runs unless false).
            """,
            """
            ---A row of read_csv: the fields keyed by the header row's names.
            ---@class CSVRow
            ---@field _line integer The line of the file the record starts on.
            ---@field [string] string
            """,
            """
            ---What recipe{} declares.
            ---@class RecipeDeclaration
            ---@field name? string
            ---@field description string
            ---@field params? table<string, RecipeParam>
            ---@field run fun(params: table<string, any>): any
            """,
            """
            ---A parameter a recipe declares, given as `--param name=value`.
            ---@class RecipeParam
            ---@field type "string"|"number"|"boolean"|"path"|"enum"
            ---@field required? boolean
            ---@field default? any
            ---@field values? string[]
            ---@field help? string
            ---@field output? boolean A path the recipe writes: its folder must exist, the file need not.
            """,
            """
            ---What sandbox.review sets: the outcome of AWS's review of a submitted opportunity.
            ---@class SandboxReview
            ---@field status "In review"|"Approved"|"Action Required"|"Rejected"
            ---@field comments? string ReviewComments: what AWS tells the partner.
            ---@field reason? string ReviewStatusReason; a rejection without one gets a plain reason.
            ---@field aws_stage? AwsOpportunityStage The stage on AWS's side (by default Qualified when approved, Closed Incomplete when rejected, else Not Started).
            ---@field next_steps? string AWS's next steps.
            ---@field seller_email? string The AWS seller who takes the opportunity.
            ---@field catalog? "AWS"|"Sandbox" The opportunity's catalog (the session's unless given).
            """,
            """
            ---A solution sandbox.add_solution adds.
            ---@class SandboxNewSolution
            ---@field id string S- and digits.
            ---@field name string
            ---@field status? SolutionStatus Active unless given; only an Active solution can be associated.
            ---@field category? string Software Product unless given.
            """,
            """
            ---A solution the sandbox holds, as ListSolutions summarises it.
            ---@class SandboxSolution
            ---@field Id string
            ---@field Name string
            ---@field Status SolutionStatus
            ---@field Category string
            ---@field CreatedDate string
            """,
            """
            ---A user sandbox.add_user adds.
            ---@class SandboxNewUser
            ---@field email string
            ---@field first_name string
            ---@field last_name string
            ---@field title? "OpportunityOwner"|"PartnerAccountManager" OpportunityOwner unless given.
            """,
            """
            ---Whom sandbox.invite invites.
            ---@class SandboxInviteOptions
            ---@field to? string The account invited: 12 digits, or an identity of engage serve's credentials file.
            """,
            """
            ---How sandbox.clock moves the sandbox's clock: forward by a duration, or back to the real time.
            ---@class SandboxClockMove
            ---@field advance? string Whole numbers with d, h, m or s: "16d", "1d12h".
            ---@field reset? "true"
            """,
            """
            ---What the sandbox's clock reads.
            ---@class SandboxClockReading
            ---@field Now string ISO 8601 UTC with microseconds.
            ---@field AheadBySeconds number How far the sandbox's clock is ahead of the real time.
            """,
        ]
        let dryRun = """
            ---True while `engage run --dry-run` runs the script: nothing is written, so leave files alone too.
            ---@type boolean
            dry_run = false
            """
        return classes + [dryRun] + LuaGlobals.of(.helper).flatMap(declarations)
    }

    /// A helper as LuaLS declares it: a function, or a table's class with a declaration per member.
    private static func declarations(_ helper: LuaGlobal) -> [String] {
        guard case .table(_, let members, let values)? = helper.binding else {
            return [FunctionDeclaration(name: helper.name, summary: helper.summary, parameters: helper.parameters, returns: helper.returns).text]
        }
        let table = (["---\(helper.summary)", "---@class engage.\(helper.name)"] + values.map { "---@field \($0.name) \($0.type) \($0.summary)" } + ["\(helper.name) = {}"]).joined(separator: "\n")
        return [table] + members.map { member in
            FunctionDeclaration(name: "\(helper.name).\(member.name)", summary: member.summary, parameters: member.parameters, returns: member.returns).text
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, as the Lua options give it.
    fileprivate var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
