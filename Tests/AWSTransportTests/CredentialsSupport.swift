@testable import AWSTransport
import Core
import Foundation
import OrderedJSON
import Testing

/// A temporary home folder with its own `.aws` files, so no test reads or writes the real `~/.aws`. The
/// environment it gives holds `HOME` and `PATH` only: no `AWS_*` variable of the machine leaks in.
struct AWSHome {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".aws/sso/cache"), withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    var environment: [String: String] {
        ["HOME": folder.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    }

    /// The environment with `extra` added.
    func environment(_ extra: [String: String]) -> [String: String] { environment.merging(extra) { $1 } }

    /// Writes `~/.aws/config`.
    func config(_ text: String) throws { try write(".aws/config", text) }

    /// Writes `~/.aws/credentials`.
    func credentials(_ text: String) throws { try write(".aws/credentials", text) }

    /// Writes `text` to `name` under the home folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        return url.path
    }

    /// Caches an SSO access token as `aws sso login` does: `~/.aws/sso/cache/<SHA-1 hex of key>.json`, `key`
    /// being a session name or a start URL (the digest comes from coreutils' `sha1sum`, not from engage).
    func ssoToken(for key: String, accessToken: String, expiresAt: String) throws {
        let digest = try runProgram("/usr/bin/env", ["sha1sum"], input: key).prefix(40)
        let document: JSONValue = ["startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1",
                                   "accessToken": .string(accessToken), "expiresAt": .string(expiresAt)]
        try write(".aws/sso/cache/\(digest).json", document.serialized())
    }

    /// The credentials for `profile` (nil: as the CLI picks it) in this home, with `extra` environment; an
    /// endpoint that does not answer fails in 2 seconds.
    func resolve(_ profile: String? = nil, _ extra: [String: String] = [:]) async throws(ServiceError) -> AWSCredentials {
        try await AWSProfileCredentials(profile: profile, environment: environment(extra), requestTimeout: .seconds(2)).credentials()
    }

    /// The error resolving `profile` raises; fails the test when it resolves.
    func failure(_ profile: String? = nil, _ extra: [String: String] = [:]) async -> ServiceError? {
        do {
            let credentials = try await resolve(profile, extra)
            Issue.record("expected an error, got \(credentials)")
            return nil
        } catch {
            return error
        }
    }
}

/// `2026-01-02T03:04:05Z` for an instant `seconds` from now, as the SSO cache and STS write it.
func isoTime(in seconds: TimeInterval) -> String { CredentialTime.text(Date().addingTimeInterval(seconds)) }

/// Runs a program with `input` on stdin and returns its stdout; throws with its stderr when it fails.
func runProgram(_ program: String, _ arguments: [String], input: String = "") throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    (process.standardInput, process.standardOutput, process.standardError) = (stdin, stdout, stderr)
    try process.run()
    try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw SigV4TestError(String(decoding: errors, as: UTF8.self)) }
    return String(decoding: output, as: UTF8.self)
}
