import Foundation

/// How long `engage serve` waits on clients and how many it serves at once, so that idle, slow or stuck
/// clients can neither hold the server's file descriptors nor its shutdown.
public struct ServerLimits: Sendable, Equatable {
    /// A connection without a request under way is closed once this long passes without a complete request
    /// head: an idle kept-alive connection, or a head that arrives too slowly.
    public var idleTimeout: Duration = .seconds(60)
    /// A request's body must arrive within this long of its head, or the request is answered 408
    /// `RequestTimeoutException` and its connection closed.
    public var bodyTimeout: Duration = .seconds(30)
    /// After SIGINT or SIGTERM, the connections still open this long later are closed, their requests unanswered.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Connections served at once; further ones wait in the listen queue until one closes.
    public var maxConnections = 512

    public init() {}

    /// File descriptors kept free of connections for the store, its journal, standard streams and the event loops.
    static let reservedDescriptors = 64

    /// `maxConnections`, lowered to what the open-file limit `descriptorLimit` leaves room for, so that accepting
    /// a connection never fails for want of a descriptor.
    func connections(descriptorLimit: Int) -> Int {
        max(1, min(maxConnections, descriptorLimit - Self.reservedDescriptors))
    }

    /// The process's soft limit on open files.
    static var descriptorLimit: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return Int.max }
        return Int(clamping: limit.rlim_cur)
    }

    /// `30 s`, `0.5 s`: a limit as the messages and the first log line state it.
    static func words(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
