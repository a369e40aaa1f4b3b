import AWSTransport
import Core
import Foundation

extension AccessKeys {
    /// The members a key of a credentials file has; `SessionToken` is optional.
    static let fileMembers = ["AccessKeyId", "SecretAccessKey", "Identity", "SessionToken"]

    /// Reads a credentials file: a JSON object whose `AccessKeys` lists one object per key,
    /// `{"AccessKeyId": …, "SecretAccessKey": …, "Identity": …}`, optionally with a `SessionToken`. Errors
    /// name the file and the key's place, never a secret.
    /// A file other users may open is read all the same, with a warning in `warnings`.
    public init(credentialsFile path: String) throws(AccessKeysError) {
        let (bytes, mode) = try Self.read(credentialsFile: path)
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
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
                let hint = Suggestion.hint(for: name, among: Self.fileMembers)
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
        let exposed = mode & 0o077 != 0
            ? ["\(path) holds secret keys and other users may open it (mode \(String(mode & 0o777, radix: 8))): chmod 600 \(path)"] : []
        do {
            try self.init(keys, source: "\(count) from \(path)", warnings: exposed)
        } catch {
            throw AccessKeysError("\(path): \(error)")
        }
    }

    /// The file's bytes and permission bits; a folder or a file that cannot be read is an error saying so.
    private static func read(credentialsFile path: String) throws(AccessKeysError) -> (bytes: [UInt8], mode: mode_t) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AccessKeysError("\(path): cannot read the credentials file: \(String(cString: strerror(errno)))") }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw AccessKeysError("\(path): cannot read the credentials file: \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            throw AccessKeysError("\(path): is a folder, not a credentials file: give the path of the JSON file that lists the access keys")
        }
        do {
            return (Array(try file.readToEnd() ?? Data()), status.st_mode)
        } catch {
            throw AccessKeysError("\(path): cannot read the credentials file: \(error.localizedDescription)")
        }
    }
}
