import NIOHTTP1

/// What was wrong with a request HTTP/1.1's parser refused, in words for the error document.
enum MalformedHTTP {
    /// `error` as a person reads it: the parser's refusals by what the request did, anything else as it describes itself.
    static func words(for error: any Error) -> String {
        guard let error = error as? HTTPParserError else { return "\(error)" }
        switch error {
        case .unexpectedContentLength:
            return "it has two Content-Length headers, or Content-Length together with Transfer-Encoding: give the body's length one way"
        case .invalidContentLength:
            return "its Content-Length is not a decimal number of bytes (no sign, no hex, no list)"
        case .headerOverflow:
            return "its head is too large: at most \(limitsText)"
        case .invalidVersion:
            return "its HTTP version is not HTTP/1.0 or HTTP/1.1"
        case .invalidMethod:
            return "its request line does not start with an HTTP method such as POST"
        case .invalidURL:
            return "its request target is not a valid URL path"
        case .invalidHeaderToken, .invalidCharactersUsed:
            return "a header name or value holds a character HTTP does not allow there"
        case .invalidChunkSize:
            return "a chunk size of its chunked body is not a hexadecimal number"
        case .lfExpected, .invalidConstant, .strictModeAssertion, .trailingGarbage:
            return "its request line or headers are not in HTTP/1.1's form (each line ends in CRLF, a blank line ends the head)"
        case .invalidEOFState, .closedConnection:
            return "the connection ended in the middle of the request"
        case .unknown:
            // What llhttp reports as HPE_INVALID_TRANSFER_ENCODING, NIO has no case for.
            return "its Transfer-Encoding is not chunked, or comes together with Content-Length: give the body's length one way"
        default:
            return "the HTTP/1.1 parser stopped on it (\(error))"
        }
    }

    /// The head's limits, as `words(for:)` states them.
    static let limitsText = "\(headerFieldCount) header fields and \(headerBytes / 1024) KiB of header text"

    /// At most this many header fields (HTTP/1.1's usual limit; botocore sends about ten).
    static let headerFieldCount = 1000
    /// At most this many bytes in one header field and in all of them together.
    static let headerBytes = 80 * 1024
}
