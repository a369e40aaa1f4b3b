import Core
import Foundation

/// The sandbox's store file, opened (created, switched to WAL and migrated when needed) at its first use, so
/// a command or script that makes no call never touches the file. Every service made from one `LazyStore`
/// (`withAudit`) shares the one opened store.
final class LazyStore: @unchecked Sendable {
    let path: String
    /// For commands that only read: a file that is not there is an error, never created.
    let mustExist: Bool
    /// Guards `store`; held while opening, so concurrent first uses open the file once.
    private let lock = NSLock()
    private var store: SandboxStore?

    init(path: String, mustExist: Bool = false) {
        self.path = path
        self.mustExist = mustExist
    }

    /// Whether the store holds anything yet: it is open, or its file is there.
    var exists: Bool {
        lock.withLock { store != nil || (path != ":memory:" && FileManager.default.fileExists(atPath: path)) }
    }

    /// The open store, opening it now if this is its first use. A failure is not kept: the next use tries
    /// again, so a store that was busy, or whose folder was not writable, may open later.
    func opened() throws(ServiceError) -> SandboxStore {
        lock.lock()
        defer { lock.unlock() }
        if let store { return store }
        if mustExist, path != ":memory:", !FileManager.default.fileExists(atPath: path) {
            throw .notFound("no sandbox store at \(path): nothing has been written there yet (check --store); a command that only reads creates none")
        }
        do {
            let store = try SandboxStore(path: path)
            self.store = store
            return store
        } catch let problem as SandboxStore.FolderProblem {
            throw .internalError("cannot open the sandbox store at \(path): \(problem.description)")
        } catch {
            throw .internalError("cannot open the sandbox store at \(path): \(error)")
        }
    }
}
