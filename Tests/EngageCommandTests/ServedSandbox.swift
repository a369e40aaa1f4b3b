import EngageTestSupport
import Foundation
import OrderedJSON

/// `engage serve` as a child process on 127.0.0.1 and a port it picks (`--port 0`), with a store and a
/// credentials file of its own: alice and bob sign for the team. Killed when dropped, whatever the test did.
final class ServedSandbox: ScratchFolder, @unchecked Sendable {
    static let alice = (key: "AKIDALICE", secret: "alice/secret+key", identity: "alice")
    static let bob = (key: "AKIDBOB", secret: "bob-secret", identity: "bob")

    let folder: URL
    let process = Process()
    private let log: LineReader
    /// The first line the server wrote.
    let banner: String
    let port: Int

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// `arguments` are added to serve's own; `launcher` runs serve under another program (`prlimit …`).
    /// `credentialsMode` is the credentials file's permissions.
    init(arguments: [String] = [], launcher: [String] = [], credentialsMode: mode_t = 0o600) throws {
        let credentials = #"""
            {"AccessKeys": [
              {"AccessKeyId": "\#(Self.alice.key)", "SecretAccessKey": "\#(Self.alice.secret)", "Identity": "\#(Self.alice.identity)"},
              {"AccessKeyId": "\#(Self.bob.key)", "SecretAccessKey": "\#(Self.bob.secret)", "Identity": "\#(Self.bob.identity)"}
            ]}
            """#
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-serve-\(UUID().uuidString)")
        let scratch = Scratch(folder: folder)
        let credentialsFile = try scratch.file("team.json", credentials)
        // Private by default, as the README asks: a file other users may open adds a warning after the first line.
        chmod(credentialsFile, credentialsMode)
        _ = try scratch.file("aws-config", "[default]\n")
        let serve = ["serve", "--port", "0", "--store", scratch.store, "--credentials-file", credentialsFile] + arguments
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [engageBinary.path] + serve
        } else {
            process.executableURL = engageBinary
            process.arguments = serve
        }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let reader = LineReader(stderr.fileHandleForReading)
        log = reader
        try process.run()
        let started = reader.line(at: 0, within: .seconds(60))
        guard let first = started, let match = first.firstMatch(of: #/listening on http://[^ ]+:(\d+) /#), let port = Int(match.1) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
            throw ServeTestError("engage serve's first line names no port: \(started ?? "nothing within a minute") \(reader.lines)")
        }
        (banner, self.port) = (first, port)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// The credentials file the server was started with.
    var credentialsFile: String { folder.appendingPathComponent("team.json").path }

    /// Every line the server has written to stderr so far: the banner, then one per request.
    var lines: [String] { log.lines }

    /// The lines written so far once `done` holds for them, or after `limit`: the server logs a request
    /// before it answers, but the line may not have been read from the pipe yet.
    func lines(until done: ([String]) -> Bool, within limit: Duration = .seconds(20)) -> [String] {
        let deadline = ContinuousClock.now + limit
        while !done(log.lines), ContinuousClock.now < deadline { usleep(10_000) }
        return log.lines
    }

    /// Sends SIGTERM and waits for the exit status, killing the server if it takes more than `limit`.
    func stop(within limit: Duration = .seconds(20)) -> Int32 {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The store's content as `sqlite3 .dump` prints it.
    func storeContent() throws -> String { try CorpusStore.content(of: store) }

    /// Runs a python3 script after `Boto3.prelude`, with `ENDPOINT` and `PORT` set and no AWS configuration
    /// from the machine, and returns the JSON it printed last.
    func python(_ script: String, environment: [String: String] = [:]) throws -> JSONValue {
        let result = try runProgram(Botocore.python, ["python3", "-c", Boto3.prelude + script], environment: isolated(environment))
        guard result.status == 0, let last = result.stdout.split(separator: "\n").last else {
            throw ServeTestError("python3 failed (\(result.status)): \(result.stderr)\nserver log:\n\(lines.joined(separator: "\n"))")
        }
        return try JSONValue(parsing: String(last))
    }

    /// The environment of a client of this server: its endpoint, and AWS files of its own with an empty
    /// default profile instead of the machine's.
    func isolated(_ environment: [String: String]) -> [String: String] {
        let config = folder.appendingPathComponent("aws-config").path
        return ["ENDPOINT": endpoint, "PORT": String(port), "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config,
                "AWS_PROFILE": "default", "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
                "AWS_SESSION_TOKEN": ""].merging(environment) { _, new in new }
    }
}

/// The folder a server's store and credentials file live in.
private struct Scratch: ScratchFolder {
    let folder: URL
}

struct ServeTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A python3 prelude for driving the server with boto3 and with raw HTTP.
enum Boto3 {
    static let prelude = #"""
        import json, os, socket, sys, time, urllib.error, urllib.request
        import boto3, botocore
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.config import Config
        from botocore.credentials import Credentials
        ENDPOINT = os.environ['ENDPOINT']
        ALICE = ('AKIDALICE', 'alice/secret+key')
        BOB = ('AKIDBOB', 'bob-secret')

        def client(key=ALICE, **config):
            return boto3.client('partnercentral-selling', endpoint_url=ENDPOINT, region_name='us-east-1',
                                aws_access_key_id=key[0], aws_secret_access_key=key[1],
                                config=Config(retries={'total_max_attempts': 1}, **config))

        def failure(call):
            """The ClientError `call` raised, as botocore parsed it; None when it succeeded."""
            try:
                call()
            except botocore.exceptions.ClientError as e:
                extra = {k: v for k, v in e.response.items() if k not in ('Error', 'ResponseMetadata')}
                return {'class': type(e).__name__, 'code': e.response['Error']['Code'], 'message': e.response['Error']['Message'],
                        'status': e.response['ResponseMetadata']['HTTPStatusCode'],
                        'requestId': e.response['ResponseMetadata'].get('RequestId'), 'response': extra}
            return None

        def signed(body, target='CreateEngagement', content_type='application/x-amz-json-1.0', key=ALICE, sign=True):
            """An AWSRequest to the server, signed by `key` unless `sign` is False."""
            headers = {'Content-Type': content_type, 'X-Amz-Target': 'AWSPartnerCentralSelling.' + target}
            request = AWSRequest(method='POST', url=ENDPOINT + '/', data=body, headers=headers)
            if sign:
                SigV4Auth(Credentials(*key), 'partnercentral-selling', 'us-east-1').add_auth(request)
            return request

        def post(request):
            """Sends an AWSRequest with urllib; (status, JSON body, headers)."""
            plain = urllib.request.Request(request.url, data=request.body, headers=dict(request.headers), method='POST')
            try:
                with urllib.request.urlopen(plain, timeout=30) as response:
                    return response.status, json.loads(response.read()), dict(response.headers)
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read()), dict(e.headers)

        def read_interim(connection):
            """Waits for the server's `100 Continue`, which it sends once it has read a head that asks for it, and
            returns what came after it (the start of the final answer); exits when something else comes."""
            received = b''
            while b'\r\n\r\n' not in received:
                chunk = connection.recv(65536)
                if not chunk:
                    break
                received += chunk
            interim, _, rest = received.partition(b'\r\n\r\n')
            if not interim.startswith(b'HTTP/1.1 100 '):
                sys.exit('expected 100 Continue, got %r' % received[:200])
            return rest

        def out(value):
            print(json.dumps(value, default=str))

        """#
}
