import Core

/// Views of the table of globals (`LuaGlobals`) for tools that explain or complete them without a state
/// (help, the REPL's completion, `engage types`). Nothing is listed here: every name comes from the table.
public enum EngageGlobals {
    /// The operations as Lua names them, with the model operation each calls.
    public static var operations: [(lua: String, operation: String)] {
        LuaGlobals.of(.operation).map { ($0.name, $0.model ?? $0.name) }
    }

    /// The builders, named as the request structures they build.
    public static var builders: [String] { Bridge.builderShapes }

    /// The enum tables with their values in model order.
    public static var enumTables: [(name: String, values: [String])] { Bridge.enumTables }

    /// The helpers (`json`, `read_csv`, `truncate`, …), as `help()` lists them.
    public static var helpers: [String] { LuaGlobals.of(.helper).map(\.name) }

    /// The globals whose first argument is an engagement id: the helpers whose first parameter is
    /// `engagement_id`, and the operations that also take an engagement's identifier alone (`get_engagement(id)`,
    /// see `OperationCallForms`).
    public static var takingEngagementId: [String] {
        LuaGlobals.all.filter { global in
            global.parameters.first?.hasPrefix("engagement_id ") == true
                || (global.model?.hasSuffix("Engagement") == true && global.model.flatMap(OperationCallForms.identifierMember) != nil)
        }.map(\.name)
    }

    /// The helpers whose first parameter is `opportunity_id`.
    public static var takingOpportunityId: [String] {
        LuaGlobals.of(.helper).filter { $0.parameters.first?.hasPrefix("opportunity_id ") == true }.map(\.name)
    }

    /// The input shape of the operation a Lua global calls (`create_context` → CreateEngagementContextRequest).
    public static func inputShape(ofLuaFunction name: String) -> String? {
        guard let global = LuaGlobals.named(name), global.kind == .operation, let model = global.model else { return nil }
        return ServiceModel.operation(named: model)?.input
    }
}
