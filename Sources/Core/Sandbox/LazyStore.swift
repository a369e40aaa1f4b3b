import Foundation

/// The sandbox's store file, opened (created, switched to WAL and migrated when needed) at its first use, so
/// a command or script that makes no call never touches the file. Every service made from one `LazyStore`
/// (`withAudit`) shares the one opened store.
final class LazyStore: @unchecked Sendable {
    let path: String
    /// Guards `store`; held while opening, so concurrent first uses open the file once.
    private let lock = NSLock()
    private var store: SandboxStore?

    init(path: String) {
        self.path = path
    }

    /// The open store, opening it now if this is its first use. A failure is not kept: the next use tries
    /// again, so a store that was busy, or whose folder was not writable, may open later.
    func opened() throws(ServiceError) -> SandboxStore {
        lock.lock()
        defer { lock.unlock() }
        if let store { return store }
        do {
            let store = try SandboxStore(path: path)
            self.store = store
            return store
        } catch {
            throw .internalError("cannot open the sandbox store at \(path): \(error)")
        }
    }
}
