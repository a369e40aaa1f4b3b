/// The model's part of engage's one table of Lua globals: which operations, builders and enum tables a Lua
/// state has, and the rule that names them. Widening what scripts can call is a change to the three lists
/// below and nothing else; `ServiceModel+Globals.swift` is written from them.
enum LuaGlobalNames {
    /// The operations that are globals.
    static let operations = CodeGenerator.servedOperations
    /// The request structures that have a builder, named as in the model.
    static let builders = [
        "LeadContext", "UpdateLeadContext", "CustomerProjectsContext", "LeadCustomer", "EngagementCustomer",
        "AddressSummary", "LeadInteraction", "LeadContact", "EngagementCustomerProjectDetails",
    ]
    /// The enums used in requests that have a table of their values: the model's enums, or a value set its
    /// documentation lists (`StateOrRegion`).
    static let enumTables = ["Industry", "CountryCode", "MarketSegment", "EngagementContextType", "StateOrRegion"]

    /// Operations whose global keeps the short name scripts already use instead of the snake_case of the
    /// operation's name.
    static let shortNames = ["CreateEngagementContext": "create_context", "UpdateEngagementContext": "update_context"]

    /// Lua's reserved words and the globals `luaL_openlibs` defines: a model name equal to one of them gets a
    /// trailing underscore (`type` → `type_`), so no engage global hides Lua's own.
    static let reserved: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local",
        "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
        "_G", "_VERSION", "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load", "loadfile",
        "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall",
        "string", "table", "math", "io", "os", "utf8", "coroutine", "debug", "package",
    ]

    /// The global of an operation: `CreateEngagement` → `create_engagement`, unless it has a short name.
    static func operationGlobal(_ operation: String) -> String {
        unreserved(shortNames[operation] ?? snakeCase(operation))
    }

    /// `ListEngagements` → `list_engagements`; a run of capitals is one word (`GetAWSThing` → `get_aws_thing`).
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var output = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previousIsLower = characters[index - 1].isLowercase || characters[index - 1].isNumber
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previousIsLower || (characters[index - 1].isUppercase && nextIsLower) { output += "_" }
            }
            output += character.lowercased()
        }
        return output
    }

    static func unreserved(_ name: String) -> String {
        reserved.contains(name) ? name + "_" : name
    }

    /// The rows in order: operations, builders, enum tables; each checked against the model.
    static func rows(_ model: ModelFile) throws -> [(kind: String, lua: String, model: String)] {
        var rows: [(kind: String, lua: String, model: String)] = []
        for operation in operations {
            guard model.operations[operation] != nil else { throw CodeGenError("the global operation \(operation) is not in the model") }
            rows.append(("operation", operationGlobal(operation), operation))
        }
        for shape in builders {
            guard model.shapes[shape]?.type == "structure" else { throw CodeGenError("the builder \(shape) is not a structure of the model") }
            rows.append(("builder", unreserved(shape), shape))
        }
        let documented = try SwiftEmitter(model: model).documentedValueSets().map(\.name)
        for shape in enumTables {
            guard model.shapes[shape]?.enumValues.isEmpty == false || documented.contains(shape) else {
                throw CodeGenError("the enum table \(shape) is neither an enum of the model nor a value set its documentation lists")
            }
            rows.append(("enumTable", unreserved(shape), shape))
        }
        let names = rows.map(\.lua)
        guard Set(names).count == names.count else { throw CodeGenError("two Lua globals have the same name") }
        return rows
    }

    /// `ServiceModel+Globals.swift`.
    static func file(_ model: ModelFile) throws -> String {
        var output = SwiftEmitter.header
        output += """

            extension ServiceModel {
                /// The Lua globals the model gives engage, in the order help() lists them: Scripting's table of
                /// globals adds its hand-written helpers to these.
                public static let globals: [ModelGlobal] = [

            """
        for row in try rows(model) {
            output += "        ModelGlobal(kind: .\(row.kind), lua: \(SwiftNames.stringLiteral(row.lua)), model: \(SwiftNames.stringLiteral(row.model))),\n"
        }
        output += "    ]\n}\n"
        return output
    }
}
