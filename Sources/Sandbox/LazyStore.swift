import Core
import Foundation

/// The sandbox's store file, opened (created, switched to WAL and migrated when needed) at its first use, so
/// a command or script that makes no call never touches the file. Every service made from one `LazyStore`
/// (`withAudit`) shares the one opened store.
final class LazyStore: @unchecked Sendable {
    let path: String
    let whenMissing: WhenMissing
    /// Guards `store`; held while opening, so concurrent first uses open the file once.
    private let lock = NSLock()
    private var store: SandboxStore?
    private var standsInForMissingFile = false

    /// What the first use does when the file is not there.
    enum WhenMissing {
        /// Creates it: every command that may write.
        case create
        /// Fails, naming the path (`engage log`): nothing is created.
        case fail
        /// Answers as a store with nothing in it, kept in memory (a read through `engage call`): the service's
        /// own answer to a read of what does not exist, and nothing is created.
        case answerEmpty
    }

    init(path: String, whenMissing: WhenMissing = .create) {
        self.path = path
        self.whenMissing = whenMissing
    }

    /// Whether the first use found no file and answers as an empty store instead (`WhenMissing.answerEmpty`).
    var answersForMissingFile: Bool { lock.withLock { standsInForMissingFile } }

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
        let missing = whenMissing != .create && path != ":memory:" && !FileManager.default.fileExists(atPath: path)
        if missing, whenMissing == .fail {
            throw .notFound("no sandbox store at \(path): nothing has been written there yet (check --store); a command that only reads creates none")
        }
        do {
            let store = try SandboxStore(path: missing ? ":memory:" : path)
            standsInForMissingFile = missing
            self.store = store
            return store
        } catch let problem as SandboxStore.FolderProblem {
            throw .internalError("cannot open the sandbox store at \(path): \(problem.description)")
        } catch {
            throw .internalError("cannot open the sandbox store at \(path): \(error)")
        }
    }
}
