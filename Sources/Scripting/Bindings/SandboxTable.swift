import CLua
import CLuaShims
import Core
import Foundation

/// What a session's `sandbox` table acts on: the embedded sandbox's controls, or nothing, and why.
public enum SandboxReach: Sendable {
    /// The sandbox the session calls.
    case controls(any SandboxControls)
    /// No embedded sandbox; `reason` ends the error of every `sandbox.*` call ("this session sends to …").
    case unavailable(reason: String)

    /// The reach of a state no backend was given to.
    public static let notGiven = SandboxReach.unavailable(reason: "this session has none")
}

/// `sandbox.review`, `sandbox.solutions`, `sandbox.add_solution`, `sandbox.users` and `sandbox.add_user`:
/// the embedded sandbox's own controls (`SandboxControls`), for what AWS's people and the partner's account
/// do. Their options are tables with snake_case keys; what they return is in the model's words.
extension Bridge {
    func registerSandbox() {
        let L = state.L
        lua_createtable(L, 0, 7)
        setField("review") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxReview(L) } }
        setField("solutions") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxSolutions(L) } }
        setField("add_solution") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxAddSolution(L) } }
        setField("users") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxUsers(L) } }
        setField("add_user") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxAddUser(L) } }
        setField("clock") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxClock(L) } }
        setField("invite") { L, c in Bridge.call(L, c) { b, L throws(LuaRaise) in try b.sandboxInvite(L) } }
        lua_setglobal(L, "sandbox")
    }

    /// The option keys of each function that takes a table.
    static let reviewOptions = ["status", "comments", "reason", "aws_stage", "next_steps", "seller_email", "catalog"]
    static let solutionFields = ["id", "name", "status", "category"]
    static let userFields = ["email", "first_name", "last_name", "title"]

    /// `sandbox.review(id, {status=, comments=, reason=, aws_stage=, next_steps=, seller_email=, catalog=})`:
    /// GetOpportunity's answer after the review. [-0, +1, e]
    private func sandboxReview(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let function = "sandbox.review"
        let controls = try sandboxControls(L, function)
        let id = try Arguments.string(L, 1, function)
        let options = try Self.stringOptions(L, 2, function, known: Self.reviewOptions, required: ["status"])
        let control = ReviewControl(
            status: options["status"] ?? "", comments: options["comments"], reason: options["reason"], awsStage: options["aws_stage"],
            nextSteps: options["next_steps"], sellerEmail: options["seller_email"])
        let catalog = options["catalog"] ?? self.catalog
        let opportunity = try waitForControl(L) { () async throws(ServiceError) in try await controls.review(catalog: catalog, opportunity: id, control) }
        remember(idsIn: opportunity)
        try LuaValues.push(L, opportunity)
        return 1
    }

    /// `sandbox.solutions()`: every solution, `{Id=, Name=, Status=, Category=, CreatedDate=}`. [-0, +1, e]
    private func sandboxSolutions(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let controls = try sandboxControls(L, "sandbox.solutions")
        let solutions = try waitForControl(L) { () async throws(ServiceError) in try await controls.solutions() }
        try LuaValues.push(L, .array(solutions.map(\.json)))
        return 1
    }

    /// `sandbox.add_solution{id=, name= [, status=] [, category=]}`: the solution as added, created now. [-0, +1, e]
    private func sandboxAddSolution(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let function = "sandbox.add_solution"
        let controls = try sandboxControls(L, function)
        let fields = try Self.stringOptions(L, 1, function, known: Self.solutionFields, required: ["id", "name"])
        var solution = SandboxSolution(id: fields["id"] ?? "", name: fields["name"] ?? "", created: SandboxTime.text(SandboxTime.nowMicroseconds()))
        if let status = fields["status"] { solution.status = SolutionStatus(rawValue: status) }
        if let category = fields["category"] { solution.category = category }
        let added = solution
        try waitForControl(L) { () async throws(ServiceError) in try await controls.addSolution(added) }
        try LuaValues.push(L, added.json)
        return 1
    }

    /// `sandbox.users()`: every user AssignOpportunity may name, each an AssigneeContact. [-0, +1, e]
    private func sandboxUsers(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let controls = try sandboxControls(L, "sandbox.users")
        let users = try waitForControl(L) { () async throws(ServiceError) in try await controls.users() }
        try LuaValues.push(L, .array(users.map(\.json)))
        return 1
    }

    /// `sandbox.add_user{email=, first_name=, last_name= [, title=]}`: the user as added, an AssigneeContact. [-0, +1, e]
    private func sandboxAddUser(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let function = "sandbox.add_user"
        let controls = try sandboxControls(L, function)
        let fields = try Self.stringOptions(L, 1, function, known: Self.userFields, required: ["email", "first_name", "last_name"])
        var user = SandboxUser(email: fields["email"] ?? "", firstName: fields["first_name"] ?? "", lastName: fields["last_name"] ?? "")
        if let title = fields["title"] { user.businessTitle = title }
        let added = user
        try waitForControl(L) { () async throws(ServiceError) in try await controls.addUser(added) }
        try LuaValues.push(L, added.json)
        return 1
    }

    /// `sandbox.clock([{advance = "16d"} | {reset = "true"}])`: the sandbox's clock, `{Now=, AheadBySeconds=}`,
    /// after moving it forward by the duration given or back to the real time. [-0, +1, e]
    private func sandboxClock(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let function = "sandbox.clock"
        let controls = try sandboxControls(L, function)
        let options = lua_type(L, 1) <= LUA_TNIL ? [:] : try Self.stringOptions(L, 1, function, known: ["advance", "reset"], required: [])
        if options["advance"] != nil, options["reset"] != nil {
            throw Arguments.error(L, 1, function, "give advance or reset, not both")
        }
        if let reset = options["reset"], reset != "true" {
            throw Arguments.error(L, 1, function, "field 'reset' must be \"true\"")
        }
        var advance: Int64?
        if let text = options["advance"] {
            guard let microseconds = SandboxClockReading.microseconds(in: text) else {
                throw Arguments.error(L, 1, function, "field 'advance' '\(text)' is not a duration; write whole numbers with d, h, m or s, e.g. \"16d\" or \"1d12h\"")
            }
            advance = microseconds
        }
        let (reset, forward) = (options["reset"] != nil, advance)
        let reading = try waitForControl(L) { () async throws(ServiceError) in
            if let forward { return try await controls.advanceClock(byMicroseconds: forward) }
            return reset ? try await controls.resetClock() : try await controls.clock()
        }
        try LuaValues.push(L, reading.json)
        return 1
    }

    /// `sandbox.invite([opportunity [, {to = account}]])`: AWS refers `opportunity` (CreateOpportunity's
    /// members; an example one when nil) and invites `to` (the session's account unless given); the
    /// invitation as get_engagement_invitation answers it. [-0, +1, e]
    private func sandboxInvite(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let function = "sandbox.invite"
        let controls = try sandboxControls(L, function)
        let opportunity: JSONValue? = lua_type(L, 1) <= LUA_TNIL ? .none : try Arguments.json(L, 1, function)
        let options = lua_type(L, 2) <= LUA_TNIL ? [:] : try Self.stringOptions(L, 2, function, known: ["to"], required: [])
        let (receiver, catalog) = (options["to"], self.catalog)
        let invitation = try waitForControl(L) { () async throws(ServiceError) in
            try await controls.inviteFromAWS(catalog: catalog, opportunity: opportunity, to: receiver)
        }
        remember(idsIn: invitation)
        try LuaValues.push(L, invitation)
        return 1
    }

    /// The sandbox's controls, or the error that says this session has none, at the caller's line.
    private func sandboxControls(_ L: OpaquePointer, _ function: String) throws(LuaRaise) -> any SandboxControls {
        switch sandbox {
        case .controls(let controls): return controls
        case .unavailable(let reason): throw .message("\(callerPosition(L))\(function) acts on the embedded sandbox only; \(reason)")
        }
    }

    /// Runs a control and waits for it; its refusal is raised as an error value at the caller's line.
    private func waitForControl<Value: Sendable>(_ L: OpaquePointer, _ control: @escaping @Sendable () async throws(ServiceError) -> Value) throws(LuaRaise) -> Value {
        let position = callerPosition(L)
        do throws(ServiceError) {
            return try wait(control)
        } catch {
            throw .service(error, where: position)
        }
    }

    /// The table at `index` as string options: each key one of `known` (another is refused with the nearest
    /// one suggested), each value a string, those in `required` present. Text that is not UTF-8 is refused
    /// naming its key. [-0, +0, e]
    static func stringOptions(_ L: OpaquePointer, _ index: Int32, _ function: String, known: [String], required: [String]) throws(LuaRaise) -> [String: String] {
        try Arguments.table(L, index, function)
        guard case .object(let members) = try Arguments.json(L, index, function) else {
            throw Arguments.error(L, index, function, "a table with named fields expected: \(known.joined(separator: ", "))")
        }
        var options: [String: String] = [:]
        for (key, value) in members {
            guard known.contains(key) else {
                throw Arguments.error(L, index, function, "unknown field '\(key)'\(Suggestion.hint(for: key, among: known)); it takes \(known.joined(separator: ", "))")
            }
            guard case .string(let text) = value else {
                throw Arguments.error(L, index, function, "field '\(key)' must be a string, got \(Self.typeName(value))")
            }
            options[key] = text
        }
        if let missing = required.first(where: { options[$0] == nil }) {
            throw Arguments.error(L, index, function, "field '\(missing)' is required")
        }
        return options
    }

    /// The Lua type a JSON value came from, for messages.
    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .string: "string"
        case .integer, .number: "number"
        case .bool: "boolean"
        case .null: "json.null"
        case .array, .object: "table"
        }
    }
}
