import ArgumentParser
import Core
import Foundation
import Sandbox

/// `engage call OPERATION [JSON|@file|-]`: one raw call with a boto3-shaped request.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call one operation with a request shaped like boto3's and print the response JSON.",
        discussion: """
            The request is JSON text, @FILE to read it from a file, or - for standard input; it may be left \
            out when the operation needs nothing beyond the defaults. It must be UTF-8: a request that is \
            not is refused with SerializationException naming the member. Catalog defaults to --catalog \
            and ClientToken to a fresh UUID.

            With --output json every failure, the command line's included, prints one error document \
            (__type, message, Message and the modeled fields) on stderr and nothing on stdout.

            Examples:
              engage call CreateEngagement '{"Title": "Acme", "Description": "Pilot"}'
              engage call GetEngagement '{"Identifier": "eng-0123456789abcd"}'
              engage call UpdateEngagementContext @update.json
            """
    )

    @Argument(help: "An operation of the model, as CreateEngagement or create-engagement (engage describe --list names them).")
    var operation: String

    @Argument(help: ArgumentHelp("The request: JSON text, @FILE, or - for standard input.", valueName: "request"))
    var request: String?

    @OptionGroup var options: ServiceOptions

    @Option(help: "text prints errors for people; json prints the service's error document on stderr.")
    var output: OutputFormat = .text

    func run() async throws {
        var missingStore: SandboxService?
        do {
            print(try await call(missingStore: &missingStore).serialized(pretty: true))
            if let missingStore { Self.note(missing: missingStore) }
        } catch {
            Self.report(missingStore.map { Self.noting(missing: $0, in: error) } ?? error, as: output)
            throw ExitCode(1)
        }
    }

    /// The operation is checked before the request is read, so a mistyped name never waits on stdin. A read
    /// on the sandbox whose store is not there is answered as an empty store would answer it and leaves no
    /// file; `missingStore` is then that sandbox, so the answer can say the store is missing.
    private func call(missingStore: inout SandboxService?) async throws(ServiceError) -> JSONValue {
        let name = try RawOperation.operation(named: canonicalOperation).name
        let document = try readRequest()
        guard OperationSchema.onlyReads(name), options.transport == nil else {
            let service = try options.openService(audit: AuditContext(command: "call"))
            return try await RawOperation.call(name, request: document, catalog: options.catalog, on: service)
        }
        let sandbox = options.readSandboxIfPresent(audit: AuditContext(command: "call"))
        defer { if sandbox.answeredForMissingStore { missingStore = sandbox } }
        return try await RawOperation.call(name, request: document, catalog: options.catalog, on: sandbox)
    }

    /// Why the answer is an empty store's: a sentence for the person, who may have mistyped --store.
    private static func missingStoreNote(_ sandbox: SandboxService) -> String {
        "no sandbox store is at \(sandbox.storePath) yet, so this is an empty store's answer: check --store (a command that only reads creates none)"
    }

    /// After an answer on stdout: the note on stderr.
    private static func note(missing sandbox: SandboxService) {
        FileHandle.standardError.write(Data("engage: note: \(missingStoreNote(sandbox))\n".utf8))
    }

    /// A failure's message with the note, so that --output json still prints one error document.
    private static func noting(missing sandbox: SandboxService, in error: ServiceError) -> ServiceError {
        ServiceError(code: error.code, message: "\(error.message); \(missingStoreNote(sandbox))", reason: error.reason, errorList: error.errorList)
    }

    /// `create-engagement` and `createengagement` name CreateEngagement too.
    var canonicalOperation: String {
        let folded = operation.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "").lowercased()
        return ServiceModel.operations.first { $0.name.lowercased() == folded }?.name ?? operation
    }

    /// Reads the request as bytes, so text that is not UTF-8 is refused by the parser rather than repaired.
    private func readRequest() throws(ServiceError) -> JSONValue {
        try Self.document(from: request) ?? .object([:])
    }

    /// The request document an argument gives: JSON text, `@FILE`, `-` for standard input; nil when none.
    static func document(from argument: String?) throws(ServiceError) -> JSONValue? {
        let bytes: [UInt8]
        switch argument {
        case nil: return nil
        case "-":
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        case let argument? where argument.hasPrefix("@"):
            let path = String(argument.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                let reason = access(path, R_OK) == 0 ? "it is not a readable file" : String(cString: strerror(errno))
                throw ServiceError(code: "ValidationException", message: "cannot read the request file \(path): \(reason)")
            }
            bytes = Array(data)
        case let argument?:
            bytes = Self.bytesAsPassed(argument)
        }
        return try RawOperation.document(parsing: bytes)
    }

    /// The argument's bytes as the shell passed them. `CommandLine.arguments` replaces bytes that are not
    /// UTF-8 with U+FFFD; the raw `argv` entry that decodes to the argument keeps them for the parser to refuse.
    static func bytesAsPassed(_ argument: String) -> [UInt8] {
        let decoded = Array(argument.utf8)
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return decoded }
        for index in 0..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer)))
            if Array(String(decoding: raw, as: UTF8.self).utf8) == decoded { return raw }
        }
        return decoded
    }

    /// Prints a failure on stderr: the error document in json, one line per field in text.
    static func report(_ error: ServiceError, as output: OutputFormat) {
        let text = switch output {
        case .json: error.wire.serialized(pretty: true)
        case .text: readable(error)
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `ValidationException: 2 problems` and one indented line per field.
    static func readable(_ error: ServiceError) -> String {
        guard !error.errorList.isEmpty else { return "engage: \(error.code): \(error.message)" }
        let count = error.errorList.count == 1 ? "1 problem" : "\(error.errorList.count) problems"
        return (["engage: \(error.code) (\(error.reason?.rawValue ?? "")): \(count)"] + error.errorList.map { "  \($0)" }).joined(separator: "\n")
    }

    /// Whether a command line asks `call` for json output, so that an error in the command line itself is
    /// reported as an error document too.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        guard arguments.first == _commandName else { return false }
        return arguments.contains("--output=json") || zip(arguments, arguments.dropFirst()).contains { $0 == ("--output", "json") }
    }
}
