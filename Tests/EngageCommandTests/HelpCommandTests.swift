import EngageTestSupport
import Foundation
import Testing

/// `help` as a script sees it: it writes to the process's standard output, so it is read from a real `engage run -`.
@Suite(.tags(.process)) struct HelpCommandTests {
    @Test(arguments: [
        ("help()", ["Operations", "create_context", "Builders", "Enum tables", "Industry (28)", "Helpers"]),
        ("help(update_context)", ["calls UpdateEngagementContext", "EngagementLastModifiedAt  [required]", "Example:", "update_context{"]),
        ("help('UpdateEngagementContext')", ["calls UpdateEngagementContext"]),
        ("help(LeadCustomer)", ["builds a LeadCustomer", "CompanyName  [required]", "LeadCustomer{ CompanyName = \"…\", Address = AddressSummary{ CountryCode = CountryCode[\"US\"] } }"]),
        ("help(Industry)", ["Aerospace", "Wholesale and Distribution"]),
        ("help(json.encode)", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help('json.decode')", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help(json)", ["json.encode(v [, pretty]), json.decode(s), json.null"]),
        ("help(log)", ["log(...): a line on standard error"]),
    ])
    func helpExplainsFromTheModel(call: String, expected: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-help-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try runEngage(["run", "-", "--store", folder.appendingPathComponent("s.sqlite").path], input: call).stdout
        for text in expected { #expect(output.contains(text), "\(call) lacks \(text):\n\(output)") }
    }
}
