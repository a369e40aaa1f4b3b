import AWSTransport
import Core
import Foundation
import OrderedJSON

/// An answer read off the wire: the status, the headers and the body, with the body as JSON when it is.
struct HTTPAnswer: CustomStringConvertible {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: Data

    var document: JSONValue? { try? JSONValue(parsing: Array(body)) }
    /// The service's exception name: the error document's `__type`.
    var errorType: String? { document?["__type"]?.stringValue }
    var description: String { "HTTP \(status) \(String(decoding: body.prefix(400), as: UTF8.self))" }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A TCP connection to 127.0.0.1 with a timeout on every send and receive, so a server that stops answering
/// fails the test instead of hanging it. Bytes go out exactly as given: this is how malformed HTTP is sent.
final class LoopbackConnection {
    private let socket: Int32
    private var buffer = Data()

    init(port: Int, timeout seconds: Int = 20) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw ReliabilityError("socket(): \(String(cString: strerror(errno)))") }
        var time = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(socket)
            throw ReliabilityError("connect to 127.0.0.1:\(port): \(reason)")
        }
    }

    deinit { Glibc.close(socket) }

    func send(_ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let count = data.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw ReliabilityError("send: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    func send(_ text: String) throws { try send(Data(text.utf8)) }

    /// Closes the sending side: the server reads the end of the stream, the answer can still come back.
    func finishSending() { shutdown(socket, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false at the end of the stream; throws on a timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(socket, &chunk, chunk.count, 0)
        if count < 0 { throw ReliabilityError("no answer within the timeout (recv: \(String(cString: strerror(errno))))") }
        buffer.append(contentsOf: chunk[0..<count])
        return count > 0
    }

    /// Reads one HTTP/1.1 response (a Content-Length body, or one up to the end of the stream).
    func readAnswer() throws -> HTTPAnswer {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard try fill() else { throw ReliabilityError("the connection ended before a response head: \(String(decoding: buffer, as: UTF8.self))") }
        }
        let headEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        buffer = Data(buffer[headEnd.upperBound...])
        let statusWords = head[0].split(separator: " ")
        guard statusWords.count >= 2, let status = Int(statusWords[1]) else { throw ReliabilityError("not an HTTP status line: \(head[0])") }
        let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) }
        if let length {
            while buffer.count < length {
                guard try fill() else { throw ReliabilityError("the connection ended \(buffer.count) bytes into a \(length)-byte body") }
            }
        } else {
            while try fill() {}
        }
        let body = Data(buffer.prefix(length ?? buffer.count))
        buffer = Data(buffer.dropFirst(body.count))
        return HTTPAnswer(status: status, headers: headers, body: body)
    }

    /// Whether the server has closed the connection (reads the end of the stream within the timeout).
    func readsEndOfStream() -> Bool {
        (try? fill()) == false
    }
}

/// AWS JSON 1.0 requests to `engage serve`, signed with SigV4 as boto3 signs them, as raw bytes.
struct SignedRequests {
    static let signer = SigV4(region: "us-east-1", service: "partnercentral-selling")
    static let alice = AWSCredentials(accessKeyId: ServeProcess.alice.key, secretAccessKey: ServeProcess.alice.secret)

    let port: Int

    /// The head of a request (ending in the blank line), signed over `body` unless `credentials` is nil. `target`
    /// nil leaves out `X-Amz-Target`; `length` nil leaves out Content-Length (for a chunked body).
    func head(target: String? = "AWSPartnerCentralSelling.GetEngagement", body: Data, contentType: String = "application/x-amz-json-1.0",
              credentials: AWSCredentials? = alice, length: Int?, extra: [(name: String, value: String)] = []) -> String {
        var headers: [(name: String, value: String)] = [("Host", "127.0.0.1:\(port)"), ("Content-Type", contentType)]
        if let target { headers.append(("X-Amz-Target", target)) }
        if let credentials { Self.signer.sign(method: "POST", path: "/", headers: &headers, body: Array(body), credentials: credentials) }
        if let length { headers.append(("Content-Length", String(length))) }
        headers += extra
        return "POST / HTTP/1.1\r\n" + headers.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
    }

    /// A whole request for `operation` with `body`.
    func request(_ operation: String, body: Data, credentials: AWSCredentials? = alice) -> Data {
        Data(head(target: "AWSPartnerCentralSelling." + operation, body: body, credentials: credentials, length: body.count).utf8) + body
    }
}

/// A client of the service over one kept-alive connection, as boto3 is; never resends a request, so what it
/// was told is exactly what the server answered.
final class ServiceClient {
    private let requests: SignedRequests
    private var connection: LoopbackConnection?

    init(port: Int) { requests = SignedRequests(port: port) }

    /// Sends `operation` with `document` and returns the answer; a failed connection is thrown, not retried.
    func call(_ operation: String, _ document: JSONValue) throws -> HTTPAnswer {
        let connection = try self.connection ?? LoopbackConnection(port: requests.port)
        self.connection = nil
        try connection.send(requests.request(operation, body: Data(document.serialized().utf8)))
        let answer = try connection.readAnswer()
        if answer.header("connection")?.lowercased() != "close" { self.connection = connection }
        return answer
    }

    /// `call`, requiring a 200 and returning its document.
    func succeed(_ operation: String, _ document: JSONValue) throws -> JSONValue {
        let answer = try call(operation, document)
        guard answer.status == 200, let result = answer.document else { throw ReliabilityError("\(operation) \(document.serialized()): \(answer)") }
        return result
    }
}

/// Requests of the shapes the tests send, as boto3 would write them.
enum Requests {
    static func createEngagement(title: String, token: String) -> JSONValue {
        ["Catalog": "Sandbox", "ClientToken": .string(token), "Title": .string(title), "Description": "Reliability test"]
    }

    static func get(_ id: String) -> JSONValue { ["Catalog": "Sandbox", "Identifier": .string(id)] }

    static func interaction(_ sourceId: String) -> JSONValue {
        ["SourceType": "Event", "SourceId": .string(sourceId), "SourceName": "Soak", "CustomerAction": "Asked for a demo",
         "Contact": ["BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"]]
    }

    static let customer: JSONValue = ["CompanyName": "Acme", "Address": ["CountryCode": "US"]]

    static func leadContext(on id: String, token: String) -> JSONValue {
        ["Catalog": "Sandbox", "EngagementIdentifier": .string(id), "ClientToken": .string(token), "Type": "Lead",
         "Payload": ["Lead": ["Customer": customer, "Interactions": [interaction("first-\(token)")]]]]
    }

    static func append(_ sourceId: String, to id: String, context: String, lastModified: String) -> JSONValue {
        ["Catalog": "Sandbox", "EngagementIdentifier": .string(id), "ContextIdentifier": .string(context), "Type": "Lead",
         "EngagementLastModifiedAt": .string(lastModified),
         "Payload": ["Lead": ["Customer": customer, "Interaction": interaction(sourceId)]]]
    }

    /// The SourceIds of the interactions of every Lead context of a GetEngagement answer, by context id.
    static func interactions(in engagement: JSONValue) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for context in engagement["Contexts"]?.arrayValue ?? [] {
            guard let id = context["Id"]?.stringValue else { continue }
            found[id] = (context["Payload"]?["Lead"]?["Interactions"]?.arrayValue ?? []).compactMap { $0["SourceId"]?.stringValue }
        }
        return found
    }
}
