import OrderedCollections

/// Reads the members of a JSON object that stands for a model structure.
public struct WireObject {
    public let members: JSONValue.Members
    public let path: String

    public init(_ value: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .object(let members) = value else {
            throw WireDecodingError(path: path, message: "expected an object, found \(value.kindDescription)")
        }
        self.members = members
        self.path = path
    }

    /// The member's value; a missing member or an explicit null is an error.
    public func required<Value: WireConvertible>(_ name: String) throws(WireDecodingError) -> Value {
        let memberPath = FieldPath.member(name, of: path)
        guard let value = members[name], value != .null else {
            throw WireDecodingError(path: memberPath, message: "required member is missing")
        }
        return try Value(wire: value, at: memberPath)
    }

    /// The member's value, or nil when it is missing or null.
    public func optional<Value: WireConvertible>(_ name: String) throws(WireDecodingError) -> Value? {
        guard let value = members[name], value != .null else { return nil }
        return try Value(wire: value, at: FieldPath.member(name, of: path))
    }

    /// The one member of a union that is set (not null); zero or several is an error.
    public func unionMember() throws(WireDecodingError) -> (name: String, value: JSONValue) {
        let set = members.filter { $0.value != .null }
        guard set.count == 1, let only = set.elements.first else {
            let found = set.isEmpty ? "none" : set.keys.joined(separator: ", ")
            throw WireDecodingError(path: path, message: "exactly one member must be set, found \(found)")
        }
        return (only.key, only.value)
    }
}

extension OrderedDictionary where Key == String, Value == JSONValue {
    /// Adds the member when the value is present; absent optionals are left out, as the service does.
    public mutating func put(_ name: String, _ value: (some WireConvertible)?) {
        if let value { self[name] = value.wire }
    }
}
