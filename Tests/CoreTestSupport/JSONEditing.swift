import OrderedJSON

/// One step into a JSON document: a member name or a list index.
public enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
    case member(String)
    case index(Int)
    public init(stringLiteral value: String) { self = .member(value) }
    public init(integerLiteral value: Int) { self = .index(value) }
}

extension JSONValue {
    /// A copy with the value at `path` replaced; `nil` removes an object member.
    public func setting(_ path: [Step], to newValue: JSONValue?) -> JSONValue {
        guard let first = path.first else { return newValue ?? .null }
        let rest = Array(path.dropFirst())
        switch (self, first) {
        case (.object(var members), .member(let name)):
            if rest.isEmpty, newValue == nil {
                members.removeValue(forKey: name)
            } else {
                members[name] = (members[name] ?? .object([:])).setting(rest, to: newValue)
            }
            return .object(members)
        case (.array(var elements), .index(let index)):
            elements[index] = elements[index].setting(rest, to: newValue)
            return .array(elements)
        default:
            fatalError("path does not fit the document")
        }
    }
}
