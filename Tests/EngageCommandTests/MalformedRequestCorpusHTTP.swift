import EngageTestSupport
import Foundation
import OrderedJSON

/// The malformed-HTTP part of the corpus, `Tests/Fixtures/malformed-requests/http/`: requests `engage serve`'s
/// HTTP/1.1 parser refuses, or must answer before their body. `NAME.http` holds the request as text, its line
/// ends written as LF and sent as CRLF, with three expansions:
///
/// - `{{HOST}}`: the server's `127.0.0.1:PORT`;
/// - `{{COUNT*C}}`: the character C, COUNT times (an 80 KiB header);
/// - a line `@repeat COUNT TEXT`: COUNT lines of TEXT, `{{N}}` in it numbering them from 1.
///
/// `NAME.expect` says, one `key: value` a line, what the answer must be: `status`, `code` (the error
/// document's `__type` and `x-amzn-ErrorType`), `message` (words the message must contain) and `closes`
/// (`no` when the server keeps the connection open after answering; by default it closes it).
struct MalformedHTTPRequest: CustomStringConvertible {
    let name: String
    let template: String
    let status: Int
    let code: String
    let message: String
    let closes: Bool

    var description: String { name }

    static let folder = MalformedRequest.folder.appendingPathComponent("http")

    /// Every case, by name.
    static func all() throws -> [MalformedHTTPRequest] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".expect") }.map { String($0.dropLast(".expect".count)) }.sorted()
        return try names.map { name in
            var keys: [String: String] = [:]
            for line in try String(contentsOf: folder.appendingPathComponent(name + ".expect"), encoding: .utf8).split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { throw CorpusError("http/\(name).expect: '\(line)' is not 'key: value'") }
                keys[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            guard let status = keys["status"].flatMap({ Int($0) }), let code = keys["code"], let message = keys["message"] else {
                throw CorpusError("http/\(name).expect needs status, code and message")
            }
            return MalformedHTTPRequest(
                name: name, template: try String(contentsOf: folder.appendingPathComponent(name + ".http"), encoding: .utf8),
                status: status, code: code, message: message, closes: keys["closes"] != "no")
        }
    }

    /// The bytes to send to the server at `host`.
    func bytes(host: String) -> Data {
        var lines: [String] = []
        for line in template.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@repeat "), let count = Int(line.split(separator: " ")[1]) {
                let text = line.split(separator: " ", maxSplits: 2)[2]
                lines += (1...count).map { text.replacingOccurrences(of: "{{N}}", with: String($0)) }
            } else {
                lines.append(String(line))
            }
        }
        var text = lines.joined(separator: "\r\n").replacingOccurrences(of: "{{HOST}}", with: host)
        while let match = text.firstMatch(of: /\{\{(\d+)\*(.)\}\}/) {
            text.replaceSubrange(match.range, with: String(repeating: String(match.2), count: Int(match.1) ?? 0))
        }
        return Data(text.utf8)
    }
}

/// Sends raw requests to a server, each on its own connection, and reads each answer with python3's
/// sockets: one process for a whole table of cases.
enum RawHTTP {
    /// What came back for one request: the status, headers (lower-case names), body, and whether the server
    /// closed the connection after answering (waiting at most 10 s for it).
    struct Answer {
        let status: Int
        let headers: [String: String]
        let document: JSONValue?
        let closed: Bool
    }

    /// Sends each of `requests` (raw bytes) to 127.0.0.1:`port`; `checkClose[i]` asks whether the server closes
    /// the i-th connection after its answer.
    static func send(_ requests: [Data], checkClose: [Bool], to server: ServedSandbox) throws -> [Answer] {
        let input = JSONValue.array(zip(requests, checkClose).map { request, close in
            ["bytes": .string(request.base64EncodedString()), "checkClose": .bool(close)]
        })
        let script = #"""
            import base64, json, socket, sys
            port = int(sys.argv[1])
            answers = []
            for case in json.load(sys.stdin):
                connection = socket.create_connection(('127.0.0.1', port), timeout=20)
                try:
                    connection.sendall(base64.b64decode(case['bytes']))
                except OSError:
                    pass  # the server may answer and close before reading all of a head past its limits
                data = b''
                while b'\r\n\r\n' not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, rest = data.partition(b'\r\n\r\n')
                lines = head.decode('latin-1').split('\r\n')
                headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(':') for l in lines[1:])}
                length = int(headers.get('content-length', '0'))
                while len(rest) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    rest += chunk
                closed = False
                if case['checkClose']:
                    connection.settimeout(10)
                    try:
                        closed = connection.recv(65536) == b''
                    except (socket.timeout, ConnectionResetError):
                        closed = False
                connection.close()
                try:
                    document = json.loads(rest[:length])
                except ValueError:
                    document = None
                status = int(lines[0].split(' ')[1]) if len(lines[0].split(' ')) > 1 else 0
                answers.append({'status': status, 'headers': headers, 'document': document, 'closed': closed})
            print(json.dumps(answers))
            """#
        let result = try runProgram(Botocore.python, ["python3", "-c", script, String(server.port)], input: Data(input.serialized().utf8))
        guard result.status == 0 else { throw ServeTestError("python3 failed (\(result.status)): \(result.stderr)") }
        return try JSONValue(parsing: result.stdout).arrayValue?.map { answer in
            let status: Int = if case .integer(let code)? = answer["status"] { Int(code) } else { 0 }
            return Answer(status: status,
                   headers: (answer["headers"]?.objectValue ?? [:]).reduce(into: [:]) { $0[$1.key] = $1.value.stringValue },
                   document: answer["document"].flatMap { $0 == .null ? nil : $0 }, closed: answer["closed"] == true)
        } ?? []
    }
}
