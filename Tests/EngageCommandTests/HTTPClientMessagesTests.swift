import EngageTestSupport
import Foundation
import Testing

/// What the HTTP client's command line says when something is wrong, in words that name the cause.
@Suite(.tags(.process), .timeLimit(.minutes(2)))
struct HTTPClientMessagesTests {
    /// An environment with keys of its own and nothing from the AWS variables of the one running the tests.
    static let environment = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
                              "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_MAX_ATTEMPTS": ""]

    @Test(arguments: [
        (["--max-rps", "-1"], "--max-rps must be a number of requests per second, 0 or more, not -1"),
        (["--max-attempts", "-1"], "--max-attempts must be 1 or more, not -1"),
        (["--endpoint-url", "http://127.0.0.1:8123/?debug=1"], "--endpoint-url 'http://127.0.0.1:8123/?debug=1' has a query (?debug=1), which is not allowed"),
        (["--endpoint-url", "http://127.0.0.1:8123?x"], "has a query (?x), which is not allowed"),
        (["--endpoint-url", "http:///path"], "has no host: give one, as in http://127.0.0.1:8123"),
        (["--endpoint-url", "http://127.0.0.1:8123/#top"], "has a fragment (#…), which is not allowed"),
    ])
    func aBadValueIsRefusedForWhatItIs(options: [String], message: String) throws {
        let withEndpoint = options.contains("--endpoint-url") ? options : options + ["--endpoint-url", "http://127.0.0.1:9"]
        let result = try runEngage(["call", "ListEngagements"] + withEndpoint, environment: Self.environment)
        #expect(result.status == 64, "\(options): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
        #expect(!result.stderr.contains("Missing value"), "\(options): \(result.stderr)")
    }

    @Test func nobodyListeningIsSaidInWords() throws {
        let port = try Self.closedPort()
        let result = try runEngage(["call", "ListEngagements", "--endpoint-url", "http://127.0.0.1:\(port)", "--max-attempts", "1"],
                                   environment: Self.environment)
        #expect(result.status == 1)
        #expect(result.stderr == "engage: EndpointConnectionError: ListEngagements: cannot connect to http://127.0.0.1:\(port): connection refused\n",
                "\(result.stderr)")
    }

    @Test func aHostThatDoesNotResolveIsSaidInWords() throws {
        let result = try runEngage(["call", "ListEngagements", "--endpoint-url", "http://nonexistent.invalid:8123", "--max-attempts", "1"],
                                   environment: Self.environment)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix(
            "engage: EndpointConnectionError: ListEngagements: cannot connect to http://nonexistent.invalid:8123: cannot resolve the host nonexistent.invalid ("),
            "\(result.stderr)")
    }

    /// `-v` names a list call by what it listed, not as a new engagement.
    @Test func verboseLabelsAListCallByItsPage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-verbose-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.sqlite").path
        let result = try runEngage(["run", "-", "-v", "--store", store],
                                   input: #"create_engagement{Title = "Acme", Description = "Pilot"}; list_engagements{}"#)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("engage: ListEngagements (1 listed) "), "\(result.stderr)")
        #expect(result.stderr.contains("engage: CreateEngagement eng-"), "\(result.stderr)")
        #expect(!result.stderr.contains("(new engagement)"), "\(result.stderr)")
    }

    /// A port on 127.0.0.1 nothing listens on: bound, then closed.
    static func closedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw ServeTestError("could not bind a port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
