import Core
import Foundation

/// The instants credential sources write: STS's and `credential_process`'s ISO 8601 `Expiration`, the SSO
/// cache's `expiresAt` (older AWS CLIs end it with `UTC` instead of `Z`).
enum CredentialTime {
    /// The instant `text` names, or nil when it is not an ISO 8601 date-time with a zone.
    static func date(_ text: String) -> Date? {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("UTC") { text = String(text.dropLast(3)) + "Z" }
        guard let parts = ISO8601Components(parsing: text)?.inUTC else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let whole = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day,
                                                       hour: parts.hour, minute: parts.minute, second: parts.second))
        let fraction = parts.fractionDigits.isEmpty ? 0 : Double("0." + parts.fractionDigits) ?? 0
        return whole.map { $0.addingTimeInterval(fraction) }
    }

    /// `2025-06-30T12:00:00Z`
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
