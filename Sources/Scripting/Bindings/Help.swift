import CLua
import CLuaShims
import Core
import Foundation

/// `help()` lists what exists; `help(x)` explains an operation, builder, enum table or helper from the
/// model: documentation, members with required/optional, types and constraints, and a call to paste.
extension Bridge {
    /// The operations as Lua names them, with the model's operation name and an example call.
    static var operationGlobals: [(lua: String, model: String, example: String)] {
        LuaGlobals.of(.operation).map { global in
            let model = global.model ?? global.name
            let input = ServiceModel.operation(named: model)?.input ?? ""
            let generated = OperationCallForms.identifierMember(of: model).map { member in
                "\(global.name)(id)   -- or \(global.name){ \(member) = id }"
            } ?? global.name + example(input).dropFirst(input.count)
            return (global.name, model, operationExamples[model] ?? generated)
        }
    }

    /// Calls worth pasting for the operations a first session uses, keyed by the model's operation; any
    /// other operation shows its request's required members (`example`).
    static let operationExamples = [
        "CreateEngagement": #"e = create_engagement{ Title = "Acme data platform", Description = "Joint pilot" }"#,
        "GetEngagement": #"get_engagement(e.Id)   -- or get_engagement{ Identifier = e.Arn }"#,
        "ListEngagements": #"list_engagements{ ContextTypes = { "Lead" }, MaxResults = 10 }"#,
        "CreateEngagementContext": #"c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = LeadContext{ Customer = LeadCustomer{ CompanyName = "Acme", Address = AddressSummary{ CountryCode = "US" } }, Interactions = {} } } }"#,
        "CreateOpportunity": #"o = create_opportunity{ Origin = "Partner Referral", PrimaryNeedsFromAws = { "Co-Sell - Architectural Validation" }, Customer = Customer{ Account = Account{ CompanyName = "Acme", Industry = "Financial Services", WebsiteUrl = "https://acme.example", Address = Address{ CountryCode = "US", PostalCode = "98101" } } }, Project = Project{ Title = "Data platform", CustomerBusinessProblem = "Reports take a week to build", DeliveryModels = { "SaaS or PaaS" }, CustomerUseCase = "Business Intelligence & Data Analytics", ExpectedCustomerSpend = { { Amount = "5000", CurrencyCode = "USD", Frequency = "Monthly", TargetCompany = "AWS" } } }, LifeCycle = LifeCycle{ Stage = "Prospect", TargetCloseDate = "2027-06-30" } }"#,
        "UpdateEngagementContext": #"update_context{ EngagementIdentifier = e.Id, ContextIdentifier = c.ContextId, EngagementLastModifiedAt = get_engagement(e.Id).ModifiedAt, Type = "Lead", Payload = { Lead = UpdateLeadContext{ Customer = LeadCustomer{ CompanyName = "Acme" } } } }"#,
    ]

    /// The helpers, each with one line of explanation.
    static var helperGlobals: [(name: String, summary: String)] {
        LuaGlobals.of(.helper).map { ($0.name, $0.summary) }
    }

    func help(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let text: String
        switch lua_type(L, 1) {
        case LUA_TNONE, LUA_TNIL: text = Self.overview()
        case LUA_TSTRING: text = try Self.explain(name: try Arguments.string(L, 1, "help"))
        case LUA_TUSERDATA where Self.enumValues(L, 1) != nil: text = try Self.explain(name: Self.enumName(L, 1))
        case LUA_TFUNCTION, LUA_TTABLE:
            guard let name = Self.globalName(of: L, at: 1) else {
                throw Arguments.error(L, 1, "help", "a \(Arguments.typeName(L, 1)) engage does not know; help() lists what it explains")
            }
            text = try Self.explain(name: name)
        default:
            throw Arguments.error(L, 1, "help", "an engage function, builder, enum table or name expected, got \(Arguments.typeName(L, 1))")
        }
        engage_write_stdout(text.hasSuffix("\n") ? text : text + "\n")
        return 0
    }

