/// Checks a request document against the model's constraints and returns every violation, each with the
/// field's path, a `ValidationExceptionErrorCode` and a message a person can act on.
///
/// The sandbox, the Lua builders and the HTTP client all call this one function, so a request is judged
/// the same way wherever it is made.
public enum ModelValidator {
    /// Every violation in `value` read as the shape `shapeName` (a shape of the model); empty when
    /// the value is valid. `path` prefixes the field names, for values that sit inside a larger document.
    public static func validate(_ value: JSONValue, as shapeName: String, at path: String = "") -> [ValidationExceptionError] {
        guard let node = ShapeNode.graph[shapeName] else {
            preconditionFailure("\(shapeName) is not a shape of the model")
        }
        var walk = Walk(prefix: path)
        walk.check(value, against: node)
        return walk.issues
    }

    /// A shape with its members' and elements' shapes resolved once, so a walk follows references instead
    /// of looking shapes up by name at every field.
    private final class ShapeNode: @unchecked Sendable {
        let schema: ShapeSchema
        /// For a structure, the shape of each member, in member order.
        private(set) var memberNodes: [ShapeNode] = []
        /// For a list, the shape of its elements; for a map, the shape of its values.
        private(set) var elementNode: ShapeNode?
        /// For a map, the shape of its keys.
        private(set) var keyNode: ShapeNode?

        init(_ schema: ShapeSchema) {
            self.schema = schema
        }

        /// Every shape by name; built once, never changed afterwards.
        static let graph: [String: ShapeNode] = {
            let nodes = Dictionary(uniqueKeysWithValues: ServiceModel.shapeList.map { ($0.name, ShapeNode($0)) })
            for node in nodes.values {
                switch node.schema.kind {
                case .structure(let structure): node.memberNodes = structure.members.map { nodes[$0.shape]! }
                case .list(let list): node.elementNode = nodes[list.member]
                case .map(let map): (node.keyNode, node.elementNode) = (nodes[map.key], nodes[map.value])
                default: break
                }
            }
            return nodes
        }()
    }

    /// Every violation in a typed value, read through its wire form.
    public static func validate(_ value: some WireConvertible, as shapeName: String) -> [ValidationExceptionError] {
        validate(value.wire, as: shapeName)
    }

    /// One pass over a document. The path to the current value is a stack of steps that becomes text only
    /// when an issue is reported, so a valid document costs no string building.
    private struct Walk {
        enum Step {
            case member(String)
            case element(Int)
        }

        let prefix: String
        var steps: [Step] = []
        var issues: [ValidationExceptionError] = []

        init(prefix: String) {
            self.prefix = prefix
        }

        var path: String {
            steps.reduce(prefix) { path, step in
                switch step {
                case .member(let name): FieldPath.member(name, of: path)
                case .element(let index): FieldPath.element(index, of: path)
                }
            }
        }

        mutating func report(_ code: ValidationExceptionErrorCode, _ message: String) {
            issues.append(ValidationExceptionError(fieldName: path, message: message, code: code))
        }

        mutating func inside(_ step: Step, _ body: (inout Walk) -> Void) {
            steps.append(step)
            body(&self)
            steps.removeLast()
        }

        mutating func check(_ value: JSONValue, against node: ShapeNode) {
            switch node.schema.kind {
            case .structure(let structure): checkStructure(value, structure, node)
            case .string(let string): checkString(value, string, named: node.schema.name)
            case .integer(let bounds): checkInteger(value, bounds)
            case .timestamp: checkTimestamp(value)
            case .list(let list): checkList(value, list, node)
            case .map(let map): checkMap(value, map, node)
            }
        }

        mutating func checkStructure(_ value: JSONValue, _ structure: StructureSchema, _ node: ShapeNode) {
            let name = node.schema.name
            guard case .object(let members) = value else {
                report(.invalidValue, "expected \(name) as an object (a table), got \(describe(value))")
                return
            }
            var known = 0
            var set: [String] = []
            for (member, target) in zip(structure.members, node.memberNodes) {
                let memberValue = members[member.name]
                if memberValue != nil { known += 1 }
                guard let memberValue, memberValue != .null else {
                    if member.isRequired {
                        inside(.member(member.name)) { $0.report(.requiredFieldMissing, "required field '\(member.name)' of \(name) is missing") }
                    }
                    continue
                }
                if structure.isUnion { set.append(member.name) }
                inside(.member(member.name)) { $0.check(memberValue, against: target) }
            }
            if known < members.count {
                for key in members.keys where structure.member(named: key) == nil {
                    let hint = Suggestion.hint(for: key, among: structure.members.map(\.name))
                    inside(.member(key)) { $0.report(.invalidValue, "unknown field \(ServiceError.excerpt(key)) in \(name)\(hint)") }
                }
            }
            if structure.isUnion && set.count != 1 {
                let choices = structure.members.map(\.name).joined(separator: ", ")
                if set.isEmpty {
                    report(.requiredFieldMissing, "exactly one of \(choices) must be set in \(name); none is")
                } else {
                    report(.tooManyValues, "exactly one of \(choices) must be set in \(name); found \(set.joined(separator: " and "))")
                }
            }
        }

