import EngageTestSupport
import Foundation
@testable import Scripting
import Testing

/// `help` as a script sees it: it writes to the process's standard output, so it is read from a real `engage run -`.
@Suite(.tags(.process)) struct HelpCommandTests {
    @Test(arguments: [
        ("help()", ["Operations", "create_context", "Builders", "Enum tables", "Industry (28)", "Helpers"]),
        ("help()", ["  opportunities:\n    assign_opportunity, associate_opportunity, create_opportunity,", "  tags:\n    list_tags_for_resource, tag_resource, untag_resource",
                    "  contexts:\n    create_engagement_context (create_context), update_engagement_context (update_context)", "CurrencyCode (168)"]),
        ("help(update_engagement_context)", ["update_engagement_context or update_context{...}  calls UpdateEngagementContext"]),
        ("help(create_opportunity)", ["create_opportunity{...}  calls CreateOpportunity", "Customer  [optional]  Customer (structure)", "o = create_opportunity{ Origin = "]),
        ("help(get_opportunity)", ["Identifier  [required]  string, an opportunity id: O and 1 to 19 digits", "get_opportunity(id)   -- or get_opportunity{ Identifier = id }"]),
        ("help(submit_opportunity)", ["Output: none: the service answers {}", "submit_opportunity{ Identifier = \"…\", InvolvementType = SalesInvolvementType[\"For Visibility Only\"] }"]),
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

    /// The calls help() offers to paste are valid requests: run on the sandbox, they pass every check, the
    /// sandbox's business rules included, and create what they say.
    @Test func theOpportunityExamplePassesValidation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-help-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let example = try #require(Bridge.operationExamples["CreateOpportunity"])
        let result = try runEngage(
            ["run", "-", "--store", folder.appendingPathComponent("s.sqlite").path],
            input: example + "\nprint(get_opportunity(o.Id).LifeCycle.ReviewStatus)")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Pending Submission\n")
    }
}
