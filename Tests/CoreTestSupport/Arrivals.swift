import Foundation

/// Tasks started at once announcing that they got somewhere, and a wait for all of them: a test holds a step
/// (a fetch, an answer) until every concurrent caller has come, instead of pausing and hoping they did.
public final class Arrivals: @unchecked Sendable {
    /// How many arrivals `allArrived()` waits for.
    public let expected: Int
    /// Guards `count` and `waiting`.
    private let lock = NSLock()
    private var count = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(expected: Int) {
        self.expected = expected
    }

    /// Records one arrival; the last one expected wakes every task in `allArrived()`.
    public func arrive() {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            count += 1
            guard count >= expected else { return [] }
            defer { waiting = [] }
            return waiting
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once `expected` arrivals were recorded (at once when they were already).
    public func allArrived() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let already = lock.withLock { () -> Bool in
                if count >= expected { return true }
                waiting.append(continuation)
                return false
            }
            if already { continuation.resume() }
        }
    }
}
