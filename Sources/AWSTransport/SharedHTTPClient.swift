import AsyncHTTPClient
import Core
import Foundation

/// The process's one HTTP client, made on first use and shared by every `HTTPEngagementService`, so
/// connections are pooled across them. The executable calls `shutdown()` once before it exits.
public enum SharedHTTPClient {
    private final class Holder: @unchecked Sendable {
        let lock = NSLock()
        var client: HTTPClient?
    }
    private static let holder = Holder()

    /// Redirects are not followed (a POST to the service never redirects; a proxy that does is an error to
    /// see), bodies are not decompressed, and a connection attempt gives up after 10 seconds. A refused
    /// connection fails the request at once: `RetryPolicy` decides about trying again, not the pool.
    static let configuration: HTTPClient.Configuration = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(60)), decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }()

    /// The client, made now if no client is open.
    public static var client: HTTPClient {
        holder.lock.withLock {
            if let client = holder.client { return client }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            holder.client = client
            return client
        }
    }

    /// Closes the client's connections if one was made; a later use makes a new one.
    public static func shutdown() async {
        let client = holder.lock.withLock {
            defer { holder.client = nil }
            return holder.client
        }
        try? await client?.shutdown()
    }
}