        mutating func checkString(_ value: JSONValue, _ string: StringSchema, named name: String) {
            guard case .string(let text) = value else {
                report(.invalidValue, "expected a string, got \(describe(value))")
                return
            }
            if !string.enumValues.isEmpty {
                if !string.enumValues.contains(text) { report(.invalidEnumValue, enumMessage(text, name: name, values: string.enumValues)) }
                return
            }
            guard let pattern = string.pattern, let problem = PatternMatcher.shared.problem(with: text, shape: name) else { return }
            switch problem {
            case .length(let count, let bounds):
                report(.invalidStringFormat, "must be \(bounds.allowed), got \(count)")
            case .lineBreak:
                report(.invalidStringFormat, "must be a single line")
            case .format:
                report(.invalidStringFormat, "\(ServiceError.excerpt(text)) is not \(FormatDescription.of(shape: name) ?? "in the format the model requires (\(pattern))")")
            }
        }

        mutating func checkInteger(_ value: JSONValue, _ bounds: IntegerSchema) {
            guard let number = try? Int(wire: value, at: "") else {
                report(.invalidValue, "expected an integer, got \(describe(value))")
                return
            }
            if let min = bounds.min, number < min { report(.valueOutOfRange, rangeMessage(number, bounds)) }
            if let max = bounds.max, number > max { report(.valueOutOfRange, rangeMessage(number, bounds)) }
        }

        mutating func checkTimestamp(_ value: JSONValue) {
            guard case .string(let text) = value else {
                report(.invalidValue, "expected an ISO 8601 timestamp string, got \(describe(value))")
                return
            }
            if let problem = ISO8601Components.problem(with: text) {
                report(.invalidStringFormat, "\(ServiceError.excerpt(text)) \(problem)")
            }
        }

        mutating func checkList(_ value: JSONValue, _ list: ListSchema, _ node: ShapeNode) {
            guard case .array(let elements) = value else {
                report(.invalidValue, "expected a list, got \(describe(value))")
                return
            }
            checkSize(elements.count, as: count(elements.count), min: list.min, max: list.max)
            guard let elementNode = node.elementNode else { return }
            for (index, element) in elements.enumerated() {
                inside(.element(index)) { $0.check(element, against: elementNode) }
            }
        }

        /// A list's or map's size against the model's bounds; `counted` says the size in words (`3 items`).
        mutating func checkSize(_ size: Int, as counted: String, min: Int?, max: Int?) {
            if let min, size < min { report(.notEnoughValues, "has \(counted); at least \(min) \(min == 1 ? "is" : "are") required") }
            if let max, size > max { report(.tooManyValues, "has \(counted); at most \(max) \(max == 1 ? "is" : "are") allowed") }
        }

        mutating func checkMap(_ value: JSONValue, _ map: MapSchema, _ node: ShapeNode) {
            guard case .object(let entries) = value else {
                report(.invalidValue, "expected a map (a table with string keys), got \(describe(value))")
                return
            }
            checkSize(entries.count, as: "\(entries.count) \(entries.count == 1 ? "entry" : "entries")", min: map.min, max: map.max)
            for (key, entry) in entries {
                inside(.member(key)) { walk in
                    if let keyNode = node.keyNode { walk.check(.string(key), against: keyNode) }
                    if let valueNode = node.elementNode { walk.check(entry, against: valueNode) }
                }
            }
        }
    }

    // MARK: Messages


    private static func enumMessage(_ text: String, name: String, values: [String]) -> String {
        if let suggestion = Suggestion.nearest(to: text, among: values) {
            return "\(ServiceError.excerpt(text)) is not a valid \(name)" + Suggestion.didYouMean(suggestion)
        }
        if values.count <= 10 {
            return "\(ServiceError.excerpt(text)) is not a valid \(name); valid values are \(values.joined(separator: ", "))"
        }
        return "\(ServiceError.excerpt(text)) is not a valid \(name); `engage describe \(name)` lists the \(values.count) valid values"
    }

    private static func rangeMessage(_ number: Int, _ bounds: IntegerSchema) -> String {
        switch (bounds.min, bounds.max) {
        case (let min?, let max?): "must be between \(min) and \(max), got \(number)"
        case (let min?, nil): "must be at least \(min), got \(number)"
        case (nil, let max?): "must be at most \(max), got \(number)"
        case (nil, nil): "is out of range"
        }
    }

    private static func count(_ items: Int) -> String { items == 1 ? "1 item" : "\(items) items" }

    /// A short description of a value for "got …" in messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "a string ('\(text.count > 40 ? String(text.prefix(37)) + "..." : text)')"
        case .integer(let number): "a number (\(number))"
        case .number(let number): "a number (\(number))"
        case .bool(let flag): "a boolean (\(flag))"
        default: value.kindDescription
        }
    }
}

extension ValidationExceptionError: CustomStringConvertible {
    /// `Payload.Lead.Customer.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)`
    public var description: String {
        guard let fieldName, !fieldName.isEmpty else { return message }
        return "\(fieldName): \(message)"
    }
}
