import CLua
import CLuaShims
import Core
import Foundation

/// What a recipe needs of the bridge: `recipe{...}` declares one, `item(key, fn [, label])` runs one unit
/// of its work (skipped when a journal says it finished, with errors labelled by the item), `progress(done,
/// total)` reports how far it got, and `check(shape, value)` validates a value against the model, required
/// members included, before anything is sent.
extension Bridge {
    /// The registry field that holds the table the last `recipe{...}` call declared.
    static let declaredRecipeField = "engage.recipe"

    func declareRecipe(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        try Arguments.table(L, 1, "recipe")
        lua_settop(L, 1)
        var members: JSONValue.Members = [:]
        lua_pushnil(L)
        while lua_next(L, 1) != 0 {
            guard lua_type(L, -2) == LUA_TSTRING, case .success(let key) = LuaValues.text(L, at: -2) else {
                throw .message("\(callerPosition(L))recipe: every field of the declaration is named (name, description, params, run)")
            }
            if key == "run" {
                guard lua_type(L, -1) == LUA_TFUNCTION else {
                    throw .message("\(callerPosition(L))recipe: run must be a function(params), got \(Arguments.typeName(L, -1))")
                }
            } else {
                do throws(LuaConversionError) {
                    members[key] = try LuaValues.read(L, at: -1, field: key)
                } catch {
                    throw .message("\(callerPosition(L))recipe: \(error.message("holds"))")
                }
            }
            engage_lua_pop(L, 1)
        }
        LuaValues.pushString(L, "run")
        guard lua_rawget(L, 1) == LUA_TFUNCTION else { throw .message("\(callerPosition(L))recipe: run = function(params) … end is missing") }
        engage_lua_pop(L, 1)
        do {
            declaredRecipe = try RecipeDeclaration(members)
        } catch {
            throw .message("\(callerPosition(L))recipe: \(error.description)")
        }
        lua_pushvalue(L, 1)
        lua_setfield(L, engage_registry_index(), Self.declaredRecipeField)
        return 1
    }

    func item(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let key: String
        if lua_type(L, 1) == LUA_TNUMBER, lua_isinteger(L, 1) != 0 { key = String(lua_tointegerx(L, 1, nil)) } else { key = try Arguments.string(L, 1, "item") }
        try Arguments.function(L, 2, "item")
        let label = lua_type(L, 3) <= LUA_TNIL ? key : try Arguments.string(L, 3, "item")
        let session = recipeSession
        if let session, let journal = session.journal {
            let runId = session.runId
            let finished = try journalCall(L) { () async throws(ServiceError) in try await journal.finishedItem(run: runId, item: key) }
            if let finished {
                session.itemsDone += 1
                session.report()
                try LuaValues.push(L, finished)
                return 1
            }
        }
        let outer = session?.begin(item: key, label: label)
        defer { session?.currentItem = outer }
        lua_pushvalue(L, 2)
        guard engage_lua_pcall(L, 0, 1, 0) == LUA_OK else {
            Self.label(errorAtTopOf: L, with: label)
            throw .onStack
        }
        if let session {
            let result = (try? LuaValues.read(L, at: -1)) ?? .null
            if let journal = session.journal {
                let runId = session.runId
                try journalCall(L) { () async throws(ServiceError) in try await journal.recordFinishedItem(run: runId, item: key, result: result) }
            }
            session.itemsDone += 1
            session.report()
        }
        return 1
    }

    private func journalCall<Value: Sendable>(_ L: OpaquePointer, _ body: @escaping @Sendable () async throws(ServiceError) -> Value) throws(LuaRaise) -> Value {
        do {
            return try wait(body)
        } catch {
            throw .service(error, where: callerPosition(L))
        }
    }

    /// Puts the item's label into the error on top of the stack: an engage error value gets an `item` field
    /// that `tostring` shows after the position; a message `file:line: text` becomes `file:line: label: text`.
    static func label(errorAtTopOf L: OpaquePointer, with label: String) {
        if lua_type(L, -1) == LUA_TTABLE, ErrorValues.isErrorValue(L, at: -1) {
            LuaValues.pushString(L, "item")
            if lua_rawget(L, -2) == LUA_TNIL {
                engage_lua_pop(L, 1)
                LuaValues.pushString(L, label)
                lua_setfield(L, -2, "item")
            } else {
                engage_lua_pop(L, 1)
            }
        } else if lua_type(L, -1) == LUA_TSTRING {
            let message = LuaValues.string(L, at: -1)
            engage_lua_pop(L, 1)
            let position = ErrorValues.positionPrefix(of: message)
            LuaValues.pushString(L, position + label + ": " + message.dropFirst(position.count))
        }
    }

