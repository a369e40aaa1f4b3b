import Core

/// The names engage puts in every Lua state, for tools that explain or complete them without a state
/// (help, the REPL's completion).
public enum EngageGlobals {
    /// The operations as Lua names them, with the model operation each calls.
    public static let operations: [(lua: String, operation: String)] = [
        ("create_engagement", "CreateEngagement"), ("get_engagement", "GetEngagement"), ("list_engagements", "ListEngagements"),
        ("create_context", "CreateEngagementContext"), ("update_context", "UpdateEngagementContext"),
    ]

    /// The builders, named as the request structures they build.
    public static let builders = [
        "LeadContext", "UpdateLeadContext", "CustomerProjectsContext", "LeadCustomer", "EngagementCustomer",
        "AddressSummary", "LeadInteraction", "LeadContact", "EngagementCustomerProjectDetails",
    ]

    /// The enum tables with their values in model order.
    public static let enumTables: [(name: String, values: [String])] = [
        ("Industry", Industry.allCases.map(\.rawValue)),
        ("CountryCode", CountryCode.allCases.map(\.rawValue)),
        ("MarketSegment", MarketSegment.allCases.map(\.rawValue)),
        ("EngagementContextType", EngagementContextType.allCases.map(\.rawValue)),
        ("StateOrRegion", StateOrRegion.allCases.map(\.rawValue)),
    ]

    /// The helpers (`json`, `read_csv`, `truncate`, …), as `help()` lists them.
    public static var helpers: [String] { Bridge.helperGlobals.map(\.name) }

    /// The input shape of the operation a Lua global calls (`create_context` → CreateEngagementContextRequest).
    public static func inputShape(ofLuaFunction name: String) -> String? {
        operations.first { $0.lua == name }.flatMap { ServiceModel.operation(named: $0.operation)?.input }
    }
}
