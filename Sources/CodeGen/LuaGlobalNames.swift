/// The model's part of engage's one table of Lua globals: which operations, builders and enum tables a Lua
/// state has, and the rules that name them. Every operation of the model is a global; every structure a
/// request can carry has a builder; every enum a request can carry has a table (so do the value sets the
/// documentation lists for plain strings, such as `StateOrRegion`). `ServiceModel+Globals.swift` is
/// written from these rules; nothing else lists a global of the model.
enum LuaGlobalNames {
    /// Second names that scripts already use for operations, kept beside the rule's name.
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

    /// The global of an operation: the snake_case of its name, `CreateEngagement` → `create_engagement`.
    static func operationGlobal(_ operation: String) -> String {
        unreserved(snakeCase(operation))
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

    /// The shapes a request of some operation can carry (its input shape excluded), sorted by name.
    static func requestShapes(_ model: ModelFile) throws -> [String] {
        let inputs = CodeGenerator.operations(of: model).compactMap { model.operations[$0]?.input }
        var seen: Set<String> = []
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            guard let shape = model.shapes[name] else { throw CodeGenError("shape \(name) is referenced but not defined") }
            for target in shape.referencedShapes { try visit(target) }
        }
        for input in inputs {
            guard let shape = model.shapes[input] else { throw CodeGenError("no input shape \(input)") }
            for target in shape.referencedShapes { try visit(target) }
        }
        return seen.subtracting(inputs).sorted()
    }

    /// The rows in order: operations (by name, each short name after its operation), builders, enum tables.
    static func rows(_ model: ModelFile) throws -> [(kind: String, lua: String, model: String, isShortName: Bool)] {
        var rows: [(kind: String, lua: String, model: String, isShortName: Bool)] = []
        for operation in CodeGenerator.operations(of: model) {
            rows.append(("operation", operationGlobal(operation), operation, false))
            if let short = shortNames[operation] { rows.append(("operation", unreserved(short), operation, true)) }
        }
        let carried = try requestShapes(model)
        for shape in carried {
            guard let definition = model.shapes[shape], definition.type == "structure", !definition.isException else { continue }
            rows.append(("builder", unreserved(shape), shape, false))
        }
        var tables = carried.filter { model.shapes[$0]?.enumValues.isEmpty == false }
        let inputs = CodeGenerator.operations(of: model).compactMap { model.operations[$0]?.input }
        let documented = try SwiftEmitter(model: model).documentedValueSets(carriedBy: Set(carried + inputs)).map(\.name)
        tables = (tables + documented).sorted()
        for shape in tables { rows.append(("enumTable", unreserved(shape), shape, false)) }
        for short in shortNames {
            guard model.operations[short.key] != nil else { throw CodeGenError("the short name \(short.value) names no operation of the model") }
        }
        let names = rows.map(\.lua)
        guard Set(names).count == names.count else {
            let repeated = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            throw CodeGenError("two Lua globals have the same name: \(repeated.joined(separator: ", "))")
        }
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
            let short = row.isShortName ? ", isShortName: true" : ""
            output += "        ModelGlobal(kind: .\(row.kind), lua: \(SwiftNames.stringLiteral(row.lua)), model: \(SwiftNames.stringLiteral(row.model))\(short)),\n"
        }
        output += "    ]\n}\n"
        return output
    }
}
