import Core
import Crypto
import Foundation

/// The host's side of a recipe run, which makes re-running safe without bookkeeping in the recipe: writes
/// get ClientTokens derived from the run and the item being processed (so a repeated create replays the
/// first one), finished items are kept in a journal (so a repeated run skips them), and appends skip an
/// interaction the lead already has. Used on the Lua thread only.
public final class RecipeSession: @unchecked Sendable {
    /// Identifies the run: the same recipe with the same parameters on the same catalog is the same run.
    public let runId: String
    let journal: (any RunJournal)?
    /// Called by `progress(done, total)` and whenever an item finishes.
    public var onProgress: (@Sendable (_ done: Int, _ total: Int?) -> Void)?

    /// The item being processed: its key and the label errors carry.
    var currentItem: (key: String, label: String)?
    private var writesInItem: [String: Int] = [:]
    var itemsDone = 0
    var itemsTotal: Int?

    /// A session for `recipe` run with `parameters` (an object; member order does not matter) on `catalog`.
    public init(recipe: String, parameters: JSONValue, catalog: String, journal: (any RunJournal)?) {
        let canonical: JSONValue = ["recipe": .string(recipe), "catalog": .string(catalog), "parameters": Self.sortedMembers(parameters)]
        runId = Self.hex(SHA256.hash(data: Data(canonical.serialized().utf8)))
        self.journal = journal
    }

    /// The ClientToken for the next write of the current item (or of the run, outside items): the same on
    /// every run of the same command, different for each write. Shaped as a UUID, as AWS recommends.
    func nextClientToken() -> String {
        let key = currentItem?.key ?? ""
        let sequence = writesInItem[key, default: 0]
        writesInItem[key] = sequence + 1
        let digest = Array(SHA256.hash(data: Data("\(runId)\u{0}\(key)\u{0}\(sequence)".utf8)))
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    /// Starts `key`, returning what was current before so nested items restore it.
    func begin(item key: String, label: String) -> (key: String, label: String)? {
        let outer = currentItem
        currentItem = (key, label)
        writesInItem[key] = 0
        return outer
    }

    func report() { onProgress?(itemsDone, itemsTotal) }

    private static func sortedMembers(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(JSONValue.Members(uniqueKeysWithValues: members.sorted { $0.key < $1.key }.map { ($0.key, sortedMembers($0.value)) }))
    }

    private static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
