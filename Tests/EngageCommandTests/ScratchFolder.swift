import Foundation

/// A test suite's own temporary folder, with a sandbox store path in it and files written into it.
protocol ScratchFolder {
    var folder: URL { get }
}

extension ScratchFolder {
    var store: String { folder.appendingPathComponent("sandbox.sqlite").path }

    /// Writes `contents` to `name` in the folder (creating it) and returns the file's path.
    func file(_ name: String, _ contents: String) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }
}
