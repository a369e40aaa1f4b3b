import Core
import Foundation

/// Pages of a list the sandbox sorts in memory: ordered by a sort key, ties by id, and a NextToken that is
/// the position (key and id) of the page's last item, so a write between pages neither repeats nor skips
/// an item whose key it does not change.
struct SortedPages<Item> {
    let operation: String
    /// What the token is tied to besides the operation: the sort, so a token is not read under another.
    let order: String
    let key: (Item) -> String
    let id: (Item) -> String
    let descending: Bool

    /// The page after `token` (from the start without one) of at most `size` items, and the next token.
    func page(of items: [Item], after token: String?, size: Int) throws(ServiceError) -> (items: [Item], next: String?) {
        let sorted = items.sorted { a, b in
            let (x, y) = ((key(a), id(a)), (key(b), id(b)))
            return descending ? x > y : x < y
        }
        var remaining = sorted[...]
        if let token {
            let position = try decode(token)
            remaining = sorted.drop { item in
                let here = (key(item), id(item))
                return descending ? here >= position : here <= position
            }
        }
        let page = Array(remaining.prefix(size))
        let next = remaining.count > size ? page.last.map { encode((key($0), id($0))) } : nil
        return (page, next)
    }

    private func encode(_ position: (String, String)) -> String {
        JSONValue.array([.string(operation), .string(order), .string(position.0), .string(position.1)]).serialized().data(using: .utf8)!.base64EncodedString()
    }

    private func decode(_ token: String) throws(ServiceError) -> (String, String) {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), let value = try? JSONValue(parsing: text),
            let fields = value.arrayValue, fields.count == 4, fields[0].stringValue == operation, fields[1].stringValue == order,
            let key = fields[2].stringValue, let id = fields[3].stringValue
        else {
            throw .requestValidation([ValidationExceptionError(
                fieldName: "NextToken", message: "is not a token from a previous \(operation) call with the same sort", code: .invalidValue)])
        }
        return (key, id)
    }
}
