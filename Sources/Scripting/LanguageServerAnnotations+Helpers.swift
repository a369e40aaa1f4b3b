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
        ]
        let updateResult = ServiceModel.operation(named: "UpdateEngagementContext")?.output
        let json = """
            ---\(summary(of: "json"))
            ---@class engage.json
            ---@field null lightuserdata JSON's null, distinct from nil.
            json = {}
            """
        let dryRun = """
            ---True while `engage run --dry-run` runs the script: nothing is written, so leave files alone too.
            ---@type boolean
            dry_run = false
            """
        return classes + [dryRun, 
            FunctionDeclaration(
                name: "append_interaction", summary: summary(of: "append_interaction"),
                parameters: ["engagement_id string", "context_id string|integer", "interaction LeadInteraction", "opts? RetryOptions"],
                returns: updateResult).text,
            FunctionDeclaration(
                name: "update_lead", summary: summary(of: "update_lead"),
                parameters: ["engagement_id string", "context_id string|integer", "fn fun(lead: LeadContext): LeadContext", "opts? RetryOptions"],
                returns: updateResult).text,
            FunctionDeclaration(
                name: "same_interaction", summary: summary(of: "same_interaction"),
                parameters: ["stored LeadInteraction", "new LeadInteraction"], returns: "boolean").text,
            json,
            FunctionDeclaration(name: "json.encode", summary: "JSON text of a Lua value: objects for tables with names, arrays for lists, sorted keys.",
                                parameters: ["v any", "pretty? boolean"], returns: "string").text,
            FunctionDeclaration(name: "json.decode", summary: "The Lua value of JSON text; null is json.null.", parameters: ["s string"], returns: "any").text,
            FunctionDeclaration(name: "read_csv", summary: summary(of: "read_csv"), parameters: ["path string"], returns: "CSVRow[] rows").text,
            FunctionDeclaration(name: "read_json", summary: summary(of: "read_json"), parameters: ["path string"], returns: "any").text,
            FunctionDeclaration(name: "uuid", summary: summary(of: "uuid"), returns: "string").text,
            FunctionDeclaration(name: "now", summary: summary(of: "now"), returns: "string").text,
            FunctionDeclaration(name: "sleep", summary: summary(of: "sleep"), parameters: ["ms number"]).text,
            FunctionDeclaration(name: "truncate", summary: summary(of: "truncate"), parameters: ["s string", "n integer"], returns: "string").text,
            FunctionDeclaration(name: "log", summary: summary(of: "log"), parameters: ["... any"]).text,
            FunctionDeclaration(name: "help", summary: summary(of: "help"), parameters: ["x? any"]).text,
            FunctionDeclaration(
                name: "recipe", summary: summary(of: "recipe", otherwise: "recipe{...}: declares the file a recipe, with its description, parameters and run function."),
                parameters: ["declaration RecipeDeclaration"], returns: "RecipeDeclaration").text,
            FunctionDeclaration(
                name: "item", summary: summary(of: "item", otherwise: "item(key, fn [, label]): runs fn as the recipe's step named key and returns what fn returns."),
                parameters: ["key string|integer", "fn fun(): any", "label? string"], returns: "any").text,
            FunctionDeclaration(
                name: "check", summary: summary(of: "check"), parameters: ["shape string", "value table"], returns: "table").text,
            FunctionDeclaration(
                name: "progress", summary: summary(of: "progress", otherwise: "progress(done [, total]): reports how far the recipe has come."),
                parameters: ["done integer", "total? integer"]).text,
        ]
    }

    /// The one-line summary `help()` prints for a helper.
    private static func summary(of name: String, otherwise fallback: String = "") -> String {
        Bridge.helperGlobals.first { $0.name == name }?.summary ?? fallback
    }
}

extension Duration {
    /// The duration in whole milliseconds, as the Lua options give it.
    fileprivate var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
