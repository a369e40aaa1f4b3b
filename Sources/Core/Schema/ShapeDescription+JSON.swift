extension ShapeDescription {
    /// The description as one JSON document: `name`, `kind` and what that kind has (`values`, `members`,
    /// constraints, `documentation`).
    public var json: JSONValue {
        switch subject {
        case .documentedValues(let set):
            return [
                "name": .string(set.name), "kind": "enum", "documentedAt": .string(set.documentedAt),
                "enforced": false, "values": .array(set.values.map(JSONValue.string)),
            ]
        case .operation(let operation):
            return [
                "name": .string(operation.name), "kind": "operation", "documentation": .string(operation.documentation),
                "input": .string(operation.input), "output": operation.output.map(JSONValue.string) ?? .null,
                "errors": .array(operation.errors.map(JSONValue.string)),
            ]
        case .shape(let shape):
            return Self.json(of: shape)
        }
    }

    private static func json(of shape: ShapeSchema) -> JSONValue {
        var document: JSONValue.Members = ["name": .string(shape.name)]
        switch shape.kind {
        case .structure(let structure):
            document["kind"] = structure.exceptionFault != nil ? "exception" : (structure.isUnion ? "union" : "structure")
            document["documentation"] = .string(shape.documentation)
            if let fault = structure.exceptionFault { document["fault"] = .string(fault.rawValue) }
            document["members"] = .array(structure.members.map { member in
                var entry: JSONValue.Members = [
                    "name": .string(member.name), "shape": .string(member.shape),
                    "required": .bool(member.isRequired && !structure.isUnion), "type": .string(typeSummary(of: member.shape)),
                    "documentation": .string(member.documentation),
                ]
                if member.isIdempotencyToken { entry["idempotencyToken"] = true }
                if !member.documentedValues.isEmpty { entry["documentedValues"] = .array(member.documentedValues.map(JSONValue.string)) }
                return .object(entry)
            })
        case .string(let string) where !string.enumValues.isEmpty:
            document["kind"] = "enum"
            document["documentation"] = .string(shape.documentation)
            document["values"] = .array(string.enumValues.map(JSONValue.string))
        case .string(let string):
            document["kind"] = "string"
            document["documentation"] = .string(shape.documentation)
            if let pattern = string.pattern {
                document["pattern"] = .string(pattern)
                if let length = LengthPattern(pattern) {
                    document["minLength"] = .integer(Int64(length.min))
                    document["maxLength"] = .integer(Int64(length.max))
                }
            }
            document["sensitive"] = .bool(string.isSensitive)
        case .integer(let bounds):
            document["kind"] = "integer"
            document["documentation"] = .string(shape.documentation)
            if let min = bounds.min { document["min"] = .integer(Int64(min)) }
            if let max = bounds.max { document["max"] = .integer(Int64(max)) }
        case .timestamp(let timestamp):
            document["kind"] = "timestamp"
            document["documentation"] = .string(shape.documentation)
            document["format"] = .string(timestamp.format)
        case .list(let list):
            document["kind"] = "list"
            document["documentation"] = .string(shape.documentation)
            document["member"] = .string(list.member)
            if let min = list.min { document["min"] = .integer(Int64(min)) }
            if let max = list.max { document["max"] = .integer(Int64(max)) }
        case .map(let map):
            document["kind"] = "map"
            document["documentation"] = .string(shape.documentation)
            document["key"] = .string(map.key)
            document["value"] = .string(map.value)
            if let min = map.min { document["min"] = .integer(Int64(min)) }
            if let max = map.max { document["max"] = .integer(Int64(max)) }
        }
        return .object(document)
    }
}
