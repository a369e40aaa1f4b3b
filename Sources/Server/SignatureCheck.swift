import AWSTransport
import Core
import Crypto
import Foundation

/// A request as it arrived, in the terms Signature Version 4 signs.
public struct ReceivedRequest: Sendable {
    public var method: String
    /// The request line's target, percent-encoded as sent: `/` or `/path?query`.
    public var target: String
    /// Every header as received, `Host` included.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        (self.method, self.target, self.headers, self.body) = (method, target, headers, body)
    }

    /// The values of the header `name` (any case), in the order received.
    func values(of name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name }.map(\.value)
    }
}

/// Checks a request's SigV4 signature as AWS does, against the keys the server was started with: over the
/// bytes received (the body's own hash), the `Host` as received and every header the signature names, with
/// at most five minutes between the request's time and the server's clock. Each refusal is the exception
/// AWS answers with, and says what was wrong.
public struct SignatureCheck: Sendable {
    let keys: any AccessKeyDirectory
    let signer: SigV4
    /// The server's clock.
    let now: @Sendable () -> Date
    static let maximumSkew: TimeInterval = 5 * 60

    public init(keys: any AccessKeyDirectory, region: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.keys = keys
        self.signer = SigV4(region: region, service: "partnercentral-selling")
        self.now = now
    }

    /// The key that signed `request`, or the exception that refuses it.
    public func verify(_ request: ReceivedRequest) async throws(ServiceError) -> SigningKey {
        guard let header = request.values(of: "authorization").first else { throw .missingAuthenticationToken }
        guard let authorization = SigV4Authorization(header: header) else {
            throw .incompleteSignature(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, as in AWS4-HMAC-SHA256 Credential=KEY/YYYYMMDD/REGION/partnercentral-selling/aws4_request, SignedHeaders=host;x-amz-date, Signature=HEX")
        }
        guard let key = await keys.signingKey(for: authorization.accessKeyId) else { throw .unrecognizedClient(authorization.accessKeyId) }
        try checkSessionToken(request, key)
        let timestamp = try self.timestamp(of: request, authorization)
        try checkScope(authorization)
        guard authorization.signedHeaders.contains("host") else {
            throw .incompleteSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
        }
        try Self.checkAmazonHeadersAreSigned(request, authorization)
        let (path, query) = Self.split(request.target)
        let expected = signer.signature(
            method: request.method, path: path, query: query, headers: request.headers, signedHeaders: authorization.signedHeaders,
            payloadHash: SigV4.hex(SHA256.hash(data: request.body)),
            timestamp: timestamp, secret: key.credentials.secretAccessKey)
        guard Self.constantTimeEqual(expected, authorization.signature) else {
            throw .invalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        }
        return key
    }

    /// Temporary credentials are only valid with their session token, and long-term ones without one.
    private func checkSessionToken(_ request: ReceivedRequest, _ key: SigningKey) throws(ServiceError) {
        let sent = request.values(of: "x-amz-security-token").first
        let keyId = ServiceError.excerpt(key.credentials.accessKeyId, quoted: false)
        switch (key.credentials.sessionToken, sent) {
        case (nil, nil):
            return
        case (let expected?, let sent?) where sent == expected:
            return
        case (nil, _?):
            throw .invalidSecurityToken("access key \(keyId) has no session token, and the request carries an X-Amz-Security-Token")
        case (_?, nil):
            throw .invalidSecurityToken("access key \(keyId) has a session token, and the request carries no X-Amz-Security-Token")
        case (_?, _?):
            throw .invalidSecurityToken("the X-Amz-Security-Token is not the session token of access key \(keyId)")
        }
    }

    /// Every `x-amz-*` header the request carries must be signed, as AWS requires: `X-Amz-Target` picks the
    /// operation, so an unsigned one could be changed on the way and the request run as another operation.
    /// (`x-amzn-*`, such as the SDKs' unsigned `X-Amzn-Trace-Id`, is another prefix.)
    static func checkAmazonHeadersAreSigned(_ request: ReceivedRequest, _ authorization: SigV4Authorization) throws(ServiceError) {
        let signed = Set(authorization.signedHeaders)
        for header in request.headers {
            let name = header.name.lowercased()
            if name.hasPrefix("x-amz-"), !signed.contains(name) {
                throw .invalidSignature("'\(ServiceError.excerpt(header.name, quoted: false))' must be a 'SignedHeader' in the AWS Authorization.")
            }
        }
    }

    /// The request's `X-Amz-Date`, checked against the credential scope's day and the server's clock.
    private func timestamp(of request: ReceivedRequest, _ authorization: SigV4Authorization) throws(ServiceError) -> String {
        guard let stamp = request.values(of: "x-amz-date").first else {
            throw .incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header; engage serve reads X-Amz-Date.")
        }
        guard let date = SigV4.date(fromTimestamp: stamp) else {
            throw .incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(ServiceError.excerpt(stamp, quoted: false))'. See http://en.wikipedia.org/wiki/ISO_8601")
        }
        guard stamp.hasPrefix(authorization.day) else {
            throw .invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(authorization.day)' != '\(stamp.prefix(8))', from '\(stamp)'.")
        }
        let now = self.now()
        if date < now - Self.maximumSkew {
            throw .invalidSignature(
                "Signature expired: \(stamp) is now earlier than \(SigV4.timestamp(now - Self.maximumSkew)) (\(SigV4.timestamp(now)) - 5 min.)")
        }
        if date > now + Self.maximumSkew {
            throw .invalidSignature(
                "Signature not yet current: \(stamp) is still later than \(SigV4.timestamp(now + Self.maximumSkew)) (\(SigV4.timestamp(now)) + 5 min.)")
        }
        return stamp
    }

    /// The credential scope must name this server's region and the service.
    private func checkScope(_ authorization: SigV4Authorization) throws(ServiceError) {
        guard authorization.service == signer.service else {
            throw .invalidSignature("Credential should be scoped to correct service: '\(signer.service)', not '\(ServiceError.excerpt(authorization.service, quoted: false))'.")
        }
        guard authorization.region == signer.region else {
            throw .invalidSignature("Credential should be scoped to a valid region: this server serves \(signer.region), not '\(ServiceError.excerpt(authorization.region, quoted: false))'.")
        }
    }

    /// The path as sent and the query's pairs decoded (the signer encodes them again).
    static func split(_ target: String) -> (path: String, query: [(String, String)]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, []) }
        let query = target[target.index(after: mark)...].split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return (String(target[..<mark]), query)
    }

    /// Compares two signatures in time that does not depend on where they first differ.
    static func constantTimeEqual(_ first: String, _ second: String) -> Bool {
        let (a, b) = (Array(first.utf8), Array(second.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
