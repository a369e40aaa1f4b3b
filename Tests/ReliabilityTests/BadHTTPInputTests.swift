import Foundation
import OrderedJSON
import Testing

/// Bad input through `engage serve`'s door: the malformed-request corpus as raw bytes, signed and unsigned,
/// and what only HTTP has (no or a wrong X-Amz-Target, another content type, bodies past the limit, chunked
/// and truncated bodies, slow and idle clients). Each gets a 4xx carrying the service's error document, never
/// a 5xx, a crash or a stuck connection, other clients are still served, and the store does not change.
@Suite(.tags(.process), .serialized, .timeLimit(.minutes(3)))
final class BadHTTPInputTests {
    let scratch: Scratch
    let server: ServeProcess
    let requests: SignedRequests
    let placeholders: [String: String]
    let content: String

    init() throws {
        scratch = try Scratch("bad-http")
        server = try ServeProcess(store: scratch.store, in: scratch)
        requests = SignedRequests(port: server.port)
        placeholders = try MalformedRequest.prepare(through: ServiceClient(port: server.port))
        content = try StoreFile.dump(scratch.store)
    }

    deinit {
        server.kill9()
        scratch.remove()
    }

    /// The server is still up, answers a good request, wrote nothing, and stops cleanly on SIGTERM.
    func expectServerUnharmed(_ what: String) throws {
        let answer = try ServiceClient(port: server.port).call("GetEngagement", Requests.get(placeholders["ENGAGEMENT_ID"]!))
        #expect(answer.status == 200, "after \(what), a good request got \(answer)")
        #expect(try StoreFile.dump(scratch.store) == content, "\(what) changed the store")
        #expect(server.stop() == 0, "after \(what), engage serve did not stop cleanly on SIGTERM: \(server.lines.suffix(5))")
        #expect(server.serverErrors.isEmpty, "after \(what), the access log shows 5xx answers: \(server.serverErrors.prefix(5))")
        #expect(try StoreFile.integrity(of: scratch.store) == ["ok"])
    }

    /// A 4xx whose body is the service's error document, `__type` among `types` (any exception name when nil).
    static func problem(with answer: HTTPAnswer, expecting types: [String]? = nil) -> String? {
        guard (400..<500).contains(answer.status) else { return "status \(answer.status), expected a 4xx: \(answer)" }
        guard let type = answer.errorType, answer.document?["message"]?.stringValue?.isEmpty == false else {
            return "not the service's error document (a JSON object with __type and message): \(answer)"
        }
        if let types, !types.contains(type) { return "__type \(type), expected \(types.joined(separator: " or ")): \(answer)" }
        guard answer.header("x-amzn-ErrorType") == type else { return "x-amzn-ErrorType \(answer.header("x-amzn-ErrorType") ?? "missing"), __type \(type)" }
        return nil
    }

    /// Sends `bytes` on a new connection and reads the answer.
    func send(_ bytes: Data, finishing: Bool = false) throws -> HTTPAnswer {
        let connection = try LoopbackConnection(port: server.port)
        try connection.send(bytes)
        if finishing { connection.finishSending() }
        return try connection.readAnswer()
    }

    @Test func everyCorpusCaseSignedGetsItsServiceErrorAndWritesNothing() throws {
        let corpus = try MalformedRequest.all()
        #expect(corpus.count >= 100)
        for request in corpus {
            let body = request.completed(request.body(filling: placeholders))
            let answer = try send(requests.request(request.operation, body: body))
            // On the wire an empty body is an empty request (AWS JSON 1.0), so it lacks the required members.
            let codes = body.isEmpty ? ["ValidationException"] : request.codes
            if let problem = Self.problem(with: answer, expecting: codes) { Issue.record("\(request.name).json signed: \(problem)") }
        }
        try expectServerUnharmed("the signed corpus")
    }

    @Test func everyCorpusCaseUnsignedIsRefusedBeforeItIsRead() throws {
        for request in try MalformedRequest.all() {
            let answer = try send(requests.request(request.operation, body: request.body(filling: placeholders), credentials: nil))
            if let problem = Self.problem(with: answer, expecting: ["MissingAuthenticationTokenException"]) {
                Issue.record("\(request.name).json unsigned: \(problem)")
            }
        }
        try expectServerUnharmed("the unsigned corpus")
    }