    /// `help()`: what exists, grouped.
    static func overview() -> String {
        var lines = ["engage: the AWS Partner Central Selling API from Lua. help(x) explains any name below; TAB completes.", ""]
        lines.append("Operations by resource (a table shaped like boto3's request; Catalog and ClientToken are filled in):")
        let named = LuaGlobals.of(.operation)
        for resource in OperationResource.allCases {
            let operations = named.filter { !$0.isShortName && OperationResource.of($0.model ?? "") == resource }
            guard !operations.isEmpty else { continue }
            let names = operations.map { operation in
                let short = named.first { $0.isShortName && $0.model == operation.model }
                return short.map { "\(operation.name) (\($0.name))" } ?? operation.name
            }
            lines.append("  \(resource.rawValue):")
            lines += wrapped(names, width: 100).map { "  " + $0 }
        }
        lines.append("")
        lines.append("Builders (check a structure where you write it; the result goes wherever a table does):")
        lines += wrapped(builderShapes, width: 100)
        lines.append("")
        lines.append("Enum tables (Industry[\"Retail\"], ipairs(Industry), #Industry):")
        lines += wrapped(enumTables.map { "\($0.name) (\($0.values.count))" }, width: 100)
        lines.append("")
        lines.append("Helpers:")
        lines += helperGlobals.map { "  \($0.summary)" }
        lines.append("")
        lines.append("Example:")
        lines.append("  " + (operationExamples["CreateEngagement"] ?? operationGlobals[0].example))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Names joined by commas in indented lines no wider than `width`, so a list never wraps mid-name.
    static func wrapped(_ names: [String], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for name in names {
            if !line.isEmpty && line.count + name.count + 2 > width - 2 {
                lines.append("  " + line + ",")
                line = ""
            }
            line += line.isEmpty ? name : ", " + name
        }
        return line.isEmpty ? lines : lines + ["  " + line]
    }

    /// The explanation for a Lua global, a model operation or a shape.
    static func explain(name: String) throws(LuaRaise) -> String {
        if let operation = operationGlobals.first(where: { $0.lua == name || $0.model.lowercased() == name.lowercased() }) {
            let names = operationGlobals.filter { $0.model == operation.model }.map(\.lua)
            return "\(names.joined(separator: " or ")){...}  calls \(operation.model)\n\n" + describe(operation.model) + "\nExample:\n  \(operation.example)\n"
        }
        // `json.encode` is explained by its table's line, which names each member.
        let table = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        if let helper = helperGlobals.first(where: { $0.name == name || ($0.name == table && name.contains(".")) }) {
            return helper.summary + "\n"
        }
        if builderShapes.contains(name) {
            return "\(name){...}  builds a \(name)\n\n" + describe(name) + "\nExample:\n  \(example(name))\n"
        }
        if ShapeDescription.describableNames.contains(name) { return describe(name) }
        let known = operationGlobals.flatMap { [$0.lua, $0.model] } + helperGlobals.map(\.name) + ShapeDescription.describableNames
        let hint = Suggestion.hint(for: name, among: known)
        throw .message("help: nothing is called '\(name)'\(hint); help() lists what exists")
    }

    private static func describe(_ name: String) -> String {
        (try? ShapeDescription(named: name).text(width: 100)) ?? ""
    }

    /// A builder call with the shape's required members filled with sample values, to paste and edit.
    static func example(_ shape: String, depth: Int = 0) -> String {
        guard depth < 3, case .structure(let structure)? = ServiceModel.shape(named: shape)?.kind else { return "{}" }
        // engage fills in an operation's Catalog and idempotency token, so an example leaves them out.
        var members = structure.members.filter { $0.isRequired && !$0.isIdempotencyToken && !(depth == 0 && $0.name == "Catalog") }
        // A structure with nothing required shows one member, an enum when it has one, so the call says something.
        if members.isEmpty, let first = structure.members.first(where: { Self.enumTables.map(\.name).contains($0.shape) }) ?? structure.members.first {
            members = [first]
        }
        let fields = members.map { member -> String in "\(member.name) = \(sample(member, depth: depth))" }
        let prefix = depth == 0 || builderShapes.contains(shape) ? shape : ""
        return prefix + "{ " + fields.joined(separator: ", ") + " }"
    }

    private static func sample(_ member: MemberSchema, depth: Int) -> String {
        guard let target = ServiceModel.shape(named: member.shape) else { return "nil" }
        switch target.kind {
        case .string(let string) where !string.enumValues.isEmpty:
            let enumTable = enumTables.first { $0.name == member.shape }
            return enumTable.map { "\($0.name)[\"\(string.enumValues[0])\"]" } ?? "\"\(string.enumValues[0])\""
        case .string: return member.name.contains("Email") ? "\"ada@example.com\"" : "\"…\""
        case .integer: return "1"
        case .timestamp: return "now()"
        case .list, .map: return "{}"
        case .structure: return example(member.shape, depth: depth + 1)
        }
    }

    /// The name of the global that holds the value at `index` (`update_context`), or of the member of a
    /// helper table that does (`json.encode`); nil when no global holds it. Raw reads only. [-0, +0, –]
    private static func globalName(of L: OpaquePointer, at index: Int32) -> String? {
        let names = operationGlobals.map(\.lua) + builderShapes + helperGlobals.map(\.name)
        for name in names {
            lua_rawgeti(L, engage_registry_index(), lua_Integer(LUA_RIDX_GLOBALS))
            LuaValues.pushString(L, name)
            lua_rawget(L, -2)
            defer { engage_lua_pop(L, 2) }
            if lua_rawequal(L, -1, index) != 0 { return name }
            if lua_type(L, -1) == LUA_TTABLE, let member = memberName(of: L, table: lua_gettop(L), holding: index) {
                return name + "." + member
            }
        }
        return nil
    }

    /// The string key of the table at `table` whose value is the value at `index`, or nil. [-0, +0, –]
    private static func memberName(of L: OpaquePointer, table: Int32, holding index: Int32) -> String? {
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if lua_rawequal(L, -1, index) != 0, lua_type(L, -2) == LUA_TSTRING {
                let key = LuaValues.string(L, at: -2)
                engage_lua_pop(L, 2)
                return key
            }
            engage_lua_pop(L, 1)
        }
        return nil
    }
}

/// The resource an operation is about, for grouping `help()`: read from the operation's name, the task
/// operations first since their names also name what they start from.
enum OperationResource: String, CaseIterable {
    case engagements, contexts, opportunities, invitations, tasks, snapshots, solutions, settings, tags

    static func of(_ operation: String) -> OperationResource {
        let rules: [(OperationResource, String)] = [
            (.tasks, "Task"), (.snapshots, "ResourceSnapshot"), (.invitations, "EngagementInvitation"), (.contexts, "EngagementContext"),
            (.settings, "SellingSystemSettings"), (.tags, "Tag"), (.solutions, "Solution"), (.opportunities, "Opportunit"),
        ]
        let name = operation.lowercased()
        return rules.first { name.contains($0.1.lowercased()) }?.0 ?? .engagements
    }
}