    func progress(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        guard lua_type(L, 1) == LUA_TNUMBER, lua_isinteger(L, 1) != 0, lua_tointegerx(L, 1, nil) >= 0 else {
            throw Arguments.error(L, 1, "progress", "a whole number of items done expected, got \(Arguments.typeName(L, 1))")
        }
        let total: Int?
        if lua_type(L, 2) <= LUA_TNIL {
            total = nil
        } else {
            guard lua_type(L, 2) == LUA_TNUMBER, lua_isinteger(L, 2) != 0, lua_tointegerx(L, 2, nil) >= 0 else {
                throw Arguments.error(L, 2, "progress", "a whole number of items in all expected, got \(Arguments.typeName(L, 2))")
            }
            total = Int(lua_tointegerx(L, 2, nil))
        }
        if let session = recipeSession {
            session.itemsDone = Int(lua_tointegerx(L, 1, nil))
            session.itemsTotal = total
            session.report()
        }
        return 0
    }

    /// `check(shape, value)`: the value when it is a valid `shape` with every required member; otherwise the
    /// error a builder raises, naming each field.
    func check(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let shape = try Arguments.string(L, 1, "check")
        guard let schema = ServiceModel.shape(named: shape), case .structure = schema.kind else {
            let names = ServiceModel.shapeList.filter { if case .structure = $0.kind { true } else { false } }.map(\.name)
            let hint = Suggestion.hint(for: shape, among: names)
            throw Arguments.error(L, 1, "check", "no structure '\(shape)' in the model\(hint)")
        }
        try Arguments.table(L, 2, "check")
        let value = try Arguments.json(L, 2, "check").fitted(to: shape)
        let issues = ModelValidator.validate(value, as: shape)
        guard issues.isEmpty else {
            let error = ServiceError(code: "ValidationException", message: issues.map(\.description).joined(separator: "; "), reason: .requestValidationFailed, errorList: issues)
            throw .builder(error, shape: shape, where: callerPosition(L))
        }
        lua_settop(L, 2)
        return 1
    }
}

/// What `recipe{...}` declares: a name, a one-line description and the parameters, read without running
/// the recipe's work.
public struct RecipeDeclaration: Sendable, Equatable {
    public var name: String?
    public var description: String
    /// The parameters, sorted by name.
    public var parameters: [RecipeParameter]

