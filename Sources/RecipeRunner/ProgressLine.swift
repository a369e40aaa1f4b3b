import Foundation

/// The line a long run keeps up to date on a terminal's standard error: items done of total (when the
/// recipe reports them), calls made, conflicts retried, time elapsed. Redrawn at most ten times a second.
final class ProgressLine: @unchecked Sendable {
    private let recipe: String
    private let calls: RunCalls
    private let started = ContinuousClock.now
    private let lock = NSLock()
    private var lastDrawn: ContinuousClock.Instant?
    private var done = 0
    private var total: Int?
    private var drawn = false

    init(recipe: String, calls: RunCalls) {
        self.recipe = recipe
        self.calls = calls
    }

    /// Whether standard error is a terminal, where the line is wanted.
    static var isWanted: Bool { isatty(STDERR_FILENO) == 1 }

    func items(done: Int, total: Int?) {
        lock.withLock { (self.done, self.total) = (done, total) }
        draw(force: false)
    }

    func draw(force: Bool) {
        lock.withLock {
            let now = ContinuousClock.now
            if !force, let lastDrawn, lastDrawn.duration(to: now) < .milliseconds(100) { return }
            lastDrawn = now
            let totals = calls.totals
            let seconds = Double(started.duration(to: now).components.seconds) + Double(started.duration(to: now).components.attoseconds) / 1e18
            var parts: [String] = []
            if done > 0 || total != nil { parts.append(total.map { "\(done)/\($0) items" } ?? "\(done) items") }
            parts.append("\(totals.count) calls")
            if totals.conflicts > 0 { parts.append("\(totals.conflicts) conflict\(totals.conflicts == 1 ? "" : "s") retried") }
            parts.append(String(format: "%.1f s", seconds))
            FileHandle.standardError.write(Data(("\r\u{1B}[K\(recipe): " + parts.joined(separator: " · ")).utf8))
            drawn = true
        }
    }

    /// Writes a log line above the progress line, then draws the progress line again.
    func log(_ text: String) {
        lock.withLock {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + "\n").utf8))
            lastDrawn = nil
        }
        draw(force: true)
    }

    /// Clears the line so what follows starts on a clean one.
    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drawn = false
        }
    }
}
