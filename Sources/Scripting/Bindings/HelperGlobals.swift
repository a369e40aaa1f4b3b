import Core
import Foundation

/// The hand-written rows of the table of globals: engage's own helpers, each once with the line `help()`
/// prints, its signature for `engage types` and the Swift function that implements it. A new helper is one
/// row here; registration, help, completion and the annotations follow from it.
enum HelperGlobals {
    static let rows: [LuaGlobal] = {
        let updateResult = ServiceModel.operation(named: "UpdateEngagementContext")?.output ?? "table"
        return [
            LuaGlobal(
                helper: "append_interaction",
                "append_interaction(engagement_id, context_id, interaction [, opts]): the concurrency-safe append to a Lead context",
                parameters: ["engagement_id string", "context_id string|integer", "interaction LeadInteraction", "opts? RetryOptions"],
                returns: updateResult,
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.appendInteraction(L) } }),
            LuaGlobal(
                helper: "update_lead", "update_lead(engagement_id, context_id, fn): read-modify-write of a Lead; fn(lead) returns the new lead",
                parameters: ["engagement_id string", "context_id string|integer", "fn fun(lead: LeadContext): LeadContext", "opts? RetryOptions"],
                returns: updateResult,
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.updateLead(L) } }),
            LuaGlobal(
                helper: "modify_opportunity",
                "modify_opportunity(id, fn [, opts]): read-modify-write of an opportunity; fn(request) gets the update that keeps it as read and returns the one to send",
                parameters: ["opportunity_id string", "fn fun(request: UpdateOpportunityRequest): UpdateOpportunityRequest", "opts? RetryOptions"],
                returns: ServiceModel.operation(named: "UpdateOpportunity")?.output ?? "table",
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.modifyOpportunity(L) } }),
            LuaGlobal(
                helper: "same_interaction",
                "same_interaction(stored, new): whether append_interaction takes new as stored already: every member alike, the date in UTC unless new has none",
                parameters: ["stored LeadInteraction", "new LeadInteraction"], returns: "boolean",
                .function { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.sameInteraction(L) } }),
            LuaGlobal(
                helper: "each",
                "each(list_fn [, request]): every item of a paginated list operation across its pages: for o in each(list_opportunities, {...}) do … end",
                parameters: ["list_fn function", "request? table"], returns: "fun(): table",
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.each(L) } }),
            LuaGlobal(
                helper: "json", "json.encode(v [, pretty]), json.decode(s), json.null",
                .table(
                    install: { $0.registerJSON() },
                    members: [
                        ("encode", "JSON text of a Lua value: objects for tables with names, arrays for lists, sorted keys.", ["v any", "pretty? boolean"], "string"),
                        ("decode", "The Lua value of JSON text; null is json.null.", ["s string"], "any"),
                    ],
                    values: [("null", "lightuserdata", "JSON's null, distinct from nil.")])),
            LuaGlobal(
                helper: "read_csv", "read_csv(path): rows keyed by the header, each with _line", parameters: ["path string"], returns: "CSVRow[] rows",
                .function { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.readCSV(L) } }),
            LuaGlobal(
                helper: "read_json", "read_json(path): a JSON file as Lua values", parameters: ["path string"], returns: "any",
                .function { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.readJSON(L) } }),
            LuaGlobal(
                helper: "uuid", "uuid(): a random UUID", returns: "string",
                .function { L, c in
                    Bridge.call(L, c) { _, L throws(LuaRaise) in
                        LuaValues.pushString(L, UUID().uuidString.lowercased())
                        return 1
                    }
                }),
            LuaGlobal(
                helper: "now", "now(): the time as ISO 8601 UTC with microseconds", returns: "string",
                .function { L, c in
                    Bridge.call(L, c) { _, L throws(LuaRaise) in
                        LuaValues.pushString(L, Timestamp.now().text)
                        return 1
                    }
                }),
            LuaGlobal(
                helper: "sleep", "sleep(ms): a pause of up to a day", parameters: ["ms number"],
                .function { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.sleep(L) } }),
            LuaGlobal(
                helper: "truncate",
                "truncate(s, n): s cut to its first n characters (code points, as the model counts lengths), never inside a character; s must be UTF-8",
                parameters: ["s string", "n integer"], returns: "string",
                .function { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.truncate(L) } }),
            LuaGlobal(helper: "log", "log(...): a line on standard error", parameters: ["... any"], .prelude),
            LuaGlobal(
                helper: "help", "help(x): this help; x may be a function, a builder, an enum table or a name", parameters: ["x? any"],
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.help(L) } }),
            LuaGlobal(
                helper: "check", "check(shape, value): the value when it is a valid shape with every required member; else a builder's error",
                parameters: ["shape string", "value table"], returns: "table",
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.check(L) } }),
            LuaGlobal(
                helper: "recipe", "recipe{ description =, params =, run = function(p) end }: declares a recipe; its file returns it",
                parameters: ["declaration RecipeDeclaration"], returns: "RecipeDeclaration",
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.declareRecipe(L) } }),
            LuaGlobal(
                helper: "item", "item(key, fn [, label]): one unit of a recipe's work, replayed on a rerun, skipped once finished, errors labelled",
                parameters: ["key string|integer", "fn fun(): any", "label? string"], returns: "any",
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.item(L) } }),
            LuaGlobal(
                helper: "progress", "progress(done [, total]): how far a recipe has come, for its progress line",
                parameters: ["done integer", "total? integer"],
                .function { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.progress(L) } }),
            LuaGlobal(
                helper: "sandbox",
                "sandbox.review(id, {status=…}), sandbox.solutions(), sandbox.add_solution{…}, sandbox.users(), sandbox.add_user{…}, sandbox.invite([opportunity [, {to=…}]]), sandbox.clock([{advance=\"16d\"}]): the embedded sandbox's own controls, for what AWS's reviewers, sellers and your account do, and its clock",
                .table(
                    install: { $0.registerSandbox() },
                    members: [
                        ("review", "Reviews a submitted opportunity as AWS would (status In review, Approved, Action Required or Rejected); returns it as get_opportunity now answers it.",
                         ["id string", "review SandboxReview"], ServiceModel.operation(named: "GetOpportunity")?.output ?? "table"),
                        ("solutions", "The solutions the sandbox holds, which associate_opportunity takes.", [], "SandboxSolution[]"),
                        ("add_solution", "Adds a solution, in every catalog, created now; returns it.", ["solution SandboxNewSolution"], "SandboxSolution"),
                        ("users", "The users of your account that assign_opportunity may name, each an AssigneeContact.", [], "AssigneeContact[]"),
                        ("add_user", "Adds a user assign_opportunity may name; returns it as an AssigneeContact.", ["user SandboxNewUser"], "AssigneeContact"),
                        ("invite", "AWS refers an opportunity (CreateOpportunity's members; an example one when nil) and invites an account (the session's unless {to=…}); returns the invitation as get_engagement_invitation answers it.",
                         ["opportunity? table", "to? SandboxInviteOptions"], ServiceModel.operation(named: "GetEngagementInvitation")?.output ?? "table"),
                        ("clock", "The sandbox's clock, {Now=, AheadBySeconds=}, after moving it forward ({advance=\"16d\"}) or back to the real time ({reset=\"true\"}).",
                         ["move? SandboxClockMove"], "SandboxClockReading"),
                    ],
                    values: [])),
        ]
    }()
}
