import CLua
import CLuaShims
import Core
import Foundation

/// `modify_opportunity(id, fn [, opts])`: read-modify-write of an opportunity guarded by its LastModifiedDate,
/// on any backend. GetOpportunity's answer is not UpdateOpportunity's input, so `fn` is handed the update
/// request that leaves the opportunity as it was read (`Id` as `Identifier`, only the members UpdateOpportunity
/// takes); what it returns is sent, and on ConflictException the opportunity is read again, `fn` called again
/// and the update sent again after a jittered pause, as `update_lead` does. UpdateOpportunity replaces the
/// record, so a member `fn` removes is cleared.
extension Bridge {
    func modifyOpportunity(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let id = try Arguments.string(L, 1, "modify_opportunity")
        try Arguments.function(L, 2, "modify_opportunity")
        let options = try appendOptions(L, 3, "modify_opportunity")
        let position = callerPosition(L)
        var attempt = 0
        while true {
            attempt += 1
            let read = try perform("GetOpportunity", ["Identifier": .string(id)], position: position)
            let request = Self.updateRequest(leaving: read)
            lua_pushvalue(L, 2)
            try LuaValues.push(L, request)
            // fn runs under lua_pcall: its errors come back here and are raised unchanged.
            guard engage_lua_pcall(L, 1, 1, 0) == LUA_OK else { throw .onStack }
            guard lua_type(L, -1) == LUA_TTABLE else {
                throw .message("\(position)modify_opportunity: fn must return the update request table, got \(Arguments.typeName(L, -1))")
            }
            var changed: JSONValue
            do throws(LuaConversionError) {
                changed = try LuaValues.read(L, at: -1).fitted(to: "UpdateOpportunityRequest")
            } catch {
                throw .message("\(position)modify_opportunity: the request that fn returned \(error.message("holds"))")
            }
            engage_lua_pop(L, 1)
            // The write is of the opportunity and the version that was read, whatever fn did to them.
            if case .object(var members) = changed {
                members["Identifier"] = request["Identifier"]
                members["LastModifiedDate"] = request["LastModifiedDate"]
                changed = .object(members)
            }
            if Self.isSame(changed, request) {
                return try pushed(L, ["Id": .string(id), "LastModifiedDate": read["LastModifiedDate"] ?? .null, "Unchanged": true])
            }
            do {
                var response = try perform("UpdateOpportunity", changed, position: position)
                if case .object(var members) = response {
                    members["Attempts"] = .integer(Int64(attempt))
                    response = .object(members)
                }
                return try pushed(L, response)
            } catch .service(let error, _) where error.code == "ConflictException" && attempt < options.retry.maxAttempts {
                let delay = options.retry.delay(beforeRetry: attempt).components
                Thread.sleep(forTimeInterval: Double(delay.seconds) + Double(delay.attoseconds) / 1e18)
            } catch .service(let error, let position) where error.code == "ConflictException" {
                throw .service(RetryPolicy.gaveUp(error, after: attempt), where: position)
            }
        }
    }

    private func pushed(_ L: OpaquePointer, _ value: JSONValue) throws(LuaRaise) -> Int32 {
        try LuaValues.push(L, value)
        return 1
    }

    /// The UpdateOpportunity request that leaves the opportunity as `read` (a GetOpportunity answer) has it.
    static func updateRequest(leaving read: JSONValue) -> JSONValue {
        guard case .object(var members) = read.projected(onto: "UpdateOpportunityRequest") else { return read }
        members["Identifier"] = read["Id"] ?? .null
        return .object(members).fitted(to: "UpdateOpportunityRequest")
    }
}

extension JSONValue {
    /// This value with only the members the model's `shapeName` has, at every depth: a response read as a
    /// request of another shape.
    func projected(onto shapeName: String) -> JSONValue {
        switch (ServiceModel.shape(named: shapeName)?.kind, self) {
        case (.structure(let structure)?, .object(let members)):
            var kept = JSONValue.Members()
            for member in structure.members {
                if let value = members[member.name] { kept[member.name] = value.projected(onto: member.shape) }
            }
            return .object(kept)
        case (.list(let list)?, .array(let elements)):
            return .array(elements.map { $0.projected(onto: list.member) })
        default:
            return self
        }
    }
}
