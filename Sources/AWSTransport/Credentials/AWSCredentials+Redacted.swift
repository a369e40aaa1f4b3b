import Core

/// Credentials print as their access key id only, so an interpolated or dumped value never shows the
/// secret key or the session token in an error, a log line or the REPL.
extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let kind = sessionToken == nil ? "long-term" : "temporary"
        let until = expiration.map { " until \(CredentialTime.text($0))" } ?? ""
        return "AWSCredentials(\(accessKeyId), \(kind)\(until), secret redacted)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyId": accessKeyId, "secretAccessKey": "<redacted>",
                                "sessionToken": sessionToken == nil ? "nil" : "<redacted>", "expiration": expiration as Any])
    }
}
