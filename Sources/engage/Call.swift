import ArgumentParser
import Core
import Foundation

/// `engage call OPERATION [JSON|@file|-]`: one raw call with a boto3-shaped request.
struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call one operation with a request shaped like boto3's and print the response JSON.",
        discussion: """
            The request is JSON text, @FILE to read it from a file, or - for standard input; it may be left \
            out when the operation needs nothing beyond the defaults. Catalog defaults to --catalog and \
            ClientToken to a fresh UUID.

            Examples:
              engage call CreateEngagement '{"Title": "Acme", "Description": "Pilot"}'
              engage call GetEngagement '{"Identifier": "eng-0123456789abcd"}'
              engage call UpdateEngagementContext @update.json
            """
    )

    @Argument(help: "CreateEngagement, GetEngagement, ListEngagements, CreateEngagementContext or UpdateEngagementContext.")
    var operation: String

    @Argument(help: ArgumentHelp("The request: JSON text, @FILE, or - for standard input.", valueName: "request"))
    var request: String?

    @OptionGroup var options: ServiceOptions

    @Option(help: "text prints errors for people; json prints the service's error document on stderr.")
    var output: OutputFormat = .text

    func run() async throws {
        let document = try readRequest()
        let service = try options.service()
        do {
            let response = try await RawOperation.call(canonicalOperation, request: document, catalog: options.catalog, on: service)
            print(response.serialized(pretty: true))
        } catch {
            switch output {
            case .json: FileHandle.standardError.write(Data((error.wire.serialized(pretty: true) + "\n").utf8))
            case .text: FileHandle.standardError.write(Data((Self.readable(error) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }

    /// `create-engagement` and `createengagement` name CreateEngagement too.
    var canonicalOperation: String {
        let folded = operation.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "").lowercased()
        return ServiceModel.operations.first { $0.name.lowercased() == folded }?.name ?? operation
    }

    private func readRequest() throws -> JSONValue {
        let text: String
        switch request {
        case nil: return .object([:])
        case "-":
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        case let argument? where argument.hasPrefix("@"):
            let path = String(argument.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read the request file \(path)") }
            text = String(decoding: data, as: UTF8.self)
        case let argument?:
            text = argument
        }
        do {
            let document = try JSONValue(parsing: text)
            guard case .object = document else { throw CommandFailure("the request must be a JSON object, not \(document.kindDescription)") }
            return document
        } catch let error as JSONSyntaxError {
            throw CommandFailure("the request is not valid JSON: \(error)")
        }
    }

    /// `ValidationException: 2 problems` and one indented line per field.
    static func readable(_ error: ServiceError) -> String {
        guard !error.errorList.isEmpty else { return "engage: \(error.code): \(error.message)" }
        let count = error.errorList.count == 1 ? "1 problem" : "\(error.errorList.count) problems"
        return (["engage: \(error.code) (\(error.reason?.rawValue ?? "")): \(count)"] + error.errorList.map { "  \($0)" }).joined(separator: "\n")
    }
}
