/// A model timestamp kept as the exact ISO 8601 text the service sent or the user wrote.
///
/// The service returns up to nanosecond digits and compares `EngagementLastModifiedAt` with them, so the
/// text is never rounded through a type that drops digits; `components` reads it when a program must
/// compare or order timestamps.
public struct Timestamp: WireConvertible, Hashable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .string(let text) = wire else {
            throw WireDecodingError(path: path, message: "expected an ISO 8601 timestamp string, found \(wire.kindDescription)")
        }
        self.text = text
    }

    public var wire: JSONValue { .string(text) }
    public var description: String { text }

    /// The timestamp's parts, or nil when the text is not ISO 8601 date-time with a zone.
    public var components: ISO8601Components? { ISO8601Components(parsing: text) }
}

/// An ISO 8601 date-time read without loss: `2025-01-02T03:04:05.123456789Z` or with a `+hh:mm` offset.
public struct ISO8601Components: Sendable, Hashable {
    public let year, month, day, hour, minute, second: Int
    /// The fractional second's digits as written (at most nine), "" when none.
    public let fractionDigits: String
    /// The zone's offset from UTC in minutes.
    public let offsetMinutes: Int

    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        var fraction = ""
        if expect(".") {
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction.append(Character(Unicode.Scalar(bytes[index])))
                index += 1
            }
            guard (1...9).contains(fraction.count) else { return nil }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetHours < 24, offsetMinutes < 60 else {
                return nil
            }
            offset = sign * (offsetHours * 60 + offsetMinutes)
        } else {
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), (1...Self.days(inMonth: month, of: year)).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        fractionDigits = fraction
        offsetMinutes = offset
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