    /// A request for an engagement that does not exist: well formed, answered with ResourceNotFoundException.
    var missingEngagement: Data { Data(#"{"Catalog": "Sandbox", "Identifier": "eng-00000000000000"}"#.utf8) }

    @Test func headersOnlyHTTPHasAreRefusedWithTheServiceErrors() throws {
        let body = missingEngagement
        let cases: [(String, String, [String])] = [
            ("no X-Amz-Target", requests.head(target: nil, body: body, length: body.count), ["UnknownOperationException"]),
            ("an unknown operation", requests.head(target: "AWSPartnerCentralSelling.DeleteEverything", body: body, length: body.count), ["UnknownOperationException"]),
            ("another service's target", requests.head(target: "DynamoDB_20120810.GetItem", body: body, length: body.count), ["UnknownOperationException"]),
            ("an empty X-Amz-Target", requests.head(target: "", body: body, length: body.count), ["UnknownOperationException"]),
            ("Content-Type application/json", requests.head(body: body, contentType: "application/json", length: body.count), ["UnknownOperationException"]),
            ("Content-Type AWS JSON 1.1", requests.head(body: body, contentType: "application/x-amz-json-1.1", length: body.count), ["UnknownOperationException"]),
            ("Content-Type text/plain", requests.head(body: body, contentType: "text/plain", length: body.count), ["UnknownOperationException"]),
            ("a signature over another body", requests.head(body: Data("{}".utf8), length: body.count), ["InvalidSignatureException"]),
        ]
        for (name, head, types) in cases {
            if let problem = Self.problem(with: try send(Data(head.utf8) + body), expecting: types) { Issue.record("\(name): \(problem)") }
        }
        let get = try send(Data("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n".utf8))
        if let problem = Self.problem(with: get, expecting: ["MissingAuthenticationTokenException", "UnknownOperationException"]) { Issue.record("GET /: \(problem)") }
        // Not HTTP at all: HTTP/1's parser refuses it before there is a request to answer for, so Hummingbird
        // answers a bare 400 and closes; the point is that it neither hangs nor fails the server.
        let garbage = try LoopbackConnection(port: server.port)
        try garbage.send("HELLO SERVER\r\n\r\n")
        let refused = try garbage.readAnswer()
        #expect(refused.status == 400, "a request line that is not HTTP: \(refused)")
        #expect(garbage.readsEndOfStream(), "a request line that is not HTTP: the connection stays open")
        try expectServerUnharmed("requests with the wrong headers")
    }

    @Test func bodiesPastTheLimitAreRefusedAsTooLarge() throws {
        let limit = 1 << 20
        let large = Data(#"{"Catalog": "Sandbox", "Identifier": "eng-00000000000000", "Pad": ""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: limit) + Data(#""}"#.utf8)
        // Declared and sent whole.
        let whole = try send(Data(requests.head(body: large, length: large.count).utf8) + large)
        if let problem = Self.problem(with: whole, expecting: ["RequestEntityTooLargeException"]) { Issue.record("a 1 MiB + body with Content-Length: \(problem)") }
        #expect(whole.status == 413)
        // Declared, and only the head sent: the answer must not wait for the body.
        let declared = try send(Data(requests.head(body: large, length: 8 * limit).utf8))
        if let problem = Self.problem(with: declared, expecting: ["RequestEntityTooLargeException"]) { Issue.record("8 MiB declared, nothing sent: \(problem)") }
        // Chunked, so only the bytes as they arrive tell.
        let chunked = try send(Data(requests.head(body: large, length: nil, extra: [("Transfer-Encoding", "chunked")]).utf8) + Self.chunked(large, size: 64 * 1024))
        if let problem = Self.problem(with: chunked, expecting: ["RequestEntityTooLargeException"]) { Issue.record("a 1 MiB + chunked body: \(problem)") }
        try expectServerUnharmed("bodies past the limit")
    }

    /// `body` in HTTP/1.1 chunks of `size` bytes, with the last empty chunk.
    static func chunked(_ body: Data, size: Int) -> Data {
        var encoded = Data()
        var offset = 0
        while offset < body.count {
            let chunk = body[offset..<min(offset + size, body.count)]
            encoded += Data((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Data("\r\n".utf8)
            offset += chunk.count
        }
        return encoded + Data("0\r\n\r\n".utf8)
    }

    @Test func chunkedBodiesAreReadWholeThenCheckedLikeAnyOther() throws {
        let notJSON = Data(#"{"Catalog": "Sandbox", "Identifier": "#.utf8)
        let cases: [(String, Data, [String])] = [
            ("a chunked body cut short of JSON", notJSON, ["SerializationException"]),
            ("a chunked request for a missing engagement", missingEngagement, ["ResourceNotFoundException"]),
            ("a chunked request that fails validation", Data(#"{"Catalog": "Sandbox", "Identifier": "eng-x"}"#.utf8), ["ValidationException"]),
        ]
        for (name, body, types) in cases {
            let head = requests.head(body: body, length: nil, extra: [("Transfer-Encoding", "chunked")])
            let answer = try send(Data(head.utf8) + Self.chunked(body, size: 7))
            if let problem = Self.problem(with: answer, expecting: types) { Issue.record("\(name): \(problem)") }
        }
        // Chunk framing that is not HTTP: the body cannot be read, which is the client's fault.
        let body = missingEngagement
        let broken = Data(requests.head(body: body, length: nil, extra: [("Transfer-Encoding", "chunked")]).utf8) + Data("zz\r\n".utf8) + body
        if let problem = Self.problem(with: try send(broken), expecting: ["SerializationException"]) { Issue.record("broken chunk framing: \(problem)") }
        try expectServerUnharmed("chunked bodies")
    }

    @Test func aBodyCutShortIsASerializationExceptionAndNothingIsWritten() throws {
        let body = Data(#"{"Catalog": "Sandbox", "ClientToken": "truncated", "Title": "Truncated", "Description": "Never complete"}"#.utf8)
        let headOnly = Data(requests.head(target: "AWSPartnerCentralSelling.CreateEngagement", body: body, length: body.count).utf8)
        // Half the body, then the end of the stream: the client can still read an answer, which must be a 4xx.
        let halfClosed = try LoopbackConnection(port: server.port)
        try halfClosed.send(headOnly + body.prefix(body.count / 2))
        halfClosed.finishSending()
        if let problem = Self.problem(with: try halfClosed.readAnswer(), expecting: ["SerializationException"]) {
            Issue.record("a body cut short, then the end of the stream: \(problem)")
        }
        // Half the body, then the connection closed outright: nobody to answer, the server carries on.
        do {
            let closed = try LoopbackConnection(port: server.port)
            try closed.send(headOnly + body.prefix(body.count / 2))
        }
        try expectServerUnharmed("truncated bodies")
    }

    @Test func slowAndIdleClientsDoNotHoldUpOthers() throws {
        let body = missingEngagement
        let head = Data(requests.head(body: body, length: body.count).utf8)
        // Idle: the head sent in part, then nothing.
        let idle = try (0..<8).map { _ in try LoopbackConnection(port: server.port) }
        for connection in idle { try connection.send(head.prefix(head.count / 2)) }
        // Slow: the whole head, then the body a few bytes at a time while other clients are served.
        let slow = try LoopbackConnection(port: server.port, timeout: 30)
        try slow.send(head)
        let others = ServiceClient(port: server.port)
        var offset = 0
        while offset < body.count {
            try slow.send(body[offset..<min(offset + 4, body.count)])
            offset += 4
            // The socket timeout bounds each answer: a server stuck on the slow client fails here.
            let answer = try others.call("GetEngagement", Requests.get(placeholders["ENGAGEMENT_ID"]!))
            #expect(answer.status == 200, "while a client dribbles its body: \(answer)")
            usleep(20_000)
        }
        if let problem = Self.problem(with: try slow.readAnswer(), expecting: ["ResourceNotFoundException"]) {
            Issue.record("the slow client's request, once complete: \(problem)")
        }
        withExtendedLifetime(idle) {}
        try expectServerUnharmed("slow and idle clients")
    }
}
