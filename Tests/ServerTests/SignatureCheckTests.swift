import AWSTransport
import Core
import Foundation
@testable import Server
import Testing

/// The server's SigV4 check over a table of requests signed by engage's signer (byte-identical to
/// botocore's) and then altered: each alteration is refused with the exception AWS answers with.
@Suite(.tags(.unit)) struct SignatureCheckTests {
    static let clock = SigV4.date(fromTimestamp: "20250630T120000Z")!
    static let alice = SigningKey(credentials: AWSCredentials(accessKeyId: "AKIDALICE", secretAccessKey: "alice/secret+key"), identity: "alice")
    static let session = SigningKey(
        credentials: AWSCredentials(accessKeyId: "ASIASESSION", secretAccessKey: "session-secret", sessionToken: "token/with+slashes="), identity: "bob")

    /// A request signed at `signedAt` by `credentials` for `region` and `service`, then changed by `alter`.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        var credentials = alice.credentials
        var signedAt = clock
        var region = "us-east-1"
        var service = "partnercentral-selling"
        var target = "/"
        /// Headers added once the request is signed, as a proxy on the way could add them.
        var addedAfterSigning: [(name: String, value: String)] = []
        var alter: @Sendable (inout ReceivedRequest) -> Void = { _ in }
        /// nil: accepted.
        let refusal: (code: String, says: String)?

        var testDescription: String { name }

        func request() -> ReceivedRequest {
            var headers: [(name: String, value: String)] = [
                ("Host", "127.0.0.1:8123"), ("Content-Type", "application/x-amz-json-1.0"),
                ("X-Amz-Target", "AWSPartnerCentralSelling.GetEngagement"),
            ]
            let body = Array(#"{"Catalog":"Sandbox","Identifier":"eng-0123456789abcd"}"#.utf8)
            let (path, query) = SignatureCheck.split(target)
            headers.removeAll { header in addedAfterSigning.contains { $0.name == header.name } }
            SigV4(region: region, service: service).sign(
                method: "POST", path: path, query: query, headers: &headers, body: body, credentials: credentials, date: signedAt)
            var request = ReceivedRequest(method: "POST", target: target, headers: headers, body: body)
            request.headers += addedAfterSigning
            alter(&request)
            return request
        }
    }

    static func header(_ name: String, _ change: @escaping @Sendable (String) -> String?) -> @Sendable (inout ReceivedRequest) -> Void {
        { request in
            request.headers = request.headers.compactMap { header in
                header.name.lowercased() == name ? change(header.value).map { (header.name, $0) } : header
            }
        }
    }

    static let cases: [Case] = [
        Case(name: "signed as sent", refusal: nil),
        Case(name: "signed four minutes ago", signedAt: clock - 240, refusal: nil),
        Case(name: "with a query string", target: "/?b=2%203&a=x", refusal: nil),
        Case(name: "session credentials with their token", credentials: session.credentials, refusal: nil),
        Case(name: "no Authorization", alter: header("authorization") { _ in nil }, refusal: ("MissingAuthenticationTokenException", "missing Authentication Token")),
        Case(name: "not SigV4", alter: header("authorization") { _ in "Bearer abc" }, refusal: ("IncompleteSignatureException", "'Credential'")),
        Case(name: "an unknown access key", credentials: AWSCredentials(accessKeyId: "AKIDNOBODY", secretAccessKey: "alice/secret+key"),
             refusal: ("UnrecognizedClientException", "security token included in the request is invalid")),
        Case(name: "the wrong secret", credentials: AWSCredentials(accessKeyId: "AKIDALICE", secretAccessKey: "guess"),
             refusal: ("InvalidSignatureException", "does not match the signature you provided")),
        Case(name: "one byte of the body changed", alter: { $0.body[12] ^= 1 }, refusal: ("InvalidSignatureException", "does not match")),
        Case(name: "another Host", alter: header("host") { _ in "127.0.0.1:9999" }, refusal: ("InvalidSignatureException", "does not match")),
        Case(name: "a signed header removed", alter: header("x-amz-target") { _ in nil }, refusal: ("InvalidSignatureException", "does not match")),
        Case(name: "a signed header changed", alter: header("x-amz-target") { _ in "AWSPartnerCentralSelling.ListEngagements" },
             refusal: ("InvalidSignatureException", "does not match")),
        Case(name: "another path", alter: { $0.target = "/other" }, refusal: ("InvalidSignatureException", "does not match")),
        Case(name: "no X-Amz-Date", alter: header("x-amz-date") { _ in nil }, refusal: ("IncompleteSignatureException", "'X-Amz-Date'")),
        Case(name: "a date that is not ISO 8601", alter: header("x-amz-date") { _ in "Mon, 30 Jun 2025 12:00:00 GMT" },
             refusal: ("IncompleteSignatureException", "ISO-8601")),
        Case(name: "signed six minutes ago", signedAt: clock - 360,
             refusal: ("InvalidSignatureException", "Signature expired: 20250630T115400Z is now earlier than 20250630T115500Z (20250630T120000Z - 5 min.)")),
        Case(name: "signed six minutes ahead", signedAt: clock + 360, refusal: ("InvalidSignatureException", "Signature not yet current")),
        Case(name: "scoped to another region", region: "eu-west-1", refusal: ("InvalidSignatureException", "scoped to a valid region")),
        Case(name: "scoped to another service", service: "sts", refusal: ("InvalidSignatureException", "scoped to correct service")),
        Case(name: "a scope day that is not the date's", alter: header("authorization") { $0.replacingOccurrences(of: "/20250630/", with: "/20250629/") },
             refusal: ("InvalidSignatureException", "Date in Credential scope does not match")),
        Case(name: "Host not signed", alter: header("authorization") { $0.replacingOccurrences(of: "SignedHeaders=content-type;host;", with: "SignedHeaders=content-type;") },
             refusal: ("IncompleteSignatureException", "'Host' must be a 'SignedHeader'")),
        Case(name: "session credentials without their token", credentials: session.credentials, alter: header("x-amz-security-token") { _ in nil },
             refusal: ("UnrecognizedClientException", "access key ASIASESSION has a session token, and the request carries no X-Amz-Security-Token")),
        Case(name: "session credentials with another token", credentials: session.credentials, alter: header("x-amz-security-token") { _ in "forged" },
             refusal: ("UnrecognizedClientException", "the X-Amz-Security-Token is not the session token of access key ASIASESSION")),
        Case(name: "a token with long-term credentials", alter: { $0.headers.append(("X-Amz-Security-Token", "stolen")) },
             refusal: ("UnrecognizedClientException", "access key AKIDALICE has no session token, and the request carries an X-Amz-Security-Token")),
        // A header AWS reads must be covered by the signature, or it could be changed on the way unseen.
        Case(name: "X-Amz-Target not signed", addedAfterSigning: [("X-Amz-Target", "AWSPartnerCentralSelling.CreateEngagement")],
             refusal: ("InvalidSignatureException", "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")),
        Case(name: "another x-amz header not signed", addedAfterSigning: [("x-amz-meta-note", "added")],
             refusal: ("InvalidSignatureException", "'x-amz-meta-note' must be a 'SignedHeader' in the AWS Authorization.")),
        Case(name: "an unsigned x-amzn-trace-id, as the SDKs send it", addedAfterSigning: [("X-Amzn-Trace-Id", "Root=1-abc")], refusal: nil),
        // Paths are normalised before signing, as botocore and AWS do: the request line may carry the path as written.
        Case(name: "a path with dot and empty segments", target: "/a/..//b/./", refusal: nil),
    ]

    @Test(arguments: cases)
    func eachRequestIsAcceptedOrRefusedAsAWSWould(_ test: Case) async throws {
        let keys = try AccessKeys([Self.alice, Self.session], source: "test")
        let check = SignatureCheck(keys: keys, region: "us-east-1", now: { Self.clock })
        do {
            let key = try await check.verify(test.request())
            #expect(test.refusal == nil, "accepted as \(key.identity)")
            #expect(key.credentials.accessKeyId == test.credentials.accessKeyId)
        } catch {
            let refusal = try #require(test.refusal, "refused: \(error)")
            #expect(error.code == refusal.code)
            #expect(error.message.contains(refusal.says), "\(error.message)")
            #expect(error.httpStatus.code == 403)
            #expect(!error.message.contains("secret+key") && !error.message.contains("guess"))
        }
    }
}
