import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

@Suite(.tags(.process)) struct DescribeCommandTests {
    @Test func anEnumPrintsItsValuesOnePerLine() throws {
        let result = try runEngage("describe", "Industry")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 28)
        #expect(lines.first == "Aerospace")
        #expect(lines.contains("Financial Services"))
        #expect(result.stderr.isEmpty)
    }

    @Test func anEnumInJSONIsOneDocumentWithEveryValue() throws {
        let result = try runEngage("describe", "CountryCode", "--output", "json")
        #expect(result.status == 0)
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["name"] == "CountryCode")
        #expect(document["kind"] == "enum")
        #expect(document["values"]?.arrayValue?.count == 249)
        #expect(document["values"]?.arrayValue?.first == "US")
    }

    @Test func aStructureShowsMembersWithRequirementTypeAndDocumentation() throws {
        let result = try runEngage("describe", "LeadCustomer")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("LeadCustomer (structure)\n"))
        #expect(result.stdout.contains("CompanyName  [required]  string, 1 to 120 characters, sensitive"))
        #expect(result.stdout.contains("Industry  [optional]  Industry (enum, 28 values)"))
        #expect(result.stdout.contains("Address  [required]  AddressSummary (structure)"))
        #expect(result.stdout.contains("The name of the lead customer's company."))
    }

    @Test func aStructureInJSONListsMembersInModelOrder() throws {
        let result = try runEngage("describe", "LeadCustomer", "--output", "json")
        let document = try JSONValue(parsing: result.stdout)
        let members = document["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0["name"]?.stringValue } == ["Industry", "CompanyName", "WebsiteUrl", "Address", "AwsMaturity", "MarketSegment"])
        #expect(members.first { $0["name"] == "CompanyName" }?["required"] == true)
    }

    @Test func aUnionSaysExactlyOneMemberIsSet() throws {
        let result = try runEngage("describe", "EngagementContextPayload")
        #expect(result.stdout.hasPrefix("EngagementContextPayload (union: exactly one member is set)"))
    }

    @Test func anOperationShowsItsInputMembers() throws {
        let result = try runEngage("describe", "UpdateEngagementContext")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Input:  UpdateEngagementContextRequest"))
        #expect(result.stdout.contains("EngagementLastModifiedAt  [required]  timestamp"))
    }

    @Test func stateOrRegionListsTheDocumentedValues() throws {
        let result = try runEngage("describe", "StateOrRegion")
        #expect(result.stdout.split(separator: "\n").count == 62)
        #expect(result.stdout.contains("\nWashington\n"))
    }

    @Test func namesMatchIgnoringCase() throws {
        let result = try runEngage("describe", "leadcustomer")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("LeadCustomer (structure)"))
    }

    @Test func anUnknownNameFailsWithASuggestion() throws {
        let result = try runEngage("describe", "Industy")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no shape, operation or value set named 'Industy' (did you mean 'Industry'?)"))
    }

    @Test func everyShapeOfTheModelIsDescribed() throws {
        let result = try runEngage("describe", "OpportunitySummary")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("OpportunitySummary (structure)"), "\(result.stdout)")
    }

    @Test func helpReadsWell() throws {
        let root = try runEngage("--help")
        #expect(root.status == 0)
        #expect(root.stdout.contains("describe"))
        let describe = try runEngage("describe", "--help")
        #expect(describe.status == 0)
        #expect(describe.stdout.contains("--output <output>"))
        #expect(describe.stdout.contains("(values: text, json; default: text)"))
    }
}
