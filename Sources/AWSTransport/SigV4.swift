import Core
import Crypto
import Foundation

/// AWS credentials: an access key with its secret, and the session token of temporary credentials.
public struct AWSCredentials: Sendable, Equatable {
    public let accessKeyId: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public let expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        (self.accessKeyId, self.secretAccessKey, self.sessionToken, self.expiration) = (accessKeyId, secretAccessKey, sessionToken, expiration)
    }
}

/// Signature Version 4, as botocore's `SigV4Auth` computes it: the canonical request, the string to sign,
/// the signing key derived per day, region and service (cached), and the `Authorization` header. Used to
/// sign requests and, by `engage serve`, to check them.
public final class SigV4: @unchecked Sendable {
    public let region: String
    public let service: String
    private let lock = NSLock()
    private var keys: [String: SymmetricKey] = [:]

    public init(region: String, service: String) {
        (self.region, self.service) = (region, service)
    }

    /// The headers botocore never signs.
    static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id", "authorization",
    ]

    /// Adds `X-Amz-Date`, `X-Amz-Security-Token` (for session credentials) and `Authorization` to `headers`
    /// (which must hold `Host`) for a request of `method` to `path` (as the request line carries it,
    /// percent-encoded; the canonical form normalises and encodes it, see `canonicalPath`) and `query`
    /// (decoded pairs) with `body`.
    public func sign(
        method: String, path: String, query: [(String, String)] = [], headers: inout [(name: String, value: String)],
        body: [UInt8], credentials: AWSCredentials, date: Date = Date()
    ) {
        let stamp = Self.timestamp(date)
        headers.removeAll { ["authorization", "x-amz-date", "x-amz-security-token"].contains($0.name.lowercased()) }
        headers.append(("X-Amz-Date", stamp))
        if let token = credentials.sessionToken { headers.append(("X-Amz-Security-Token", token)) }
        let signed = Self.signedHeaderNames(headers)
        let signature = self.signature(
            method: method, path: path, query: query, headers: headers, signedHeaders: signed,
            payloadHash: Self.hex(SHA256.hash(data: body)), timestamp: stamp, secret: credentials.secretAccessKey)
        let scope = "\(stamp.prefix(8))/\(region)/\(service)/aws4_request"
        headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(signature)"))
    }

    /// The hex signature of a request whose `signedHeaders` (lower-case names) are among `headers`.
    public func signature(
        method: String, path: String, query: [(String, String)], headers: [(name: String, value: String)], signedHeaders: [String],
        payloadHash: String, timestamp: String, secret: String
    ) -> String {
        let canonical = Self.canonicalRequest(method: method, path: path, query: query, headers: headers, signedHeaders: signedHeaders, payloadHash: payloadHash)
        let day = String(timestamp.prefix(8))
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, "\(day)/\(region)/\(service)/aws4_request", Self.hex(SHA256.hash(data: Data(canonical.utf8)))].joined(separator: "\n")
        let code = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(secret: secret, day: day))
        return Self.hex(code)
    }

    /// The key for `day` (YYYYMMDD): HMAC chained over the day, region, service and "aws4_request".
    func signingKey(secret: String, day: String) -> SymmetricKey {
        let cacheKey = "\(secret)\u{0}\(day)"
        if let key = lock.withLock({ keys[cacheKey] }) { return key }
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        lock.withLock {
            if keys.count > 16 { keys.removeAll() }
            keys[cacheKey] = key
        }
        return key
    }

    /// The canonical request: method, encoded path, sorted encoded query, the signed headers (lower-case
    /// names, values with runs of white space folded, values of a repeated name joined by commas), their
    /// names, and the payload's hash.
    public static func canonicalRequest(
        method: String, path: String, query: [(String, String)], headers: [(name: String, value: String)], signedHeaders: [String], payloadHash: String
    ) -> String {
        let encoded: [(key: String, value: String)] = query.map { pair in
            (encode(pair.0, keeping: queryUnreserved), encode(pair.1, keeping: queryUnreserved))
        }
        let sorted = encoded.sorted { first, second in first.key != second.key ? first.key < second.key : first.value < second.value }
        let canonicalQuery = sorted.map { pair in pair.key + "=" + pair.value }.joined(separator: "&")
        let lowered = headers.map { (name: lowercasedASCII($0.name), value: $0.value) }
        let canonicalHeaders = signedHeaders.map { name in
            let values = lowered.filter { $0.name == name }.map { foldingWhiteSpace($0.value) }
            return "\(name):\(values.joined(separator: ","))"
        }
        return [method.uppercased(), canonicalPath(path), canonicalQuery,
                canonicalHeaders.joined(separator: "\n") + "\n", signedHeaders.joined(separator: ";"), payloadHash].joined(separator: "\n")
    }

    /// The path as every service but S3 signs it, as botocore does: `.` and `..` segments resolved and empty
    /// segments dropped (RFC 3986's remove_dot_segments, plus the collapsing of `//` AWS asks for), then the
    /// path as sent (already percent-encoded) encoded once more. `/a/../b//c/` signs as `/b/c/`.
    public static func canonicalPath(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        let leading = path.hasPrefix("/") || path.isEmpty ? "/" : ""
        return encode(leading + segments.joined(separator: "/") + trailing, keeping: pathUnreserved)
    }

    /// The lower-case names of the headers to sign, sorted, once each.
    static func signedHeaderNames(_ headers: [(name: String, value: String)]) -> [String] {
        Array(Set(headers.map { lowercasedASCII($0.name) }).subtracting(unsignedHeaders)).sorted()
    }

    /// A header value with leading and trailing white space removed and each inner run made one space,
    /// as botocore's `' '.join(value.split())`. Byte by byte for ASCII, the common case: splitting on
    /// Character.isWhitespace is slow on every request (docs/performance.md).
    static func foldingWhiteSpace(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return value.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard utf8.contains(where: isSpace) else { return value }
        var folded: [UInt8] = []
        folded.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if isSpace(byte) {
                pendingSpace = !folded.isEmpty
            } else {
                if pendingSpace { folded.append(0x20) }
                pendingSpace = false
                folded.append(byte)
            }
        }
        return String(decoding: folded, as: UTF8.self)
    }

    /// Header names are ASCII; lower-casing them byte by byte skips Unicode case mapping.
    static func lowercasedASCII(_ name: String) -> String {
        guard name.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return name }
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return name.lowercased() }
        return String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// `20250630T120000Z` for an instant. From gmtime_r and a digit table: a Calendar and String(format:)
    /// here are slow on every request (docs/performance.md).
    public static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        func append(_ value: Int32, digits: Int) {
            var divisor: Int32 = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
                divisor /= 10
            }
        }
        append(parts.tm_year + 1900, digits: 4)
        append(parts.tm_mon + 1, digits: 2)
        append(parts.tm_mday, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(parts.tm_hour, digits: 2)
        append(parts.tm_min, digits: 2)
        append(parts.tm_sec, digits: 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The instant a `20250630T120000Z` stamp names; nil for other text.
    public static func date(fromTimestamp text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count == 16, digits[8] == UInt8(ascii: "T"), digits[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for digit in digits[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
                value = value * 10 + Int32(digit - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15) else { return nil }
        // timegm, not a Calendar: building one per request showed in the server's profile. It normalises
        // out-of-range fields (month 13), so the result must give back the same fields.
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec) = (year - 1900, month - 1, day, hour, minute, second)
        let seconds = timegm(&parts)
        guard seconds != -1 || (year, month, day) == (1969, 12, 31) else { return nil }
        var back = tm()
        var instant = seconds
        gmtime_r(&instant, &back)
        guard (back.tm_year, back.tm_mon, back.tm_mday, back.tm_hour, back.tm_min, back.tm_sec) == (year - 1900, month - 1, day, hour, minute, second) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)
    private static let queryUnreserved = unreserved
    private static let pathUnreserved = unreserved.union([UInt8(ascii: "/")])

    /// Percent-encoding of every byte outside `keeping`, in upper-case hex, as Python's `quote` does.
    static func encode(_ text: String, keeping: Set<UInt8>) -> String {
        var out = ""
        for byte in text.utf8 {
            if keeping.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(upperDigits[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(upperDigits[Int(byte & 0x0F)]))
            }
        }
        return out
    }

    /// Lower-case hex of bytes. Not String(format:), which costs a formatter per byte on every request.
    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var bytes: [UInt8] = []
        for byte in digest {
            bytes.append(lowerDigits[Int(byte >> 4)])
            bytes.append(lowerDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
public struct SigV4Authorization: Sendable, Equatable {
    public let accessKeyId: String
    public let day: String
    public let region: String
    public let service: String
    public let signedHeaders: [String]
    public let signature: String

    /// Nil when the header is not a SigV4 authorization of that form.
    public init?(header: String) {
        let prefix = "AWS4-HMAC-SHA256 "
        guard header.hasPrefix(prefix) else { return nil }
        // Byte by byte: trimming with Foundation's CharacterSet is slow on every request (docs/performance.md).
        var fields: [String: String] = [:]
        for part in header.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: ",")) {
            let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
            guard let first = part.firstIndex(where: { !isBlank($0) }), let last = part.lastIndex(where: { !isBlank($0) }) else { return nil }
            let trimmed = part[first...last]
            guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            fields[String(decoding: trimmed[..<equals], as: UTF8.self)] = String(decoding: trimmed[trimmed.index(after: equals)...], as: UTF8.self)
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else { return nil }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request", !scope[0].isEmpty, scope[1].count == 8 else { return nil }
        (accessKeyId, day, region, service) = (scope[0], scope[1], scope[2], scope[3])
        signedHeaders = signed.split(separator: ";").map(String.init)
        self.signature = signature
    }
}
