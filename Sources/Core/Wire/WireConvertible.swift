@_exported import OrderedJSON

/// A model value that converts to and from its AWS JSON 1.0 form: member names as in the model, timestamps
/// as the ISO 8601 text the service sent, explicit nulls treated as absent, unknown members ignored.
public protocol WireConvertible: Sendable {
    /// Decodes a value; `path` names where it sits in the document, for error messages.
    init(wire: JSONValue, at path: String) throws(WireDecodingError)
    /// The value's JSON form, members in model order.
    var wire: JSONValue { get }
}

/// A JSON document that does not have the shape the model says, and where.
public struct WireDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field path, `Payload.Lead.Interactions[0].Contact`; empty for the document itself.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Field paths as the validator and the decoder print them: `Customer.Address`, `Interactions[2]`.
public enum FieldPath {
    public static func member(_ name: String, of path: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    public static func element(_ index: Int, of path: String) -> String {
        path + "[\(index)]"
    }
}

extension String: WireConvertible {
    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .string(let text) = wire else {
            throw WireDecodingError(path: path, message: "expected a string, found \(wire.kindDescription)")
        }
        self = text
    }

    public var wire: JSONValue { .string(self) }
}

extension Int: WireConvertible {
    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        switch wire {
        case .integer(let number) where Int(exactly: number) != nil:
            self = Int(number)
        case .number(let number) where number.rounded() == number && Int(exactly: number) != nil:
            self = Int(number)
        default:
            throw WireDecodingError(path: path, message: "expected an integer, found \(wire.kindDescription)")
        }
    }

    public var wire: JSONValue { .integer(Int64(self)) }
}

extension Array: WireConvertible where Element: WireConvertible {
    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .array(let elements) = wire else {
            throw WireDecodingError(path: path, message: "expected a list, found \(wire.kindDescription)")
        }
        var decoded: [Element] = []
        decoded.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            decoded.append(try Element(wire: element, at: FieldPath.element(index, of: path)))
        }
        self = decoded
    }

    public var wire: JSONValue { .array(map(\.wire)) }
}

/// A string enum of the model. Values the model does not list decode to `unknown`, so responses from a
/// newer service still read; validation rejects them in requests.
public protocol ModelEnum: WireConvertible, Hashable, CaseIterable, CustomStringConvertible {
    init(rawValue: String)
    var rawValue: String { get }
}

extension ModelEnum {
    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        self.init(rawValue: try String(wire: wire, at: path))
    }

    public var wire: JSONValue { .string(rawValue) }
    public var description: String { rawValue }
}
