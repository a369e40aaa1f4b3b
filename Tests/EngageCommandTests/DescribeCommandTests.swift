import Core
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

    /// `--list` names every operation and every shape of the model (and the value sets the documentation
    /// lists), and each of them describes.
    @Test func theListNamesEveryOperationAndShapeOfTheModel() throws {
        let listed = try runEngage("describe", "--list")
        #expect(listed.status == 0)
        let names = Set(listed.stdout.split(separator: "\n").map(String.init))
        #expect(names.isSuperset(of: ServiceModel.operations.map(\.name)))
        #expect(names.isSuperset(of: ServiceModel.shapeList.map(\.name)))
        #expect(names.count == 42 + 381 + ServiceModel.documentedValueSets.count)
        let firstLines = [
            "CreateOpportunity": "CreateOpportunity (operation)", "Receiver": "Receiver (union: exactly one member is set)",
            "StartEngagementFromOpportunityTaskResponse": "StartEngagementFromOpportunityTaskResponse (structure)",
            "AmountMap": "AmountMap: map of string to string, an amount", "CurrencyCode": "USD",
        ]
        for (name, firstLine) in firstLines {
            let described = try runEngage("describe", name)
            #expect(described.status == 0 && described.stdout.hasPrefix(firstLine), "\(name): \(described.stdout.prefix(80))")
        }
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
