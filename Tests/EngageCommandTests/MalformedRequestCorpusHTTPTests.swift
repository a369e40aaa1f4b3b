import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Every malformed-HTTP case of the corpus, sent raw to `engage serve`, is answered as any refused request
/// is: the service's error document with its status, `x-amzn-ErrorType` and an `x-amzn-RequestId`, and one
/// access-log line with that id; then the connection closes (or stays, for an answer given before the body).
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3"), .timeLimit(.minutes(2)))
struct MalformedRequestCorpusHTTPTests {
    @Test func theHTTPCorpusHoldsTheCasesTheHardeningIssueNamed() throws {
        let names = Set(try MalformedHTTPRequest.all().map(\.name))
        for name in ["two-content-lengths", "content-length-negative", "content-length-hex", "content-length-with-transfer-encoding",
                     "headers-over-a-thousand", "header-of-80-kib", "http-1-2", "content-length-2-to-the-63"] {
            #expect(names.contains(name), "\(name)")
        }
    }

    @Test func engageServeAnswersEveryCaseWithAnErrorDocumentARequestIdAndALogLine() throws {
        let server = try ServedSandbox()
        let cases = try MalformedHTTPRequest.all()
        let answers = try RawHTTP.send(cases.map { $0.bytes(host: "127.0.0.1:\(server.port)") }, checkClose: cases.map(\.closes), to: server)
        #expect(answers.count == cases.count)
        for (request, answer) in zip(cases, answers) {
            #expect(answer.status == request.status, "\(request.name): status \(answer.status) \(answer.headers)")
            #expect(answer.document?["__type"]?.stringValue == request.code, "\(request.name): \(answer.document?.serialized() ?? "no JSON document")")
            #expect(answer.headers["x-amzn-errortype"] == request.code, "\(request.name)")
            let message = answer.document?["message"]?.stringValue ?? ""
            #expect(message.contains(request.message), "\(request.name): \(message)")
            let requestId = try #require(answer.headers["x-amzn-requestid"], "\(request.name): no x-amzn-RequestId")
            #expect(UUID(uuidString: requestId) != nil, "\(request.name): \(requestId)")
            let log = server.lines { $0.contains { $0.hasSuffix(requestId) } }
            let line = log.first { $0.hasSuffix(requestId) }
            #expect(line?.contains(" \(request.status) \(request.code) ") == true, "\(request.name): \(line ?? "no access-log line")")
            if request.closes { #expect(answer.closed, "\(request.name): the connection stayed open") }
        }
        // The server is unharmed: a good request after them all is answered.
        let after = try server.python("out(failure(lambda: client().get_engagement(Catalog='Sandbox', Identifier='eng-00000000000000'))['code'])")
        #expect(after == "ResourceNotFoundException")
        #expect(server.stop() == 0)
    }

    /// `Expect: 100-continue` gets `100 Continue` before the body is sent, then the answer; a body declared
    /// past the limit gets its 413 at once instead, and no 100.
    @Test func expect100ContinueIsAnsweredBeforeTheBody() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            port = int(os.environ['PORT'])
            def exchange(body, declared, expect=True):
                request = signed(body, target='GetEngagement')
                head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\n' % (port, declared)
                head += ''.join('%s: %s\r\n' % item for item in request.headers.items())
                head += ('Expect: 100-continue\r\n' if expect else '') + '\r\n'
                connection = socket.create_connection(('127.0.0.1', port), timeout=20)
                connection.sendall(head.encode())
                first = connection.recv(65536).decode()
                interim = first.startswith('HTTP/1.1 100 ')
                if interim:
                    connection.sendall(body)
                    final = connection.recv(65536).decode()
                else:
                    final = first
                connection.close()
                return {'interim': interim, 'status': int(final.split(' ')[1]), 'type': json.loads(final.split('\r\n\r\n', 1)[1])['__type']}
            body = json.dumps({'Catalog': 'Sandbox', 'Identifier': 'eng-00000000000000'}).encode()
            out({'small': exchange(body, len(body)), 'large': exchange(body, 2 * 1024 * 1024)})
            """#)
        #expect(result["small"]?["interim"] == true)
        #expect(result["small"]?["status"] == 404)
        #expect(result["small"]?["type"] == "ResourceNotFoundException")
        #expect(result["large"]?["interim"] == false)
        #expect(result["large"]?["status"] == 413)
        #expect(result["large"]?["type"] == "RequestEntityTooLargeException")
    }
}
