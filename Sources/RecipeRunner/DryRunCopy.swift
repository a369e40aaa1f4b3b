import Foundation

/// The throw-away store a dry run works on, in `$TMPDIR` as `engage-dry-run-PID-UUID.sqlite`. It is removed
/// when the run ends, when SIGINT, SIGTERM or SIGHUP stops it, and otherwise (a SIGKILL, a crash) by the
/// next dry run, which removes every copy whose process is gone.
final class DryRunCopy: @unchecked Sendable {
    static let prefix = "engage-dry-run-"
    let path: String
    /// The files the store at `path` consists of.
    private let files: [String]
    private var previousHandlers: [(number: Int32, handler: SignalHandler?)] = []

    /// The signals that stop a run and should not leave its copy behind.
    private static let stoppingSignals = [SIGINT, SIGTERM, SIGHUP]

    /// Names a new copy, whose store consists of the files `files` names for its path, and arms the signal
    /// handlers that remove them; sweeps stale copies first.
    init(files: (_ path: String) -> [String]) {
        let folder = FileManager.default.temporaryDirectory.path
        Self.sweep(folder: folder)
        path = (folder as NSString).appendingPathComponent("\(Self.prefix)\(getpid())-\(UUID().uuidString).sqlite")
        self.files = files(path)
        armedPaths = Self.cStrings(self.files)
        for number in Self.stoppingSignals {
            previousHandlers.append((number, signal(number, removeCopyThenDie)))
        }
    }

    /// Removes the copy and its side files, and puts the signal handling back as it was.
    func remove() {
        for (number, handler) in previousHandlers { signal(number, handler) }
        previousHandlers = []
        for file in files { try? FileManager.default.removeItem(atPath: file) }
        if let paths = armedPaths {
            armedPaths = nil
            var index = 0
            while let path = paths[index] {
                free(path)
                index += 1
            }
            paths.deallocate()
        }
    }

    /// Removes the copies in `folder` whose process has ended (its id is in the name; a copy of a process
    /// that still runs is that run's).
    static func sweep(folder: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix { $0.isNumber }), pid > 0 else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }

    /// A NULL-terminated array of C strings, allocated once so the signal handler only reads it.
    private static func cStrings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { array[index] = strdup(string) }
        array[strings.count] = nil
        return array
    }
}

typealias SignalHandler = @convention(c) (Int32) -> Void

/// The files the signal handler removes: set while a dry run's copy exists.
nonisolated(unsafe) private var armedPaths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

/// Removes the copy's files (unlink is async-signal-safe), then lets the signal do what it would have done.
private let removeCopyThenDie: SignalHandler = { number in
    if let paths = armedPaths {
        var index = 0
        while let path = paths[index] {
            unlink(path)
            index += 1
        }
    }
    signal(number, SIG_DFL)
    raise(number)
}
