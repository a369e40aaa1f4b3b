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
            var changed = try Self.callback(
                L, 2, with: request, "modify_opportunity", returning: "the update request", noun: "the request", as: "UpdateOpportunityRequest",
                position: position)
            // The write is of the opportunity and the version that was read, whatever fn did to them.
            if case .object(var members) = changed {
                members["Identifier"] = request["Identifier"]
                members["LastModifiedDate"] = request["LastModifiedDate"]
                changed = .object(members)
            }
            if Self.isSame(changed, request) {
                return try pushed(L, ["Id": .string(id), "LastModifiedDate": read["LastModifiedDate"] ?? .null, "Unchanged": true])
            }
            if let response = try sendUnlessConflict("UpdateOpportunity", changed, attempt: attempt, options, position: position) {
                return try pushed(L, response)
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
