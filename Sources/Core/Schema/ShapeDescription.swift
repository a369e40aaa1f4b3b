/// What `engage describe NAME` shows: a shape, an operation or a documented value set of the model, as text
/// for people or as one JSON document for programs.
public struct ShapeDescription: Sendable {
    /// What the name stands for.
    public enum Subject: Sendable {
        case shape(ShapeSchema)
        case operation(OperationSchema)
        case documentedValues(DocumentedValueSet)
    }

    public let subject: Subject

    /// Why a name cannot be described, with the nearest name that can.
    public struct LookupError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Finds what `name` stands for: an exact name first, then the one name that matches ignoring case.
    public init(named name: String) throws(LookupError) {
        if let subject = Self.subject(exactly: name) {
            self.subject = subject
            return
        }
        let describable = Self.describableNames
        let sameIgnoringCase = describable.filter { $0.lowercased() == name.lowercased() }
        if sameIgnoringCase.count == 1, let subject = Self.subject(exactly: sameIgnoringCase[0]) {
            self.subject = subject
            return
        }
        let hint = Suggestion.hint(for: name, among: describable)
        throw LookupError(description: "no shape, operation or value set named '\(name)'\(hint); `engage describe --list` lists every name")
    }

    /// Every name `engage describe` knows: the model's shapes, operations and documented value sets, sorted.
    public static var describableNames: [String] {
        (ServiceModel.shapeList.map(\.name) + ServiceModel.operations.map(\.name) + ServiceModel.documentedValueSets.map(\.name)).sorted()
    }

    private static func subject(exactly name: String) -> Subject? {
        if let shape = ServiceModel.shape(named: name) { return .shape(shape) }
        if let operation = ServiceModel.operation(named: name) { return .operation(operation) }
        if let set = ServiceModel.documentedValueSet(named: name) { return .documentedValues(set) }
        return nil
    }
}

// MARK: - Summaries shared by both renderings

extension ShapeDescription {
    /// A one-line account of a shape as a member's type: `string, 1 to 40 characters`, `Industry (enum, 28 values)`.
    static func typeSummary(of shapeName: String) -> String {
        guard let shape = ServiceModel.shape(named: shapeName) else { return shapeName }
        switch shape.kind {
        case .structure(let structure):
            if structure.isUnion {
                return "\(shape.name) (union: exactly one of \(structure.members.map(\.name).joined(separator: ", ")))"
            }
            return "\(shape.name) (structure)"
        case .string(let string):
            if !string.enumValues.isEmpty { return "\(shape.name) (enum, \(string.enumValues.count) values)" }
            var parts = ["string"]
            parts.append(contentsOf: stringConstraints(shape.name, string))
            return parts.joined(separator: ", ")
        case .integer(let bounds):
            return (["integer"] + integerConstraints(bounds)).joined(separator: ", ")
        case .timestamp:
            return "timestamp (ISO 8601 text, every digit kept)"
        case .list(let list):
            return (["list of \(typeSummary(of: list.member))"] + listConstraints(list)).joined(separator: ", ")
        case .map(let map):
            let bounds = integerConstraints(IntegerSchema(min: map.min, max: map.max)).map { "\($0) entries" }
            return (["map of \(typeSummary(of: map.key)) to \(typeSummary(of: map.value))"] + bounds).joined(separator: ", ")
        }
    }

    static func stringConstraints(_ name: String, _ string: StringSchema) -> [String] {
        var parts: [String] = []
        if let pattern = string.pattern {
            if let length = LengthPattern(pattern) {
                parts.append(length.allowed)
                if !length.dotMatchesLineBreaks { parts.append("one line") }
            } else if let format = FormatDescription.of(shape: name) {
                parts.append(format)
            } else {
                parts.append("matching \(pattern)")
            }
        }
        if string.isSensitive { parts.append("sensitive") }
        return parts
    }

    static func integerConstraints(_ bounds: IntegerSchema) -> [String] {
        switch (bounds.min, bounds.max) {
        case (let min?, let max?): ["\(min) to \(max)"]
        case (let min?, nil): ["at least \(min)"]
        case (nil, let max?): ["at most \(max)"]
        case (nil, nil): []
        }
    }

    static func listConstraints(_ list: ListSchema) -> [String] {
        switch (list.min, list.max) {
        case (let min?, let max?) where min > 0: ["\(min) to \(max) items"]
        case (_, let max?): ["at most \(max) items"]
        case (let min?, nil) where min > 0: ["at least \(min) items"]
        default: []
        }
    }
}
