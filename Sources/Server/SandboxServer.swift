import AWSTransport
import Core
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Sandbox

/// `engage serve`: a sandbox store behind the AWS JSON 1.0 wire protocol, for boto3, the AWS CLI and
/// `engage --endpoint-url`. Every request's SigV4 signature is checked against `keys`; SIGINT or SIGTERM
/// stops it once the requests in flight are answered, or `limits.shutdownTimeout` later.
public struct SandboxServer: Sendable {
    public var host: String
    /// 0 picks a free port; the first log line names the one bound.
    public var port: Int
    public var sandbox: SandboxService
    public var storePath: String
    /// The region requests must be signed for, and the one in the sandbox's ARNs.
    public var region: String
    public var keys: any AccessKeyDirectory
    /// The largest request body accepted: 1 MiB.
    public var bodyLimit = 1 << 20
    /// Timeouts and the number of connections served at once.
    public var limits = ServerLimits()

    /// Serves `sandbox` (opened on `storePath`, which the first log line names).
    public init(host: String, port: Int, sandbox: SandboxService, storePath: String, region: String, keys: any AccessKeyDirectory) {
        (self.host, self.port, self.sandbox, self.storePath, self.region, self.keys) = (host, port, sandbox, storePath, region, keys)
    }

    /// Opens the store, listens, and serves until a shutdown signal; `log` receives the first line (the
    /// address really bound, the store, the keys' source, the limits), the keys' warnings, one line per
    /// request and the last line.
    public func run(log: @escaping @Sendable (String) -> Void) async throws {
        let sandbox = self.sandbox
        let accessLog = AccessLog(write: log)
        // Each write's audit row, CreatedBy and ModifiedBy name the identity that signed it.
        let responder = AWSJSONResponder(
            service: { identity in sandbox.withAudit(AuditContext(command: "serve", actor: identity), caller: identity) }, signatures: SignatureCheck(keys: keys, region: region), bodyLimit: bodyLimit, log: accessLog)
        let connections = limits.connections(descriptorLimit: ServerLimits.descriptorLimit)
        let banner = { @Sendable [limits, keys] (boundHost: String?, boundPort: Int?) in
            log(Self.listeningLine(host: boundHost ?? host, port: boundPort ?? port, store: storePath, region: region, keys: keys.source)
                + ", \(Self.limitsText(limits, connections: connections))")
            for warning in keys.warnings { log("engage serve: warning: \(warning)") }
        }
        let channel = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(limits: limits, bodyLimit: bodyLimit, log: accessLog, serverLog: log)],
            // The guard times idle connections out: Hummingbird's idle timeout would also close a body that
            // pauses, silently, where the body timeout answers 408.
            idleTimeout: nil,
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: MalformedHTTP.headerBytes, maxHeaderListSize: MalformedHTTP.headerBytes, maxHeaderFieldCount: MalformedHTTP.headerFieldCount))
        var application = Application(
            responder: responder, server: .http1(configuration: channel),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), availableConnectionsDelegate: MaximumAvailableConnections(connections)),
            onServerRunning: { channel in banner(channel.localAddress?.ipAddress, channel.localAddress?.port) })
        // Hummingbird's own lines would come before engage's first one; its warnings and errors still show.
        application.logger.logLevel = .warning
        try await application.runService()
        log("engage serve: stopped")
    }

    /// `engage serve: listening on http://127.0.0.1:8080 (loopback only), store …, region us-east-1, 2 access
    /// keys from team.json`, with a warning first when the address is reachable from other machines.
    static func listeningLine(host: String, port: Int, store: String, region: String, keys: String) -> String {
        let url = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        let reach = isLoopback(host)
            ? "(loopback only)"
            : "(WARNING: \(host) is not a loopback address: other machines can reach this server, and requests travel unencrypted)"
        return "engage serve: listening on \(url) \(reach), store \(store), region \(region), \(keys)"
    }

    /// `at most 512 connections, idle timeout 60 s, body timeout 30 s, shutdown timeout 10 s`, saying so when the
    /// open-file limit lowered the number of connections.
    static func limitsText(_ limits: ServerLimits, connections: Int) -> String {
        let lowered = connections < limits.maxConnections ? " (lowered from \(limits.maxConnections) to fit the open-file limit, ulimit -n)" : ""
        return "at most \(connections) connections\(lowered), idle timeout \(ServerLimits.words(limits.idleTimeout)), "
            + "body timeout \(ServerLimits.words(limits.bodyTimeout)), shutdown timeout \(ServerLimits.words(limits.shutdownTimeout))"
    }

    /// 127.0.0.0/8 and ::1, also written as an IPv4-mapped IPv6 address.
    static func isLoopback(_ address: String) -> Bool {
        let v4 = address.hasPrefix("::ffff:") ? String(address.dropFirst("::ffff:".count)) : address
        return v4.hasPrefix("127.") || address == "::1" || address == "localhost"
    }
}
