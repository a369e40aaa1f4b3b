import Core

/// A client-side limit on requests per second, one token bucket per operation: each bucket holds up to
/// `max(1, rate)` tokens, refills at the operation's rate per second, and a request takes one token or waits
/// for it. Waiting callers queue in arrival order, since each reserves its token before it sleeps.
public actor RequestRateLimiter {
    /// The one rate of every operation; nil when each has its own (`AWSQuotas`).
    public nonisolated let uniformRate: Double?
    private let rates: @Sendable (String) -> Double
    private var buckets: [String: (tokens: Double, at: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()

    /// `rate` requests per second for each operation; it must be above zero.
    public init(requestsPerSecond rate: Double) {
        precondition(rate > 0, "a rate limit must be above zero")
        (uniformRate, rates) = (rate, { _ in rate })
    }

    /// Each operation at the rate `rates` gives it, above zero.
    public init(rates: @escaping @Sendable (String) -> Double) {
        (uniformRate, self.rates) = (nil, rates)
    }

    /// Requests per second for `operation`.
    public nonisolated func rate(for operation: String) -> Double { rates(operation) }

    /// Returns when `operation` may send one request.
    public func waitForTurn(_ operation: String) async {
        let wait = reserve(operation)
        if wait > .zero { try? await Task.sleep(for: wait) }
    }

    /// Takes a token from the operation's bucket, and returns how long until it is really there.
    private func reserve(_ operation: String) -> Duration {
        let now = clock.now
        let rate = rates(operation)
        let capacity = max(1, rate)
        let bucket = buckets[operation] ?? (capacity, now)
        let elapsed = bucket.at.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let tokens = min(capacity, bucket.tokens + max(0, seconds) * rate) - 1
        buckets[operation] = (tokens, now)
        return tokens >= 0 ? .zero : .seconds(-tokens / rate)
    }
}
