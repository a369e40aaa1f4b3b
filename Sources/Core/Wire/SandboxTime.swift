import Foundation

/// Sandbox timestamps: microseconds since the Unix epoch, written as ISO 8601 UTC with six fractional
/// digits (`2025-07-01T08:00:00.000001Z`), which is what boto3 hands back.
package enum SandboxTime {
    package static func nowMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1_000
    }

    /// `2025-07-01T08:00:00.000001Z`
    package static func text(_ microseconds: Int64) -> String {
        let seconds = microseconds.floorDivided(by: 1_000_000)
        let fraction = microseconds - seconds * 1_000_000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        let fractionText = String(fraction)
        // Fixed width (four year digits as ISO 8601 asks, six fraction digits), so text order is time order.
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
            + "-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))."
            + String(repeating: "0", count: 6 - fractionText.count) + fractionText + "Z"
    }

    package static func timestamp(_ microseconds: Int64) -> Timestamp { Timestamp(text(microseconds)) }

    /// The instant a timestamp names, in microseconds; digits past the sixth are dropped, so any precision
    /// the client sends compares at the sandbox's.
    package static func microseconds(of timestamp: Timestamp) -> Int64? {
        guard let parts = timestamp.components else { return nil }
        let days = daysFromCivil(Int64(parts.year), Int64(parts.month), Int64(parts.day))
        let seconds = days * 86_400 + Int64(parts.hour * 3600 + parts.minute * 60 + min(parts.second, 59)) - Int64(parts.offsetMinutes * 60)
        let digits = String((parts.fractionDigits + "000000").prefix(6))
        return seconds * 1_000_000 + (Int64(digits) ?? 0)
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 of a proleptic Gregorian date.
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Timestamp {
    /// The current time as the sandbox writes timestamps: ISO 8601 UTC with six fractional digits.
    public static func now() -> Timestamp {
        SandboxTime.timestamp(SandboxTime.nowMicroseconds())
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
