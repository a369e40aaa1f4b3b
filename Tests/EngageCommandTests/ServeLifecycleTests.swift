import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage serve` as an operator sees it: the first line, the access log, a bad credentials file, and a
/// shutdown that answers what is in flight.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3 with boto3"), .timeLimit(.minutes(2)))
struct ServeLifecycleTests {
    @Test func theFirstLineNamesTheAddressBoundTheStoreAndTheKeys() throws {
        let server = try ServedSandbox()
        #expect(server.banner.hasPrefix("engage serve: listening on http://127.0.0.1:\(server.port) (loopback only), store \(server.store), region us-east-1, 2 access keys from "))
        #expect(server.port > 0)
    }

    @Test func anAddressOtherMachinesReachIsWarnedAbout() throws {
        let server = try ServedSandbox(arguments: ["--host", "0.0.0.0"])
        #expect(server.banner.contains("http://0.0.0.0:\(server.port) (WARNING: 0.0.0.0 is not a loopback address"), "\(server.banner)")
    }

    @Test func eachRequestIsOneAccessLogLine() throws {
        let server = try ServedSandbox()
        _ = try server.python(#"""
            c = client()
            e = c.create_engagement(Catalog='Sandbox', ClientToken='t1', Title='Acme', Description='Pilot')
            failure(lambda: c.get_engagement(Catalog='Sandbox', Identifier='eng-00000000000000'))
            out(0)
            """#)
        let log = server.lines { $0.count >= 3 }
        #expect(log.count == 3)
        #expect(log[1].wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z alice CreateEngagement 200 \d+\.\dms [0-9a-f-]{36}/#) != nil, "\(log[1])")
        #expect(log[2].wholeMatch(of: #/\S+ alice GetEngagement 404 ResourceNotFoundException \d+\.\dms [0-9a-f-]{36}/#) != nil, "\(log[2])")
        #expect(!log[1].contains("Acme"))
    }

    @Test func aCredentialsFileOtherUsersMayOpenIsWarnedAboutAfterTheFirstLine() throws {
        let server = try ServedSandbox(credentialsMode: 0o644)
        let log = server.lines { $0.count >= 2 }
        #expect(log.count >= 2 && log[1] == "engage serve: warning: \(server.credentialsFile) holds secret keys and other users may open it (mode 644): chmod 600 \(server.credentialsFile)",
                "\(log)")
    }

    @Test func aBadCredentialsFileStopsTheServerBeforeItListens() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-serve-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("team.json")
        try Data(#"{"AccessKeys": [{"AccessKeyId": "A", "SecretAccessKey": "hunter2", "Identity": "alice smith"}]}"#.utf8).write(to: file)
        let result = try runEngage(["serve", "--port", "0", "--store", folder.appendingPathComponent("s.sqlite").path, "--credentials-file", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.path): AccessKeys[0]: Identity 'alice smith' is not an AwsAccount"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2") && !result.stderr.contains("listening"))
        let none = try runEngage(["serve", "--port", "0", "--store", folder.appendingPathComponent("s.sqlite").path],
                                 environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": "", "HOME": folder.path,
                                               "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": ""])
        #expect(none.status == 1)
        #expect(none.stderr.contains("give --credentials-file FILE, or set credentials as for the AWS CLI"), "\(none.stderr)")
        #expect(none.stderr.contains("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"))
    }

    /// The client sends the head and part of the body, the server gets SIGTERM and stops accepting
    /// connections, then the rest of the body arrives: the request is answered and the server exits 0.
    /// The head asks for `100 Continue`, which the server sends once it has read the head: from then on
    /// the request is one in flight, and the client says `sent`.
    @Test func sigtermWhileARequestIsInFlightStillAnswersIt() throws {
        let server = try ServedSandbox()
        let client = Process()
        client.executableURL = Botocore.python
        client.arguments = ["python3", "-c", Boto3.prelude + #"""
            port = int(os.environ['PORT'])
            body = json.dumps({'Catalog': 'Sandbox', 'ClientToken': 'in-flight', 'Title': 'In flight', 'Description': 'Answered after SIGTERM'}).encode()
            request = signed(body)
            head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\nExpect: 100-continue\r\n' % (port, len(body))
            head += ''.join('%s: %s\r\n' % item for item in request.headers.items()) + '\r\n'
            connection = socket.create_connection(('127.0.0.1', port), timeout=30)
            connection.sendall(head.encode())
            response = read_interim(connection)
            connection.sendall(body[:10])
            print('sent', flush=True)
            sys.stdin.readline()
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=1).close()
                    time.sleep(0.05)
                except OSError:
                    break
            connection.sendall(body[10:])
            while chunk := connection.recv(65536):
                response += chunk
            status = response.split(b'\r\n', 1)[0].decode()
            out({'status': status, 'body': json.loads(response.split(b'\r\n\r\n', 1)[1]), 'refusedNew': time.time() < deadline})
            """#]
        client.environment = ProcessInfo.processInfo.environment.merging(server.isolated([:])) { _, new in new }
        let input = Pipe(), output = Pipe()
        (client.standardInput, client.standardOutput) = (input, output)
        try client.run()
        defer { if client.isRunning { kill(client.processIdentifier, SIGKILL) } }
        let lines = LineReader(output.fileHandleForReading)
        try #require(lines.line(at: 0, within: .seconds(30)) == "sent")
        kill(server.process.processIdentifier, SIGTERM)
        try input.fileHandleForWriting.write(contentsOf: Data("go\n".utf8))
        let answer = try JSONValue(parsing: try #require(lines.line(at: 1, within: .seconds(30))))
        #expect(answer["refusedNew"] == true)
        #expect(answer["status"] == "HTTP/1.1 200 OK")
        #expect(answer["body"]?["Id"]?.stringValue?.hasPrefix("eng-") == true)
        #expect(server.stop() == 0)
        #expect(server.lines.last == "engage serve: stopped")
        let count = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", server.store, "SELECT title FROM engagement"])
        #expect(count.stdout == "In flight\n")
    }

    /// A client that sends the head and part of the body, then nothing: SIGTERM waits for it only as long as
    /// --shutdown-timeout says, then closes its connection, logs it, and the server exits 0. The part sent is
    /// a whole JSON request by itself: it must not be run as if it were the whole body.
    @Test func aHalfSentBodyHoldsShutdownNoLongerThanTheShutdownTimeout() throws {
        let server = try ServedSandbox(arguments: ["--shutdown-timeout", "1"])
        let client = try HalfSentRequest(to: server)
        defer { client.end() }
        #expect(server.stop(within: .seconds(30)) == 0, "\(server.lines.suffix(3))")
        #expect(server.lines.contains { $0.contains("engage serve: closed the connection from") && $0.hasSuffix("its request unfinished 1 s after the signal to stop") },
                "\(server.lines)")
        #expect(server.lines.last == "engage serve: stopped")
        // Refused as a body that could not be read, before its signature (over the whole body) is looked at.
        #expect(server.lines.contains { $0.contains(" - CreateEngagement 400 SerializationException ") }, "\(server.lines)")
        let count = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", server.store, "SELECT count(*) FROM engagement"])
        #expect(count.stdout == "0\n", "\(count.stdout)\(count.stderr)")
    }

    /// An idle connection, and one whose head arrives too slowly (a slowloris), are closed once --idle-timeout
    /// passes; a body that stalls is answered 408 RequestTimeoutException once --body-timeout passes, and closed.
    @Test func idleConnectionsSlowHeadsAndStalledBodiesAreClosedAfterTheirTimeouts() throws {
        let server = try ServedSandbox(arguments: ["--idle-timeout", "1", "--body-timeout", "1"])
        #expect(server.banner.hasSuffix("at most 512 connections, idle timeout 1 s, body timeout 1 s, shutdown timeout 10 s"), "\(server.banner)")
        let result = try server.python(#"""
            port = int(os.environ['PORT'])
            def closed(connection):
                try:
                    return connection.recv(65536) == b''
                except socket.timeout:
                    return False
            idle = socket.create_connection(('127.0.0.1', port), timeout=20)
            slow = socket.create_connection(('127.0.0.1', port), timeout=20)
            slow.sendall(b'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty')
            body = json.dumps({'Catalog': 'Sandbox', 'Identifier': 'eng-00000000000000'}).encode()
            request = signed(body, target='GetEngagement')
            head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\n' % (port, len(body))
            head += ''.join('%s: %s\r\n' % item for item in request.headers.items()) + '\r\n'
            stalled = socket.create_connection(('127.0.0.1', port), timeout=20)
            stalled.sendall(head.encode() + body[:10])
            answer = b''
            while b'\r\n\r\n' not in answer:
                answer += stalled.recv(65536)
            out({'idle': closed(idle), 'slowHead': closed(slow), 'stalledStatus': answer.split(b' ')[1].decode(),
                 'stalledType': json.loads(answer.split(b'\r\n\r\n', 1)[1] or stalled.recv(65536))['__type'], 'stalledClosed': closed(stalled)})
            """#)
        #expect(result["idle"] == true)
        #expect(result["slowHead"] == true)
        #expect(result["stalledStatus"] == "408")
        #expect(result["stalledType"] == "RequestTimeoutException")
        #expect(result["stalledClosed"] == true)
        let log = server.lines { $0.contains { $0.contains(" 408 RequestTimeoutException ") } }
        #expect(log.contains { $0.contains("- GetEngagement 408 RequestTimeoutException") }, "\(log)")
    }

    /// Under an open-file limit of 100, 150 idle clients cannot keep a valid request out: the server serves at
    /// most 36 connections at once (saying so in its first line), so it never runs out of descriptors, and
    /// closes idle ones after --idle-timeout, so the request waiting behind them is answered.
    @Test func aValidRequestIsAnsweredWhileIdleClientsOutnumberTheOpenFileLimit() throws {
        let server = try ServedSandbox(arguments: ["--idle-timeout", "1"], launcher: ["/usr/bin/prlimit", "--nofile=100"])
        #expect(server.banner.contains("at most 36 connections (lowered from 512 to fit the open-file limit, ulimit -n)"), "\(server.banner)")
        let result = try server.python(#"""
            port = int(os.environ['PORT'])
            idle = [socket.create_connection(('127.0.0.1', port), timeout=20) for _ in range(150)]
            c = client(connect_timeout=60, read_timeout=60)
            out(failure(lambda: c.get_engagement(Catalog='Sandbox', Identifier='eng-00000000000000'))['code'])
            """#)
        #expect(result == "ResourceNotFoundException")
        #expect(server.stop() == 0)
    }
}

/// A signed CreateEngagement whose head and body up to its JSON's end are sent, the blanks after it never: a
/// python3 child that holds the connection open until `end()`.
private final class HalfSentRequest {
    let client = Process()

    init(to server: ServedSandbox) throws {
        client.executableURL = Botocore.python
        client.arguments = ["python3", "-c", Boto3.prelude + #"""
            port = int(os.environ['PORT'])
            document = json.dumps({'Catalog': 'Sandbox', 'ClientToken': 'half', 'Title': 'Half sent', 'Description': 'Never finished'}).encode()
            body = document + b' ' * 20
            request = signed(body)
            head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %d\r\nExpect: 100-continue\r\n' % (port, len(body))
            head += ''.join('%s: %s\r\n' % item for item in request.headers.items()) + '\r\n'
            connection = socket.create_connection(('127.0.0.1', port), timeout=60)
            connection.sendall(head.encode())
            read_interim(connection)
            connection.sendall(document)
            print('sent', flush=True)
            sys.stdin.readline()
            """#]
        client.environment = ProcessInfo.processInfo.environment.merging(server.isolated([:])) { _, new in new }
        let input = Pipe(), output = Pipe()
        (client.standardInput, client.standardOutput) = (input, output)
        try client.run()
        let lines = LineReader(output.fileHandleForReading)
        // `sent` comes after the server's 100 Continue, its answer to the head: the request is one in flight.
        guard lines.line(at: 0, within: .seconds(30)) == "sent" else {
            end()
            throw ServeTestError("the half-sent request was not sent")
        }
    }

    func end() {
        if client.isRunning { kill(client.processIdentifier, SIGKILL) }
        client.waitUntilExit()
    }
}
