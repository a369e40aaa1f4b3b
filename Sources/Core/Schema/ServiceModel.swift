/// The Partner Central Selling service model as engage serves it: shapes, operations and documented values,
/// generated from the AWS model (see `ServiceModel+Shapes.swift`).
public enum ServiceModel {
    /// Every shape of the model by name.
    public static let shapes: [String: ShapeSchema] = Dictionary(
        uniqueKeysWithValues: generatedShapes.map { ($0.name, $0) }
    )

    /// The shapes of the model in name order.
    public static var shapeList: [ShapeSchema] { generatedShapes }

    public static func shape(named name: String) -> ShapeSchema? { shapes[name] }

    public static func operation(named name: String) -> OperationSchema? {
        operations.first { $0.name == name }
    }

    public static func documentedValueSet(named name: String) -> DocumentedValueSet? {
        documentedValueSets.first { $0.name == name }
    }
}
