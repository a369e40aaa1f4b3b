import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Every one of the model's operations answered by the sandbox, through `engage serve` to boto3 (whose
/// botocore parses every answer) and through `engage call`: the list of operations comes from botocore's
/// model, and none may be refused as an operation the sandbox does not serve.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3 with boto3 and its partnercentral-selling model"), .timeLimit(.minutes(3)))
struct EverySandboxOperationTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-every-sandbox-\(UUID().uuidString)")

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/every-operation.py")

    /// The operations called and how each went, checked against botocore's list of the model's operations.
    func check(_ result: JSONValue) -> [String: String] {
        let operations = result["operations"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let outcomes = (result["outcomes"]?.objectValue ?? [:]).mapValues { $0.stringValue ?? "" }
        #expect(operations.count == 42)
        #expect(Set(outcomes.keys) == Set(operations), "not called: \(Set(operations).subtracting(outcomes.keys).sorted())")
        #expect(!outcomes.values.contains("UnknownOperationException"), "\(outcomes)")
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.key, $0.value) })
    }

    @Test func boto3GetsAnAnswerBotocoreParsesFromEveryOperation() throws {
        let server = try ServedSandbox()
        let outcomes = check(try server.python(try String(contentsOf: Self.script, encoding: .utf8), environment: ["DOOR": "boto3"]))
        #expect(outcomes.filter { $0.value != "ok" } == [:], "every step of the sequence succeeds with two partners")
        #expect(server.stop() == 0)
    }

    @Test func engageCallAnswersEveryOperation() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let result = try runProgram(Botocore.python, ["python3", Self.script.path],
                                    environment: ["DOOR": "call", "ENGAGE": engageBinary.path, "STORE": store])
        #expect(result.status == 0, "\(result.stderr)")
        let outcomes = check(try JSONValue(parsing: String(result.stdout.split(separator: "\n").last ?? "")))
        // One identity on the command line: bob's steps are the refusals the service gives another account.
        #expect(outcomes.filter { $0.value != "ok" } == [
            "RejectEngagementInvitation": "AccessDeniedException", "AcceptEngagementInvitation": "AccessDeniedException",
        ], "\(outcomes)")
    }
}
