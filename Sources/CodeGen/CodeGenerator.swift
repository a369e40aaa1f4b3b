/// Generates the Swift model of the service's operations from the AWS service model.
///
/// One run reads `Model/partnercentral-selling-2022-07-26.json` and writes the files under
/// `Sources/Core/Model/`; the output depends on nothing but the model, so regenerating is repeatable.
public struct CodeGenerator {
    /// Every operation of the model, by name: each is callable from every door (Lua, `engage call`, the
    /// transport, `engage serve`), and every shape they reach is generated. Which of them the sandbox
    /// answers is the sandbox's business (`OperationHandlers`).
    public static func operations(of model: ModelFile) -> [String] {
        model.operations.keys.sorted()
    }
    /// Where the model and botocore's paginators for it live, and where the output goes, relative to the
    /// package root.
    public static let modelPath = "Model/partnercentral-selling-2022-07-26.json"
    public static let paginatorsPath = "Model/partnercentral-selling-2022-07-26.paginators.json"
    public static let outputDirectory = "Sources/Core/Model"

    let model: ModelFile
    let paginators: [ModelPaginator]
    let shapeNames: [String]

    /// `paginatorsJSON` is botocore's `paginators-1.json` for the service: which member carries the next
    /// token and which list holds the results of each paginated operation.
    public init(modelJSON: String, paginatorsJSON: String) throws {
        model = try ModelFile(json: modelJSON)
        paginators = try ModelPaginator.all(json: paginatorsJSON, model: model)
        shapeNames = try model.shapesReachable(from: Self.operations(of: model))
    }

    /// The generated files: name (inside `outputDirectory`) and contents.
    public func generate() throws -> [(name: String, contents: String)] {
        let shapes = shapeNames.compactMap { model.shapes[$0] }
        var emitter = SwiftEmitter(model: model)
        return [
            ("Enums.swift", try emitter.enumsFile(shapes.filter { !$0.enumValues.isEmpty })),
            ("Structures.swift", try emitter.structuresFile(shapes.filter { $0.type == "structure" && !$0.isUnion && !$0.isException })),
            ("Unions.swift", try emitter.unionsFile(shapes.filter(\.isUnion))),
            ("Exceptions.swift", try emitter.structuresFile(shapes.filter(\.isException), title: "exception shapes")),
            ("ServiceModel+Shapes.swift", try emitter.schemaFile(shapes)),
            ("ServiceModel+Globals.swift", try LuaGlobalNames.file(model)),
            ("ServiceModel+Operations.swift", try OperationsEmitter(model: model, operations: Self.operations(of: model), paginators: paginators).file()),
        ]
    }
}
