import Core
import Foundation
import OrderedJSON

/// A profile's `credential_process`: the command runs through `/bin/sh -c` and prints
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`.
struct ProcessCredentials: Sendable {
    let command: String
    let profile: String
    let environment: [String: String]

    func fetch() async throws(ServiceError) -> AWSCredentials {
        let what = "the credential_process of the profile '\(profile)'"
        // Only the program is named in errors: its arguments may carry a password.
        let program = command.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? command
        let outcome: ProcessOutcome
        do {
            outcome = try await Self.run(command, environment: environment)
        } catch {
            throw .credentialRetrieval("\(what) could not start: \(error.localizedDescription)")
        }
        guard outcome.status == 0 else {
            let stderr = String(decoding: outcome.stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let said = stderr.isEmpty ? "and wrote nothing on stderr" : "and wrote on stderr: \(ServiceError.excerpt(stderr, quoted: false))"
            throw .credentialRetrieval("\(what) (\(program)) exited with status \(outcome.status) \(said)")
        }
        // The output is never quoted in an error: it is where the secret is.
        guard let document = try? JSONValue(parsing: outcome.stdout), case .object(let members) = document else {
            throw .credentialRetrieval("\(what) (\(program)) did not print a JSON object (\(outcome.stdout.count) bytes on stdout)")
        }
        switch members["Version"] {
        case .integer(1), .number(1): break
        case .integer(let version): throw .credentialRetrieval("\(what) (\(program)) printed Version \(version); engage reads Version 1")
        case let other: throw .credentialRetrieval("\(what) (\(program)) printed \(other.map { "a Version that is \($0.kindDescription)" } ?? "no Version"); engage reads Version 1")
        }
        let missing = ["AccessKeyId", "SecretAccessKey"].filter { members[$0]?.stringValue?.isEmpty ?? true }
        guard missing.isEmpty else {
            throw .credentialRetrieval("\(what) (\(program)) printed no \(missing.joined(separator: " or "))")
        }
        var expiration: Date?
        if let text = members["Expiration"]?.stringValue {
            guard let date = CredentialTime.date(text) else {
                throw .credentialRetrieval("\(what) (\(program)) printed an Expiration that is not an ISO 8601 time: '\(text)'")
            }
            expiration = date
        }
        return AWSCredentials(accessKeyId: members["AccessKeyId"]!.stringValue!, secretAccessKey: members["SecretAccessKey"]!.stringValue!,
                              sessionToken: members["SessionToken"]?.stringValue, expiration: expiration)
    }

    struct ProcessOutcome {
        let status: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
    }

    /// Runs `command` with standard input inherited (a command may ask for an MFA code on the terminal),
    /// reading both outputs to their end on threads of their own so neither pipe fills up.
    static func run(_ command: String, environment: [String: String]) async throws -> ProcessOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        (process.standardOutput, process.standardError) = (stdout, stderr)
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let group = DispatchGroup()
                nonisolated(unsafe) var errors = Data()
                DispatchQueue.global().async(group: group) { errors = stderr.fileHandleForReading.readDataToEndOfFile() }
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: ProcessOutcome(status: process.terminationStatus, stdout: Array(output), stderr: Array(errors)))
            }
        }
    }
}
