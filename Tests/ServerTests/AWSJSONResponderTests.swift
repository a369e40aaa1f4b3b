import AWSTransport
import Core
import Foundation
import Hummingbird
import HummingbirdTesting
import OrderedJSON
import Sandbox
@testable import Server
import Testing

/// The AWS JSON responder in process, through Hummingbird's test client: no socket, a real sandbox store.
@Suite(.tags(.unit)) struct AWSJSONResponderTests {
    static let alice = SigningKey(credentials: AWSCredentials(accessKeyId: "AKIDALICE", secretAccessKey: "alice/secret+key"), identity: "alice")

    let folder: URL
    let sandbox: SandboxService

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-responder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        sandbox = try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path)
    }

    /// The responder `engage serve` runs, answering from this test's sandbox and writing its log nowhere.
    func application() throws -> some ApplicationProtocol {
        let sandbox = self.sandbox
        let responder = AWSJSONResponder(
            service: { _ in sandbox }, signatures: SignatureCheck(keys: try AccessKeys([Self.alice], source: "the test"), region: "us-east-1"),
            bodyLimit: 1 << 20, log: AccessLog { _ in })
        return Application(responder: responder)
    }

    /// Headers for `target` with `body`, signed by alice the way the router test client sends them (Host `localhost`).
    static func headers(target: String, body: String, signed: Bool = true) -> HTTPFields {
        var headers: [(name: String, value: String)] = [
            ("Host", "localhost"), ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", target),
        ]
        if signed {
            SigV4(region: "us-east-1", service: "partnercentral-selling").sign(
                method: "POST", path: "/", headers: &headers, body: Array(body.utf8), credentials: alice.credentials)
        }
        var fields = HTTPFields()
        for (name, value) in headers where name != "Host" { fields.append(HTTPFields.Element(name: HTTPFields.Element.Name(name)!, value: value)) }
        return fields
    }

    /// Sends `body` to `target` and returns the status, the error type header and the parsed document.
    static func call(_ client: some TestClientProtocol, target: String, body: String, signed: Bool = true) async throws
        -> (status: HTTPResponse.Status, errorType: String?, document: JSONValue)
    {
        try await client.execute(uri: "/", method: .post, headers: headers(target: target, body: body, signed: signed), body: ByteBuffer(string: body)) { response in
            (response.status, response.headers[AWSJSONResponder.errorTypeHeader], try JSONValue(parsing: String(buffer: response.body)))
        }
    }

    @Test func aSignedCallIsAnsweredWithTheServicesDocument() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = self.sandbox
        try await application().test(.router) { client in
            let answer = try await Self.call(
                client, target: "AWSPartnerCentralSelling.CreateEngagement",
                body: #"{"Catalog":"Sandbox","ClientToken":"one","Title":"Over HTTP","Description":"In process"}"#)
            #expect(answer.status == .ok)
            #expect(answer.errorType == nil)
            let id = try #require(answer.document["Id"]?.stringValue)
            let stored = try await sandbox.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: id))
            #expect(stored.title == "Over HTTP")
        }
    }

    @Test func anUnsignedCallIsRefusedWithTheErrorDocument() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await application().test(.router) { client in
            let answer = try await Self.call(
                client, target: "AWSPartnerCentralSelling.ListEngagements", body: #"{"Catalog":"Sandbox"}"#, signed: false)
            #expect(answer.status == .forbidden)
            #expect(answer.errorType == "MissingAuthenticationTokenException")
            #expect(answer.document["__type"] == "MissingAuthenticationTokenException")
            #expect(answer.document["message"]?.stringValue?.hasPrefix("Request is missing Authentication Token") == true)
        }
    }

    @Test func aSignedCallToAnUnknownOperationIsABadRequestNamingIt() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await application().test(.router) { client in
            let answer = try await Self.call(client, target: "AWSPartnerCentralSelling.ListEngagementz", body: #"{"Catalog":"Sandbox"}"#)
            #expect(answer.status == .badRequest)
            #expect(answer.errorType == "UnknownOperationException")
            #expect(answer.document["__type"] == "UnknownOperationException")
            #expect(answer.document["message"]?.stringValue?.hasPrefix("no operation 'ListEngagementz' (did you mean 'ListEngagements'?)") == true)
        }
    }
}
