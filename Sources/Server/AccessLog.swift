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
        let hundredths = elapsed.components.seconds * 100_000 + elapsed.components.attoseconds / 10_000_000_000_000
        let tenths = (hundredths + 5) / 10
        let outcome = exception.map { "\(status) \($0)" } ?? "\(status)"
        write("\(Self.time(arrived)) \(identity ?? "-") \(operation ?? "-") \(outcome) \(tenths / 10).\(tenths % 10)ms \(requestId)")
    }

    /// ISO 8601 in UTC with milliseconds, from gmtime_r: a date format style per line showed in the server's profile.
    static func time(_ date: Date) -> String {
        let since1970 = date.timeIntervalSince1970
        var seconds = time_t(since1970.rounded(.down))
        let milliseconds = min(999, Int((since1970 - Double(seconds)) * 1000))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        return "\(digits(Int(parts.tm_year) + 1900, 4))-\(digits(Int(parts.tm_mon) + 1, 2))-\(digits(Int(parts.tm_mday), 2))T"
            + "\(digits(Int(parts.tm_hour), 2)):\(digits(Int(parts.tm_min), 2)):\(digits(Int(parts.tm_sec), 2)).\(digits(milliseconds, 3))Z"
    }
}