    /// A parameter: its type, whether it is required, its default and its help.
    public struct RecipeParameter: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case string, number, boolean, path, `enum` }
        public var name: String
        public var kind: Kind
        public var required: Bool
        public var defaultValue: JSONValue?
        /// The allowed values of an `enum` parameter.
        public var values: [String]
        /// A `path` parameter the recipe writes: its folder must exist, the file need not.
        public var isOutput: Bool
        public var help: String
        /// The range a `number` parameter must be in (`min`, `max`), and whether it must be whole (`integer`).
        public var minimum: Double? = nil
        public var maximum: Double? = nil
        public var isInteger = false
    }

    /// A declaration problem, worded to follow "recipe: ".
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    init(_ members: JSONValue.Members) throws(Problem) {
        let known = ["name", "description", "params", "run"]
        if let unknown = members.keys.first(where: { !known.contains($0) }) {
            let hint = Suggestion.hint(for: unknown, among: known)
            throw Problem(description: "unknown field '\(unknown)'\(hint); a declaration has name, description, params and run")
        }
        if let name = members["name"], name.stringValue == nil { throw Problem(description: "name must be a string") }
        name = members["name"]?.stringValue
        guard let description = members["description"]?.stringValue, !description.isEmpty else {
            throw Problem(description: "description = \"what the recipe does, in one line\" is missing")
        }
        self.description = description
        var parameters: [RecipeParameter] = []
        switch members["params"] {
        case nil, .array([])?: break
        case .object(let declared)?:
            for (name, spec) in declared.sorted(by: { $0.key < $1.key }) { parameters.append(try Self.parameter(name, spec)) }
        default: throw Problem(description: "params must be a table of parameters keyed by name")
        }
        self.parameters = parameters
    }

    private static func parameter(_ name: String, _ spec: JSONValue) throws(Problem) -> RecipeParameter {
        guard case .object(let fields) = spec else { throw Problem(description: "params.\(name) must be a table such as { type = \"string\", help = \"…\" }") }
        let known = ["type", "help", "required", "default", "values", "output", "min", "max", "integer"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) {
            let hint = Suggestion.hint(for: unknown, among: known)
            throw Problem(description: "params.\(name): unknown field '\(unknown)'\(hint)")
        }
        let kinds = RecipeParameter.Kind.allCases.map(\.rawValue)
        guard let typeName = fields["type"]?.stringValue, let kind = RecipeParameter.Kind(rawValue: typeName) else {
            throw Problem(description: "params.\(name).type must be one of \(kinds.joined(separator: ", "))")
        }
        var values: [String] = []
        if kind == .enum {
            guard let list = fields["values"]?.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
                throw Problem(description: "params.\(name): an enum parameter lists its values = { \"a\", \"b\" }")
            }
            values = list.compactMap(\.stringValue)
        }
        func flag(_ field: String) throws(Problem) -> Bool {
            switch fields[field] {
            case nil: return false
            case .bool(let value)?: return value
            default: throw Problem(description: "params.\(name).\(field) must be true or false")
            }
        }
        let required = try flag("required")
        let defaultValue = fields["default"]
        if required, defaultValue != nil { throw Problem(description: "params.\(name) is required and has a default; keep one") }
        var parameter = RecipeParameter(
            name: name, kind: kind, required: required, defaultValue: nil, values: values,
            isOutput: try flag("output"), help: fields["help"]?.stringValue ?? "")
        try Self.readRange(of: &parameter, from: fields, flag: flag)
        if let defaultValue {
            guard let value = parameter.accepts(defaultValue) else { throw Problem(description: "params.\(name).default is not a \(kind.rawValue)\(kind == .enum ? " of its values" : "")") }
            switch parameter.rangeViolation(value) {
            case nil: break
            case .notWhole: throw Problem(description: "params.\(name).default \(value.serialized()) is not a whole number")
            case .belowMinimum(let minimum): throw Problem(description: "params.\(name).default \(value.serialized()) is less than its min \(RecipeParameter.text(minimum))")
            case .aboveMaximum(let maximum): throw Problem(description: "params.\(name).default \(value.serialized()) is more than its max \(RecipeParameter.text(maximum))")
            }
            parameter.defaultValue = value
        }
        return parameter
    }

    /// `min`, `max` and `integer`, which only a number parameter may have.
    private static func readRange(of parameter: inout RecipeParameter, from fields: JSONValue.Members, flag: (String) throws(Problem) -> Bool) throws(Problem) {
        let name = parameter.name
        guard fields["min"] != nil || fields["max"] != nil || fields["integer"] != nil else { return }
        guard parameter.kind == .number else { throw Problem(description: "params.\(name): min, max and integer are for number parameters") }
        func bound(_ field: String) throws(Problem) -> Double? {
            switch fields[field] {
            case nil: return nil
            case .integer(let value)?: return Double(value)
            case .number(let value)?: return value
            default: throw Problem(description: "params.\(name).\(field) must be a number")
            }
        }
        parameter.minimum = try bound("min")
        parameter.maximum = try bound("max")
        parameter.isInteger = try flag("integer")
        if let minimum = parameter.minimum, let maximum = parameter.maximum, minimum > maximum {
            throw Problem(description: "params.\(name): min \(RecipeParameter.text(minimum)) is more than max \(RecipeParameter.text(maximum))")
        }
    }
}

extension RecipeDeclaration.RecipeParameter {
    /// How a number falls outside what the parameter declares.
    public enum RangeViolation: Sendable, Equatable {
        case notWhole
        case belowMinimum(Double)
        case aboveMaximum(Double)
    }

    /// Whether `value` (as `accepts` gave it) is outside the declared range; nil when it is inside, or not a number.
    public func rangeViolation(_ value: JSONValue) -> RangeViolation? {
        let number: Double
        switch value {
        case .integer(let whole): number = Double(whole)
        case .number(let fraction): number = fraction
        default: return nil
        }
        if isInteger, number.rounded(.towardZero) != number { return .notWhole }
        if let minimum, number < minimum { return .belowMinimum(minimum) }
        if let maximum, number > maximum { return .aboveMaximum(maximum) }
        return nil
    }

    /// A bound as people write it: `1`, not `1.0`; `0.5` as it is.
    public static func text(_ bound: Double) -> String {
        bound.rounded(.towardZero) == bound && abs(bound) < 1e15 ? String(Int64(bound)) : String(bound)
    }

    /// The value as the recipe receives it when `value` (a default, or text from the command line) suits
    /// this parameter's type; nil when it does not.
    public func accepts(_ value: JSONValue) -> JSONValue? {
        switch (kind, value) {
        case (.string, .string), (.path, .string): return value
        case (.number, .integer), (.number, .number): return value
        case (.boolean, .bool): return value
        case (.enum, .string(let text)):
            // Not a ternary: `nil` there would be JSONValue's own null literal, not "no value".
            guard values.contains(text) else { return nil }
            return value
        case (.number, .string(let text)):
            if let integer = Int64(text) { return .integer(integer) }
            if let number = Double(text), number.isFinite { return .number(number) }
            return nil
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: return nil
            }
        default: return nil
        }
    }
}
