import Core
import Foundation

extension AccessKeys {
    /// The members a key of a credentials file has; `SessionToken` is optional.
    static let fileMembers = ["AccessKeyId", "SecretAccessKey", "Identity", "SessionToken"]

    /// Reads a credentials file: a JSON object whose `AccessKeys` lists one object per key,
    /// `{"AccessKeyId": …, "SecretAccessKey": …, "Identity": …}`, optionally with a `SessionToken`. Errors
    /// name the file and the key's place, never a secret.
    public init(credentialsFile path: String) throws(AccessKeysError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AccessKeysError("\(path): cannot read the credentials file: \(String(cString: strerror(errno)))")
        }
        let document: JSONValue
        do {
            document = try JSONValue(parsing: Array(data))
        } catch {
            throw AccessKeysError("\(path): not JSON: \(error)")
        }
        guard let list = document["AccessKeys"]?.arrayValue else {
            throw AccessKeysError(#"\#(path): expected {"AccessKeys": [{"AccessKeyId": …, "SecretAccessKey": …, "Identity": …}, …]}"#)
        }
        var keys: [SigningKey] = []
        for (index, entry) in list.enumerated() {
            let place = "\(path): AccessKeys[\(index)]"
            guard let members = entry.objectValue else { throw AccessKeysError("\(place): expected an object, not \(entry.kindDescription)") }
            for name in members.keys where !Self.fileMembers.contains(name) {
                let hint = Suggestion.nearest(to: name, among: Self.fileMembers).map { " (did you mean '\($0)'?)" } ?? ""
                throw AccessKeysError("\(place): unknown member '\(name)'\(hint)")
            }
            func text(_ name: String, required: Bool = true) throws(AccessKeysError) -> String? {
                switch members[name] {
                case .string(let value) where !value.isEmpty: return value
                case nil where !required: return nil
                default: throw AccessKeysError("\(place): \(name) must be a non-empty string")
                }
            }
            let credentials = AWSCredentials(
                accessKeyId: try text("AccessKeyId")!, secretAccessKey: try text("SecretAccessKey")!, sessionToken: try text("SessionToken", required: false))
            keys.append(SigningKey(credentials: credentials, identity: try text("Identity")!))
        }
        let count = keys.count == 1 ? "1 access key" : "\(keys.count) access keys"
        do {
            try self.init(keys, source: "\(count) from \(path)")
        } catch {
            throw AccessKeysError("\(path): \(error)")
        }
    }
}
