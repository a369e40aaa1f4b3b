import Core
import Foundation
import GRDB

extension SandboxStore {
    /// The store's folder cannot be made: which part of its path is in the way, in words, rather than
    /// Foundation's error dump.
    struct FolderProblem: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates `folder` and the folders above it that are missing.
    static func createFolder(_ folder: String) throws(FolderProblem) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FolderProblem(description: "cannot create the store's folder \(folder): \(obstacle(creating: folder, error))")
        }
    }

    /// Why `folder` cannot be created: the first part of its path that is there but is not a folder, else
    /// the deepest folder that is there but cannot be written, else what the system said.
    private static func obstacle(creating folder: String, _ error: any Error) -> String {
        var deepestFolder = folder.hasPrefix("/") ? "/" : "."
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix = prefix == "." ? String(component) : prefix + "/" + component
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: prefix, isDirectory: &isFolder) else { break }
            guard isFolder.boolValue else {
                var info = stat()
                let isFile = stat(prefix, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
                return "\(prefix) is \(isFile ? "a file" : "not a folder")"
            }
            deepestFolder = prefix
        }
        if access(deepestFolder, W_OK) != 0 { return "the folder \(deepestFolder) cannot be written (\(String(cString: strerror(errno))))" }
        return (error as NSError).localizedDescription
    }

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
