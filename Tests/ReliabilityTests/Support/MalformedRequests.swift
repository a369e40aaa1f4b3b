import Foundation
import OrderedJSON

/// The hardening issue's malformed-request corpus (`Tests/Fixtures/malformed-requests/`, described in
/// EngageCommandTests/MalformedRequestCorpus.swift): each case's raw bytes, operation and expected codes. A
/// reduced copy of that loader, since test targets cannot import one another.
struct MalformedRequest {
    let name: String
    let body: Data
    let operation: String
    let codes: [String]

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/malformed-requests")

    static func all() throws -> [MalformedRequest] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".expect") }.map { String($0.dropLast(".expect".count)) }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: folder.appendingPathComponent(name + ".expect"), encoding: .utf8)
            var keys: [String: String] = [:]
            for line in text.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                keys[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            guard let operation = keys["operation"], let code = keys["code"] else { throw ReliabilityError("\(name).expect needs operation and code") }
            return MalformedRequest(name: name, body: try Data(contentsOf: folder.appendingPathComponent(name + ".json")),
                                    operation: operation, codes: code.split(separator: "|").map(String.init))
        }
    }

    /// The body with each `{{NAME}}` replaced by its value.
    func body(filling values: [String: String]) -> Data {
        var body = body
        for (name, value) in values {
            let placeholder = Data("{{\(name)}}".utf8)
            while let range = body.range(of: placeholder) { body.replaceSubrange(range, with: Data(value.utf8)) }
        }
        return body
    }

    /// The body as boto3 would send what `engage call` completes: the corpus leaves out `Catalog` (and a
    /// create's `ClientToken`), which engage fills in, so they are written in after the opening brace of a
    /// body that is an object and lacks them. The rest of the bytes, the malformation, stay as they are.
    func completed(_ body: Data) -> Data {
        guard let brace = body.firstIndex(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }), body[brace] == UInt8(ascii: "{") else { return body }
        var members: [String] = []
        if body.range(of: Data(#""Catalog""#.utf8)) == nil { members.append(#""Catalog": "Sandbox""#) }
        if operation.hasPrefix("Create"), body.range(of: Data(#""ClientToken""#.utf8)) == nil { members.append(#""ClientToken": "corpus-\#(name)""#) }
        guard !members.isEmpty else { return body }
        let isEmpty = body[(brace + 1)...].first { ![0x20, 0x0A, 0x0D, 0x09].contains($0) } == UInt8(ascii: "}")
        var completed = body
        completed.insert(contentsOf: Data((members.joined(separator: ", ") + (isEmpty ? "" : ", ")).utf8), at: brace + 1)
        return completed
    }

    /// Prepares, through the server, what the corpus refers to (as the corpus's own CorpusStore does through
    /// `engage call`): an engagement with a Lead context "1" and a CustomerProject context "2", and an
    /// engagement of the AWS catalog. Returns the placeholders' values.
    static func prepare(through client: ServiceClient) throws -> [String: String] {
        let engagement = try client.succeed("CreateEngagement", [
            "Catalog": "Sandbox", "ClientToken": "corpus", "Title": "Corpus", "Description": "What the malformed requests refer to"])
        let id = engagement["Id"]?.stringValue ?? ""
        _ = try client.succeed("CreateEngagementContext", try JSONValue(parsing: #"""
            {"Catalog": "Sandbox", "ClientToken": "corpus-lead", "EngagementIdentifier": "\#(id)", "Type": "Lead", "Payload": {"Lead": {
              "Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}},
              "Interactions": [{"SourceType": "Event", "SourceId": "e1", "SourceName": "Summit", "CustomerAction": "Asked for a demo",
                "Contact": {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}}]}}}
            """#))
        _ = try client.succeed("CreateEngagementContext", try JSONValue(parsing: #"""
            {"Catalog": "Sandbox", "ClientToken": "corpus-project", "EngagementIdentifier": "\#(id)", "Type": "CustomerProject", "Payload": {"CustomerProject": {
              "Customer": {"Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example", "CountryCode": "US"},
              "Project": {"Title": "Data lake", "BusinessProblem": "Reports take a day to run on the old warehouse.", "TargetCompletionDate": "2026-03-31"}}}}
            """#))
        let modifiedAt = try client.succeed("GetEngagement", Requests.get(id))["ModifiedAt"]?.stringValue ?? ""
        let other = try client.succeed("CreateEngagement", ["Catalog": "AWS", "ClientToken": "corpus-aws", "Title": "Other catalog", "Description": "x"])
        return ["ENGAGEMENT_ID": id, "ENGAGEMENT_ARN": engagement["Arn"]?.stringValue ?? "", "MODIFIED_AT": modifiedAt,
                "AWS_ENGAGEMENT_ARN": other["Arn"]?.stringValue ?? ""]
    }
}
