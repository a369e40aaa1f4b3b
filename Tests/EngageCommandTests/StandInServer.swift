import AWSTransport
import Core
import Foundation
import OrderedJSON

/// The stand-in for the service's endpoint (`Tests/Fixtures/aws-stand-in.py`, python3 with botocore) on
/// 127.0.0.1: it checks every request's signature with botocore's own signer and plays the scenarios its
/// file lists, chosen by the engagement identifier. `stop()` ends it and returns what it received.
///
/// Starting and stopping wait on threads of their own, never on Swift concurrency's few shared threads:
/// async-http-client's deadlines run there, and a test blocking them would delay every other test's timeouts.
final class StandInServer: @unchecked Sendable {
    static let credentials = AWSCredentials(accessKeyId: "AKIDSTANDIN0000000001", secretAccessKey: "stand-in/secret+KEY/0000000000000000000")
    static let sessionCredentials = AWSCredentials(
        accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: "stand-in-session-token//+=")
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/aws-stand-in.py")

    private let process = Process()
    private let input = Pipe(), output = Pipe(), errors = Pipe()
    /// The region whose signatures it accepts.
    let region: String
    private(set) var port = 0

    var url: String { "http://127.0.0.1:\(port)" }
    var endpoint: AWSEndpoint { AWSEndpoint(url: url, region: region)! }

    private init(region: String, fromModel: Bool) {
        self.region = region
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, region] + (fromModel ? ["--from-model"] : [])
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
    }

    /// Starts a server and returns once it listens. `fromModel` checks each request with botocore's validator
    /// and answers from the operation's output shape instead of playing the scenarios.
    static func start(region: String = "us-east-1", fromModel: Bool = false) async throws -> StandInServer {
        let server = StandInServer(region: region, fromModel: fromModel)
        try server.process.run()
        let firstLine = await onOwnThread { readLine(server.output.fileHandleForReading) }
        guard let port = Int(firstLine) else {
            server.process.terminate()
            let reason = await onOwnThread { String(decoding: server.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            throw StandInError("the stand-in server did not start: \(reason)")
        }
        server.port = port
        return server
    }

    /// Ends the server (it stops when its standard input closes) and returns one document per request it
    /// received: `target`, `verified`, `identifier`, `contentType`, `token`.
    @discardableResult
    func stop() async -> [JSONValue] {
        try? input.fileHandleForWriting.close()
        let printed = await Self.onOwnThread { [self] in
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        return printed.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }

    /// Runs blocking `work` on a new thread and returns its result.
    private static func onOwnThread<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// The bytes `handle` gives up to its first line end, or to its end.
    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let byte = handle.readData(ofLength: 1).first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

struct StandInError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
