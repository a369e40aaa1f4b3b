import Core

/// A client-side limit on requests per second, one token bucket per operation: each bucket holds up to
/// `max(1, rate)` tokens, refills at `rate` per second, and a request takes one token or waits for it.
/// Waiting callers queue in arrival order, since each reserves its token before it sleeps.
public actor RequestRateLimiter {
    public nonisolated let rate: Double
    private let capacity: Double
    private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()

    /// `rate` requests per second for each operation; it must be above zero.
    public init(requestsPerSecond rate: Double) {
        precondition(rate > 0, "a rate limit must be above zero")
        (self.rate, self.capacity) = (rate, max(1, rate))
    }

    /// Returns when `operation` may send one request.
    public func waitForTurn(_ operation: String) async {
        let wait = reserve(operation)
        if wait > .zero { try? await Task.sleep(for: wait) }
    }

    /// Takes a token from the operation's bucket, and returns how long until it is really there.
    private func reserve(_ operation: String) -> Duration {
        let now = clock.now
        let bucket = buckets[operation] ?? (capacity, now)
        let elapsed = bucket.at.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let tokens = min(capacity, bucket.tokens + max(0, seconds) * rate) - 1
        buckets[operation] = (tokens, now)
        return tokens >= 0 ? .zero : .seconds(-tokens / rate)
    }
}
