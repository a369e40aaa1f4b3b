import Foundation

/// One line per request on standard error: when it arrived, who signed it, the operation, the status (and
/// the exception), the time taken and the request id. Never a body, a header or a secret.
struct AccessLog: Sendable {
    /// Where lines go; standard error unless a test collects them.
    let write: @Sendable (String) -> Void

    static let standardError = AccessLog { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// `2026-05-04T10:00:00.123Z alice CreateEngagement 200 3.1ms 2b7c…` or, refused,
    /// `… - GetEngagement 403 InvalidSignatureException 0.4ms …`.
    func record(arrived: Date, identity: String?, operation: String?, status: Int, exception: String?, elapsed: Duration, requestId: String) {
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let outcome = exception.map { "\(status) \($0)" } ?? "\(status)"
        write("\(Self.time(arrived)) \(identity ?? "-") \(operation ?? "-") \(outcome) \(String(format: "%.1f", milliseconds))ms \(requestId)")
    }

    /// ISO 8601 in UTC with milliseconds.
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
