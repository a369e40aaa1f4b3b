/// A model timestamp kept as ISO 8601 text, exactly as written, never rounded through a type that drops
/// digits: the service returns up to nanosecond digits and compares `EngagementLastModifiedAt` with them,
/// and a response keeps what the service sent, offset included.
///
/// `inUTC` is the same instant with offset zero: `2025-06-30T10:00:00+05:30` is `2025-06-30T04:30:00Z`,
/// `t`/`z` become `T`/`Z`, and the fraction keeps every digit written. The sandbox stores a client's
/// timestamps that way (`JSONValue.timestampsInUTC(as:)`). Text that names no instant is kept as given, so
/// validation can say what is wrong with it.
public struct Timestamp: WireConvertible, Hashable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public init(wire: JSONValue, at path: String) throws(WireDecodingError) {
        guard case .string(let text) = wire else {
            throw WireDecodingError(path: path, message: "expected an ISO 8601 timestamp string, found \(wire.kindDescription)")
        }
        self.init(text)
    }

    public var wire: JSONValue { .string(text) }
    public var description: String { text }

    /// The timestamp's parts, or nil when the text names no instant clients can read (see `ISO8601Components`).
    public var components: ISO8601Components? { ISO8601Components(parsing: text) }

    /// The same instant in UTC with a `Z`; the text as it is when it names no instant.
    public var inUTC: Timestamp { Timestamp(components?.utcText ?? text) }
}

extension JSONValue {
    /// This document, read as the model's `shapeName`, with every timestamp member written as the same
    /// instant in UTC (`Timestamp.inUTC`); members the model does not know, and everything else, as they are.
    public func timestampsInUTC(as shapeName: String) -> JSONValue {
        guard let shape = ServiceModel.shape(named: shapeName) else { return self }
        switch (shape.kind, self) {
        case (.timestamp, .string(let text)):
            return .string(Timestamp(text).inUTC.text)
        case (.list(let list), .array(let elements)):
            return .array(elements.map { $0.timestampsInUTC(as: list.member) })
        case (.structure(let structure), .object(var members)):
            for member in structure.members {
                if let value = members[member.name] { members[member.name] = value.timestampsInUTC(as: member.shape) }
            }
            return .object(members)
        default:
            return self
        }
    }
}

/// An ISO 8601 date-time read without loss: `2025-01-02T03:04:05.123456789Z` or with a `+hh:mm` offset.
///
/// Only real instants in the range clients parse are accepted: years 0001 to 9999 (also once moved to
/// UTC), real months and days (leap years included), hours below 24, minutes and seconds below 60 (no
/// leap seconds: botocore's parser refuses them) and offsets within a day.
public struct ISO8601Components: Sendable, Hashable {
    public let year, month, day, hour, minute, second: Int
    /// The fractional second's digits as written (at most nine), "" when none.
    public let fractionDigits: String
    /// The zone's offset from UTC in minutes.
    public let offsetMinutes: Int

    public init?(parsing text: String) {
        guard case .success(let components) = Self.read(text) else { return nil }
        self = components
    }

    /// Why `text` is not a timestamp, as the end of a sentence that starts with the text; nil when it is one.
    public static func problem(with text: String) -> String? {
        guard case .failure(let problem) = read(text) else { return nil }
        return problem.reason
    }

    /// The same instant with offset zero.
    public var inUTC: ISO8601Components {
        var minutes = hour * 60 + minute - offsetMinutes
        var (year, month, day) = (year, month, day)
        if minutes < 0 {
            minutes += 1440
            day -= 1
            if day == 0 {
                month -= 1
                if month == 0 { (year, month) = (year - 1, 12) }
                day = Self.days(inMonth: month, of: year)
            }
        } else if minutes >= 1440 {
            minutes -= 1440
            day += 1
            if day > Self.days(inMonth: month, of: year) {
                (month, day) = (month + 1, 1)
                if month == 13 { (year, month) = (year + 1, 1) }
            }
        }
        return ISO8601Components(year: year, month: month, day: day, hour: minutes / 60, minute: minutes % 60, second: second,
                                 fractionDigits: fractionDigits, offsetMinutes: 0)
    }

    /// The instant in UTC as the service writes it: `2025-06-30T04:30:00.5Z`.
    public var utcText: String {
        let utc = inUTC
        func digits(_ value: Int, _ count: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, count - text.count)) + text
        }
        let fraction = fractionDigits.isEmpty ? "" : "." + fractionDigits
        return "\(digits(utc.year, 4))-\(digits(utc.month, 2))-\(digits(utc.day, 2))T\(digits(utc.hour, 2)):\(digits(utc.minute, 2)):\(digits(utc.second, 2))\(fraction)Z"
    }

    private init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fractionDigits: String, offsetMinutes: Int) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        self.fractionDigits = fractionDigits
        self.offsetMinutes = offsetMinutes
    }

    private struct Problem: Error {
        let reason: String
        static let syntax = Problem(reason: "is not an ISO 8601 date-time such as 2025-06-30T14:05:09.123456Z")
        static func notAnInstant(_ why: String) -> Problem { Problem(reason: "is not a real instant: \(why)") }
    }

    private static func read(_ text: String) -> Result<ISO8601Components, Problem> {
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
        else { return .failure(.syntax) }
        var fraction = ""
        if expect(".") {
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction.append(Character(Unicode.Scalar(bytes[index])))
                index += 1
            }
            guard (1...9).contains(fraction.count) else { return .failure(.syntax) }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2) else { return .failure(.syntax) }
            guard offsetHours < 24, offsetMinutes < 60 else { return .failure(.notAnInstant("the offset must be -23:59 to +23:59")) }
            offset = sign * (offsetHours * 60 + offsetMinutes)
        } else {
            return .failure(.syntax)
        }
        guard index == bytes.count else { return .failure(.syntax) }
        guard year >= 1 else { return .failure(.notAnInstant("the year must be 0001 to 9999")) }
        guard (1...12).contains(month) else { return .failure(.notAnInstant("the month must be 01 to 12")) }
        let monthDays = days(inMonth: month, of: year)
        guard (1...monthDays).contains(day) else {
            let monthText = (month < 10 ? "0" : "") + String(month)
            return .failure(.notAnInstant("\(text.prefix(4))-\(monthText) has \(monthDays) days"))
        }
        guard hour < 24 else { return .failure(.notAnInstant("the hour must be 00 to 23")) }
        guard minute < 60 else { return .failure(.notAnInstant("the minute must be 00 to 59")) }
        guard second < 60 else { return .failure(.notAnInstant("the second must be 00 to 59 (leap seconds are not accepted)")) }
        let components = ISO8601Components(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                           fractionDigits: fraction, offsetMinutes: offset)
        let utcYear = components.inUTC.year
        guard utcYear >= 1 else { return .failure(.notAnInstant("in UTC it falls before 0001-01-01")) }
        guard utcYear <= 9999 else { return .failure(.notAnInstant("in UTC it falls after 9999-12-31")) }
        return .success(components)
    }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
