import CLua
import CLuaShims
import Core
import Foundation

/// `append_interaction(engagement_id, context_id, interaction [, opts])` and
/// `update_lead(engagement_id, context_id, fn)`: read-modify-write of a Lead context guarded by the
/// engagement's ModifiedAt, re-reading and retrying with jittered exponential backoff on ConflictException.
/// Whether anything needs sending is decided on each read, so two writers making the same change write once.
extension Bridge {
    /// How hard to retry (`opts` may set `max_attempts`, `base_delay_ms` and `max_delay_ms`) and whether to
    /// skip an interaction the lead already has (`once`; nil leaves it to the mode: on in recipe runs).
    struct AppendOptions {
        /// Conflicts between writers of one lead clear in milliseconds, so the waits are short and the attempts many.
        static let defaultRetry = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(10), maxDelay: .milliseconds(500))
        var retry = defaultRetry
        var once: Bool?
    }

    /// `same_interaction(stored, new)`: whether `append_interaction` takes `new` for `stored` (`isSameInteraction`),
    /// so a script can find repeats before it sends anything, by the rule the append applies. [-0, +1, e]
    static func sameInteraction(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        try Arguments.table(L, 1, "same_interaction")
        try Arguments.table(L, 2, "same_interaction")
        let stored = try Arguments.json(L, 1, "same_interaction")
        let new = try Arguments.json(L, 2, "same_interaction")
        lua_pushboolean(L, isSameInteraction(stored, as: new) ? 1 : 0)
        return 1
    }

    func appendInteraction(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let engagementId = try Arguments.string(L, 1, "append_interaction")
        let contextId = try contextArgument(L, 2, "append_interaction")
        try Arguments.table(L, 3, "append_interaction")
        let interaction = try Arguments.json(L, 3, "append_interaction")
        let options = try appendOptions(L, 4, "append_interaction")
        let once = options.once ?? (recipeSession != nil)
        let response = try readModifyWrite(L, engagementId, contextId, options, unlessPresent: once ? interaction : nil) { lead throws(LuaRaise) in
            ["Customer": lead["Customer"] ?? .null, "Interaction": interaction]
        }
        try LuaValues.push(L, response)
        return 1
    }

    func updateLead(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let engagementId = try Arguments.string(L, 1, "update_lead")
        let contextId = try contextArgument(L, 2, "update_lead")
        try Arguments.function(L, 3, "update_lead")
        let options = try appendOptions(L, 4, "update_lead")
        let response = try readModifyWrite(L, engagementId, contextId, options) { lead throws(LuaRaise) in
            let updated = try Self.callback(L, 3, with: lead, "update_lead", returning: "the new lead", noun: "the lead", as: "LeadContext", position: callerPosition(L))
            let members = ["QualificationStatus", "Customer", "Interactions"]
            if case .object(let fields) = updated, let extra = fields.keys.first(where: { !members.contains($0) }) {
                let hint = Suggestion.hint(for: extra, among: members)
                throw .message("\(callerPosition(L))update_lead: the lead that fn returned has a field '\(extra)' that a Lead context does not have\(hint); it may change QualificationStatus and Customer and append to Interactions")
            }
            let before = lead["Interactions"]?.arrayValue ?? []
            let after = updated["Interactions"]?.arrayValue ?? []
            guard after.count == before.count || after.count == before.count + 1, Array(after.prefix(before.count)) == before else {
                throw .message("\(callerPosition(L))update_lead: fn may append one interaction per update and must keep the existing ones")
            }
            if Self.isSame(updated["QualificationStatus"], lead["QualificationStatus"]), Self.isSame(updated["Customer"], lead["Customer"]),
               after.count == before.count {
                return nil
            }
            var change: JSONValue.Members = ["Customer": updated["Customer"] ?? .null]
            if let status = updated["QualificationStatus"], status != .null { change["QualificationStatus"] = status }
            if after.count > before.count, let appended = after.last { change["Interaction"] = appended }
            return change
        }
        try LuaValues.push(L, response)
        return 1
    }

    /// Reads the Lead context, asks `change` for the `UpdateLeadContext` to send (Customer, and
    /// QualificationStatus and Interaction when they change) or nil when that read already holds the change,
    /// sends it with the engagement's ModifiedAt, and on ConflictException does it all again after a
    /// jittered pause. Nothing sent is answered with `Unchanged` (or `AlreadyAppended`) set.
    private func readModifyWrite(
        _ L: OpaquePointer, _ engagementId: String, _ contextId: String, _ options: AppendOptions, unlessPresent interaction: JSONValue? = nil,
        change: (JSONValue) throws(LuaRaise) -> JSONValue.Members?
    ) throws(LuaRaise) -> JSONValue {
        let position = callerPosition(L)
        var attempt = 0
        while true {
            attempt += 1
            let engagement = try perform("GetEngagement", ["Identifier": .string(engagementId)], position: position)
            let context = engagement["Contexts"]?.arrayValue?.first { $0["Id"]?.stringValue == contextId }
            guard let lead = context?["Payload"]?["Lead"], let modifiedAt = engagement["ModifiedAt"] else {
                throw .service(.notFound("engagement \(engagementId) has no Lead context '\(contextId)'"), where: position)
            }
            // Nothing to send: answer as the update would have, saying why nothing was sent.
            func unsent(_ reason: String) -> JSONValue {
                [
                    "EngagementId": engagement["Id"] ?? .null, "EngagementArn": engagement["Arn"] ?? .null,
                    "EngagementLastModifiedAt": modifiedAt, "ContextId": .string(contextId), reason: true,
                ]
            }
            if let interaction, (lead["Interactions"]?.arrayValue ?? []).contains(where: { Self.isSameInteraction($0, as: interaction) }) {
                return unsent("AlreadyAppended")
            }
            guard let payload = try change(lead) else { return unsent("Unchanged") }
            let request: JSONValue = [
                "EngagementIdentifier": .string(engagementId), "ContextIdentifier": .string(contextId),
                "EngagementLastModifiedAt": modifiedAt, "Type": "Lead", "Payload": ["Lead": .object(payload)],
            ]
            if let response = try sendUnlessConflict("UpdateEngagementContext", request, attempt: attempt, options, position: position) { return response }
        }
    }

    /// Sends a read-modify-write's update: its response with `Attempts`, how many sends the write took (1 when
    /// no other writer got in between); nil after a ConflictException while attempts remain, once a jittered
    /// pause has passed, so the caller reads again; the conflict itself, marked as given up, after the last.
    func sendUnlessConflict(_ operation: String, _ request: JSONValue, attempt: Int, _ options: AppendOptions, position: String) throws(LuaRaise) -> JSONValue? {
        do {
            var response = try perform(operation, request, position: position)
            if case .object(var members) = response {
                members["Attempts"] = .integer(Int64(attempt))
                response = .object(members)
            }
            return response
        } catch .service(let error, _) where error.code == "ConflictException" && attempt < options.retry.maxAttempts {
            let delay = options.retry.delay(beforeRetry: attempt).components
            Thread.sleep(forTimeInterval: Double(delay.seconds) + Double(delay.attoseconds) / 1e18)
            return nil
        } catch .service(let error, let position) where error.code == "ConflictException" {
            throw .service(RetryPolicy.gaveUp(error, after: attempt), where: position)
        }
    }

    /// Calls the Lua function at `index` with `value` under lua_pcall (its errors are raised unchanged) and
    /// returns the table it returns, read as the model's `shape`; anything else is an error naming `function`
    /// and `what` it must return (`the new lead`), which the error about a value it holds calls `noun`. [-0, +0, e]
    static func callback(_ L: OpaquePointer, _ index: Int32, with value: JSONValue, _ function: String, returning what: String, noun: String,
                         as shape: String, position: String) throws(LuaRaise) -> JSONValue {
        lua_pushvalue(L, index)
        try LuaValues.push(L, value)
        guard engage_lua_pcall(L, 1, 1, 0) == LUA_OK else { throw .onStack }
        guard lua_type(L, -1) == LUA_TTABLE else {
            throw .message("\(position)\(function): fn must return \(what) table, got \(Arguments.typeName(L, -1))")
        }
        let returned: JSONValue
        do throws(LuaConversionError) {
            returned = try LuaValues.read(L, at: -1).fitted(to: shape)
        } catch {
            throw .message("\(position)\(function): \(noun) that fn returned \(error.message("holds"))")
        }
        engage_lua_pop(L, 1)
        return returned
    }

    /// Whether `stored` is the interaction `new` once appended: every member alike, Contact's too, so rows
    /// that differ in anything they send (a Usecase, a SourceName) are different interactions. InteractionDate
    /// is compared in UTC as the service stores it, and only when `new` gives one (the service fills in a
    /// missing one).
    static func isSameInteraction(_ stored: JSONValue, as new: JSONValue) -> Bool {
        guard case .object(let storedMembers) = stored, case .object(let newMembers) = new else { return false }
        let names = Set(storedMembers.keys).union(newMembers.keys).subtracting(["InteractionDate"])
        guard names.allSatisfy({ isSame(storedMembers[$0], newMembers[$0]) }) else { return false }
        guard let date = new["InteractionDate"]?.stringValue else { return true }
        guard let storedDate = stored["InteractionDate"]?.stringValue else { return false }
        return Timestamp(date).inUTC == Timestamp(storedDate).inUTC
    }

    /// Whether two values are the same once stored: objects member by member in any order, null as absent.
    static func isSame(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a ?? .null, b ?? .null) {
        case (.object(let x), .object(let y)): Set(x.keys).union(y.keys).allSatisfy { isSame(x[$0], y[$0]) }
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { isSame($0, $1) }
        case (let x, let y): x == y
        }
    }

    private func contextArgument(_ L: OpaquePointer, _ index: Int32, _ function: String) throws(LuaRaise) -> String {
        if lua_type(L, index) == LUA_TNUMBER, lua_isinteger(L, index) != 0 { return String(lua_tointegerx(L, index, nil)) }
        return try Arguments.string(L, index, function)
    }

    func appendOptions(_ L: OpaquePointer, _ index: Int32, _ function: String) throws(LuaRaise) -> AppendOptions {
        var chosen = AppendOptions()
        guard lua_type(L, index) != LUA_TNONE, lua_type(L, index) != LUA_TNIL else { return chosen }
        guard case .object(let options) = try Arguments.json(L, index, function) else {
            throw Arguments.error(L, index, function, "table of options expected")
        }
        for (key, value) in options {
            if key == "once" {
                guard case .bool(let flag) = value else { throw Arguments.error(L, index, function, "option 'once' must be true or false") }
                chosen.once = flag
                continue
            }
            guard case .integer(let number) = value, number >= 0, number <= 600_000 else {
                throw Arguments.error(L, index, function, "option '\(key)' must be a whole number from 0 to 600000")
            }
            switch key {
            case "max_attempts": chosen.retry.maxAttempts = max(1, Int(number))
            case "base_delay_ms": chosen.retry.baseDelay = .milliseconds(number)
            case "max_delay_ms": chosen.retry.maxDelay = .milliseconds(number)
            default:
                let hint = Suggestion.hint(for: key, among: ["max_attempts", "base_delay_ms", "max_delay_ms", "once"])
                throw Arguments.error(L, index, function, "unknown option '\(key)'\(hint)")
            }
        }
        return chosen
    }
}
