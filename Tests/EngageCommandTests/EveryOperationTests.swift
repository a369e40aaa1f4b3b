import Core
import EngageTestSupport
import Foundation
import OrderedJSON
import Scripting
import Testing

/// Every operation of the committed model, listed from the JSON rather than from the generated code, from
/// every door: a Lua global by the naming rule, `engage describe`, an `engage types` entry, and `engage
/// call` through `--endpoint-url` to the stand-in, which checks each request with botocore's own validator
/// and signer and answers from the operation's output shape, which engage must read.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable), .timeLimit(.minutes(5)))
struct EveryOperationTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-every-\(UUID().uuidString)")

    static let model: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Model/partnercentral-selling-2022-07-26.json")
        return (try? JSONValue(parsing: Data(contentsOf: url))) ?? .null
    }()

    static var operations: [String] { (model["operations"]?.objectValue?.keys).map(Array.init)?.sorted() ?? [] }

    /// The naming rule as docs/scripting.md states it: a word starts at a capital after a small letter or
    /// digit, or at the last capital of a run that a small letter follows.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var output = ""
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase,
                characters[index - 1].isLowercase || characters[index - 1].isNumber
                    || (characters[index - 1].isUppercase && index + 1 < characters.count && characters[index + 1].isLowercase) {
                output += "_"
            }
            output += character.lowercased()
        }
        return output
    }

    @Test func theModelHas42Operations() {
        #expect(Self.operations.count == 42)
    }

    @Test func everyOperationIsAGlobalDescribedTypedAndCalledThroughAnEndpointThatBotocoreChecks() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let types = try runEngage("types").stdout
        let server = try await StandInServer.start(fromModel: true)
        let environment = [
            "AWS_ACCESS_KEY_ID": StandInServer.credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": StandInServer.credentials.secretAccessKey,
            "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "HOME": folder.path, "AWS_CONFIG_FILE": "", "AWS_SHARED_CREDENTIALS_FILE": "",
        ]
        for operation in Self.operations {
            let global = Self.snakeCase(operation)
            #expect(LuaGlobals.named(global)?.model == operation, "no Lua global \(global)")
            #expect(types.contains("\nfunction \(global)("), "engage types declares no \(global)")
            let described = try runEngage("describe", operation)
            #expect(described.status == 0 && described.stdout.hasPrefix("\(operation) (operation)"), "describe \(operation): \(described.stderr)")
            guard let input = Self.model["operations"]?[operation]?["input"]?["shape"]?.stringValue else {
                Issue.record("\(operation) has no input")
                continue
            }
            let request = MinimalRequest(model: Self.model).value(of: input, top: true)
            let called = try runEngage(["call", operation, request.serialized(), "--endpoint-url", server.url], environment: environment)
            #expect(called.status == 0, "engage call \(operation) \(request.serialized()): \(called.stderr)")
            #expect((try? JSONValue(parsing: called.stdout))?.objectValue != nil, "\(operation) printed \(called.stdout.prefix(200))")
        }
        let received = await server.stop()
        #expect(received.compactMap { $0["target"]?.stringValue } == Self.operations.map { "AWSPartnerCentralSelling.\($0)" })
        for request in received {
            #expect(request["verified"] == true, "\(request)")
            #expect(request["problems"] == "", "botocore: \(request)")
        }
    }
}

/// A request with only the members the model requires, each the simplest value its shape takes, read from the
/// committed model's JSON; `Catalog` and idempotency tokens are left for engage to fill in.
struct MinimalRequest {
    let model: JSONValue

    /// Values for the string shapes whose pattern is more than a length.
    static let samples = [
        "AwsAccount": "123456789012", "CatalogIdentifier": "Sandbox", "CompanyWebsiteUrl": "https://acme.example",
        "ContextIdentifier": "1", "Date": "2027-06-30", "Email": "ada@acme.example", "EngagementArnOrIdentifier": "eng-0123456789abcd",
        "EngagementIdentifier": "eng-0123456789abcd", "EngagementInvitationArnOrIdentifier": "engi-0123456789abc",
        "OpportunityIdentifier": "O1234567", "ResourceIdentifier": "O1234567", "ResourceSnapshotJobIdentifier": "job-0123456789abc",
        "ResourceTemplateName": "OpportunitySummary", "TagKey": "team", "TagValue": "east",
        "TaggableResourceArn": "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/O1234567",
    ]

    static func integer(_ value: JSONValue?) -> Int? {
        if case .integer(let number)? = value { return Int(number) }
        return nil
    }

    func value(of shapeName: String, top: Bool = false) -> JSONValue {
        guard let shape = model["shapes"]?[shapeName] else { return .null }
        switch shape["type"]?.stringValue {
        case "structure":
            let members = shape["members"]?.objectValue ?? [:]
            if shape["union"] == true, let first = members.elements.first {
                return .object([first.key: value(of: first.value["shape"]?.stringValue ?? "")])
            }
            var document = JSONValue.Members()
            for name in (shape["required"]?.arrayValue ?? []).compactMap(\.stringValue) {
                let member = members[name]
                if top, name == "Catalog" || member?["idempotencyToken"] == true { continue }
                document[name] = value(of: member?["shape"]?.stringValue ?? "")
            }
            return .object(document)
        case "list":
            let count = Self.integer(shape["min"]) ?? 0
            return .array((0..<count).map { _ in value(of: shape["member"]?["shape"]?.stringValue ?? "") })
        case "map": return .object([:])
        case "integer", "long": return .integer(Int64(Self.integer(shape["min"]) ?? 1))
        case "boolean": return .bool(true)
        case "timestamp": return "2027-06-30T00:00:00Z"
        default:
            if let first = shape["enum"]?.arrayValue?.first { return first }
            if let sample = Self.samples[shapeName] { return .string(sample) }
            // A pattern that bounds the length only: the shortest text it takes, at least one character.
            let pattern = shape["pattern"]?.stringValue ?? ""
            let least = pattern.firstMatch(of: /\{(\d+),\d*\}/).flatMap { Int($0.1) } ?? 1
            return .string(String(repeating: "x", count: max(1, least)))
        }
    }
}
