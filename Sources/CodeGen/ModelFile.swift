import OrderedJSON

/// The parts of a botocore `service-2.json` that the generator reads, in the file's own order.
public struct ModelFile: Sendable {
    public let metadata: JSONValue.Members
    public let operations: [String: ModelOperation]
    /// Every shape of the model, by name.
    public let shapes: [String: ModelShape]

    /// Reads a service model from its JSON text.
    public init(json text: String) throws {
        let root = try JSONValue(parsing: text)
        guard let metadata = root["metadata"]?.objectValue,
            let operations = root["operations"]?.objectValue,
            let shapes = root["shapes"]?.objectValue
        else { throw CodeGenError("the service model lacks metadata, operations or shapes") }
        self.metadata = metadata
        self.operations = try operations.reduce(into: [:]) { result, entry in
            result[entry.key] = try ModelOperation(name: entry.key, json: entry.value)
        }
        self.shapes = try shapes.reduce(into: [:]) { result, entry in
            result[entry.key] = try ModelShape(name: entry.key, json: entry.value)
        }
    }

    /// The names of the shapes that the given operations reach through inputs, outputs, errors, members and
    /// list elements, sorted.
    public func shapesReachable(from operationNames: [String]) throws -> [String] {
        var seen: Set<String> = []
        func visit(_ name: String) throws {
            guard seen.insert(name).inserted else { return }
            guard let shape = shapes[name] else { throw CodeGenError("shape \(name) is referenced but not defined") }
            for target in shape.referencedShapes { try visit(target) }
        }
        for operationName in operationNames {
            guard let operation = operations[operationName] else { throw CodeGenError("no operation \(operationName)") }
            for name in [operation.input, operation.output].compactMap({ $0 }) + operation.errors { try visit(name) }
        }
        return seen.sorted()
    }
}

/// An operation as the model declares it.
public struct ModelOperation: Sendable {
    public let name: String
    public let input: String?
    public let output: String?
    public let errors: [String]
    public let documentation: String

    init(name: String, json: JSONValue) throws {
        self.name = name
        input = json["input"]?["shape"]?.stringValue
        output = json["output"]?["shape"]?.stringValue
        self.errors = (json["errors"]?.arrayValue ?? []).compactMap { $0["shape"]?.stringValue }
        self.documentation = json["documentation"]?.stringValue ?? ""
    }
}

/// A shape as the model declares it; members keep the model's order.
public struct ModelShape: Sendable {
    public let name: String
    public let type: String
    public let documentation: String
    public let members: [ModelMember]
    public let required: Set<String>
    public let enumValues: [String]
    public let pattern: String?
    public let min: Int?
    public let max: Int?
    /// The element shape of a list.
    public let listMember: String?
    /// The key and value shapes of a map.
    public let mapKey: String?
    public let mapValue: String?
    public let isUnion: Bool
    public let isException: Bool
    public let isFault: Bool
    public let isSensitive: Bool
    public let timestampFormat: String?

    init(name: String, json: JSONValue) throws {
        guard let type = json["type"]?.stringValue else { throw CodeGenError("shape \(name) has no type") }
        self.name = name
        self.type = type
        documentation = json["documentation"]?.stringValue ?? ""
        members = try (json["members"]?.objectValue ?? [:]).map { try ModelMember(name: $0.key, json: $0.value) }
        required = Set((json["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        enumValues = (json["enum"]?.arrayValue ?? []).compactMap(\.stringValue)
        pattern = json["pattern"]?.stringValue
        min = Self.integer(json["min"])
        max = Self.integer(json["max"])
        listMember = json["member"]?["shape"]?.stringValue
        mapKey = json["key"]?["shape"]?.stringValue
        mapValue = json["value"]?["shape"]?.stringValue
        isUnion = json["union"] == .bool(true)
        isException = json["exception"] == .bool(true)
        isFault = json["fault"] == .bool(true)
        isSensitive = json["sensitive"] == .bool(true)
        timestampFormat = json["timestampFormat"]?.stringValue
    }

    var referencedShapes: [String] {
        members.map(\.shape) + [listMember, mapKey, mapValue].compactMap { $0 }
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let number): Int(number)
        case .number(let number): Int(number)
        default: nil
        }
    }
}

/// A member of a structure as the model declares it.
public struct ModelMember: Sendable {
    public let name: String
    public let shape: String
    public let documentation: String
    public let isIdempotencyToken: Bool

    init(name: String, json: JSONValue) throws {
        guard let shape = json["shape"]?.stringValue else { throw CodeGenError("member \(name) has no shape") }
        self.name = name
        self.shape = shape
        documentation = json["documentation"]?.stringValue ?? ""
        isIdempotencyToken = json["idempotencyToken"] == .bool(true)
    }
}

/// A paginated operation as botocore's `paginators-1.json` describes it, checked against the model.
public struct ModelPaginator: Sendable {
    public let operation: String
    public let inputToken: String
    public let outputToken: String
    public let limitKey: String?
    public let resultKey: String

    /// Every paginator of the file, by operation name; each member it names must be one of the model's.
    static func all(json text: String, model: ModelFile) throws -> [ModelPaginator] {
        guard let entries = try JSONValue(parsing: text)["pagination"]?.objectValue else {
            throw CodeGenError("the paginators file has no pagination object")
        }
        return try entries.keys.sorted().map { name in
            let entry = entries[name]!
            guard let operation = model.operations[name], let input = operation.input.flatMap({ model.shapes[$0] }),
                let output = operation.output.flatMap({ model.shapes[$0] })
            else { throw CodeGenError("the paginator \(name) names no operation of the model with input and output") }
            guard let inputToken = entry["input_token"]?.stringValue, let outputToken = entry["output_token"]?.stringValue,
                let resultKey = entry["result_key"]?.stringValue
            else { throw CodeGenError("the paginator \(name) lacks input_token, output_token or result_key as strings") }
            let limitKey = entry["limit_key"]?.stringValue
            for (member, shape) in [(inputToken, input), (outputToken, output), (resultKey, output)] + (limitKey.map { [($0, input)] } ?? [])
            where !shape.members.contains(where: { $0.name == member }) {
                throw CodeGenError("the paginator \(name) names \(member), which \(shape.name) lacks")
            }
            return ModelPaginator(operation: name, inputToken: inputToken, outputToken: outputToken, limitKey: limitKey, resultKey: resultKey)
        }
    }
}

/// Why the generator could not read the model or emit code for it.
public struct CodeGenError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
