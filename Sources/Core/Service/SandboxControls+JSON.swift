/// The sandbox's solutions and users in the model's words, as `engage sandbox … --output json` prints them and
/// Lua's `sandbox.solutions()` and `sandbox.users()` return them: a solution as ListSolutions summarises one,
/// a user as the AssigneeContact that AssignOpportunity takes.
extension SandboxSolution {
    /// `{"Id", "Name", "Status", "Category", "CreatedDate"}`.
    public var json: JSONValue {
        ["Id": .string(id), "Name": .string(name), "Status": .string(status.rawValue), "Category": .string(category), "CreatedDate": .string(created)]
    }
}

extension SandboxUser {
    /// `{"Email", "FirstName", "LastName", "BusinessTitle"}`: an AssigneeContact as it stands.
    public var json: JSONValue {
        ["Email": .string(email), "FirstName": .string(firstName), "LastName": .string(lastName), "BusinessTitle": .string(businessTitle)]
    }
}
