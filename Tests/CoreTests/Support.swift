import Foundation
import OrderedJSON

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The committed AWS service model that the generator reads.
let committedModel: JSONValue = {
    let url = packageRoot.appendingPathComponent("Model/partnercentral-selling-2022-07-26.json")
    do {
        return try JSONValue(parsing: try Data(contentsOf: url))
    } catch {
        fatalError("cannot read \(url.path): \(error)")
    }
}()

/// One step into a JSON document: a member name or a list index.
enum Step: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, Sendable {
    case member(String)
    case index(Int)
    init(stringLiteral value: String) { self = .member(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

extension JSONValue {
    /// A copy with the value at `path` replaced; `nil` removes an object member.
    func setting(_ path: [Step], to newValue: JSONValue?) -> JSONValue {
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
