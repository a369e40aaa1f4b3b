import Core
import Foundation
import GRDB

extension SandboxService: LocalEngagementStore {
    /// A throw-away copy of this store at `path`, taken as one consistent snapshot while other processes
    /// may go on writing (SQLite's online backup): what a dry run reads and pretends to write, audited as
    /// this service's writes are.
    /// A store that does not exist yet is not created: the copy starts empty.
    public func snapshot(to path: String) async throws(ServiceError) -> any LocalEngagementStore {
        guard store.exists else { return try SandboxService(path: path, region: region, audit: audit) }
        let store = try store.opened()
        do {
            let copy = try DatabaseQueue(path: path, configuration: SandboxStore.configuration())
            try store.database.backup(to: copy)
            try copy.close()
        } catch {
            throw .internalError("cannot copy the sandbox store to \(path): \(error)")
        }
        return try SandboxService(path: path, region: region, audit: audit)
    }

    /// The store file at `path` and the files SQLite and the sandbox keep beside it.
    public static func storeFiles(at path: String) -> [String] {
        ["", "-wal", "-shm", "-journal", ".lock"].map { path + $0 }
    }
}
