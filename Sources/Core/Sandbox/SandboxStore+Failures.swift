import GRDB

extension SandboxStore {
    /// What a failed read or write of the store tells a person: the store's path, and for the failures a user
    /// can fix (a read-only file or folder, a full disk) what to look at, rather than SQLite's bare code.
    func failureDescription(_ error: any Error) -> String {
        let path = database.path
        guard let error = error as? DatabaseError else { return "the sandbox store \(path) failed: \(error)" }
        let sqlite = "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
        switch error.resultCode {
        case .SQLITE_READONLY:
            return "the sandbox store \(path) is read-only (\(sqlite)): engage needs to write the file and create \(path)-wal and \(path)-shm beside it; nothing was written"
        case .SQLITE_FULL:
            return "the sandbox store \(path) cannot grow: the disk is full (\(sqlite)); nothing of this request was written"
        case .SQLITE_IOERR where error.extendedResultCode == .SQLITE_IOERR_WRITE:
            return "cannot write the sandbox store \(path) (\(sqlite)): the disk may be full or a file size limit (ulimit -f) reached; nothing of this request was written"
        case .SQLITE_CANTOPEN, .SQLITE_PERM:
            return "cannot open the sandbox store \(path) or its -wal and -shm files (\(sqlite)): check that the file and its folder can be written"
        default:
            return "the sandbox store \(path) failed: \(sqlite)"
        }
    }
}
