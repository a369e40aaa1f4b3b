import Foundation

/// Standard output as a run uses it. With `--output json` it carries exactly one document: while the run
/// goes, file descriptor 1 is pointed at standard error, so whatever else writes there (`io.write`,
/// `io.stdout`, a child of `os.execute`) lands on stderr, and the document is written to the real standard
/// output kept aside.
final class RunOutput: @unchecked Sendable {
    let json: Bool
    /// The real standard output while it is reserved for the document; nil in text mode or once restored.
    private var reserved: Int32?
    private let lock = NSLock()

    init(json: Bool) {
        self.json = json
        guard json else { return }
        fflush(nil)
        let saved = dup(STDOUT_FILENO)
        guard saved >= 0, dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else { return }
        reserved = saved
    }

    /// Writes the run's JSON document (or in text mode, text for standard output).
    func write(_ text: String) {
        lock.withLock {
            fflush(nil)
            guard let reserved else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            FileHandle(fileDescriptor: reserved, closeOnDealloc: false).write(Data(text.utf8))
        }
    }

    /// Gives standard output back to file descriptor 1.
    func restore() {
        lock.withLock {
            fflush(nil)
            guard let saved = reserved else { return }
            dup2(saved, STDOUT_FILENO)
            close(saved)
            reserved = nil
        }
    }

    deinit { restore() }
}
