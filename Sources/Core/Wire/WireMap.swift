import OrderedCollections

/// A model map (`AmountMap`): string keys in the order the document gives them, each with a value of the
/// map's value shape.
public typealias WireMap<Value: WireConvertible> = OrderedDictionary<String, Value>

extension OrderedDictionary: WireConvertible where Key == String, Value: WireConvertible {
    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .object(let members) = wire else {
            throw WireDecodingError(path: path, message: "expected a map (an object), found \(wire.kindDescription)")
        }
        var decoded = OrderedDictionary<String, Value>()
        decoded.reserveCapacity(members.count)
        for (key, value) in members {
            decoded[key] = try Value(wire: value, at: FieldPath.member(key, of: path))
        }
        self = decoded
    }

    public var wire: JSONValue {
        var members = JSONValue.Members()
        members.reserveCapacity(count)
        for (key, value) in self { members[key] = value.wire }
        return .object(members)
    }
}

/// The response of an operation whose model declares no output (AssociateOpportunity, SubmitOpportunity, …):
/// the service answers `{}`.
public struct EmptyResponse: WireConvertible, Hashable {
    public init() {}

    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        _ = try WireObject(wire, at: path)
    }

    public var wire: JSONValue { .object([:]) }
}
