@testable import Core
import CoreTestSupport
import Testing

/// One bad input: which request, what to change, and the single issue the validator must report.
struct BadInput: Sendable, CustomTestStringConvertible {
    let request: JSONValue
    let shape: String
    let path: [Step]
    let value: JSONValue?
    let code: ValidationExceptionErrorCode
    let fieldName: String
    let messageContains: String

    init(
        _ request: JSONValue = Fixtures.createLeadContext, as shape: String = "CreateEngagementContextRequest",
        set path: [Step], to value: JSONValue?, _ code: ValidationExceptionErrorCode, at fieldName: String, saying message: String
    ) {
        self.request = request
        self.shape = shape
        self.path = path
        self.value = value
        self.code = code
        self.fieldName = fieldName
        self.messageContains = message
    }

    var testDescription: String { "\(fieldName) = \(value.map { $0.serialized() }.map { $0.count > 40 ? String($0.prefix(40)) + "…" : $0 } ?? "(removed)")" }
}

let customer: [Step] = ["Payload", "Lead", "Customer"]
let interaction: [Step] = ["Payload", "Lead", "Interactions", 0]
let contact: [Step] = interaction + ["Contact"]
let project: [Step] = ["Contexts", 0, "Payload", "CustomerProject"]

func repeated(_ text: String, _ count: Int) -> JSONValue { .string(String(repeating: text, count: count)) }
func interactions(_ count: Int) -> JSONValue { .array(Array(repeating: Fixtures.leadInteraction, count: count)) }

@Suite(.tags(.unit)) struct ValidationTests {
    @Test func validRequestsHaveNoIssues() {
        #expect(ModelValidator.validate(Fixtures.createLeadContext, as: "CreateEngagementContextRequest").isEmpty)
        #expect(ModelValidator.validate(Fixtures.updateLeadContext, as: "UpdateEngagementContextRequest").isEmpty)
        #expect(ModelValidator.validate(Fixtures.createEngagement, as: "CreateEngagementRequest").isEmpty)
        #expect(ModelValidator.validate(Fixtures.listEngagements, as: "ListEngagementsRequest").isEmpty)
        #expect(ModelValidator.validate(["Catalog": "AWS", "Identifier": "eng-abcdefghij0123"], as: "GetEngagementRequest").isEmpty)
    }

    static let requiredFields: [BadInput] = [
        BadInput(set: ["Catalog"], to: nil, .requiredFieldMissing, at: "Catalog", saying: "required field 'Catalog'"),
        BadInput(set: customer + ["CompanyName"], to: nil, .requiredFieldMissing, at: "Payload.Lead.Customer.CompanyName", saying: "of LeadCustomer is missing"),
        BadInput(set: contact + ["Email"], to: .null, .requiredFieldMissing, at: "Payload.Lead.Interactions[0].Contact.Email", saying: "'Email'"),
        BadInput(set: ["Payload", "Lead", "Interactions"], to: nil, .requiredFieldMissing, at: "Payload.Lead.Interactions", saying: "'Interactions'"),
        BadInput(Fixtures.updateLeadContext, as: "UpdateEngagementContextRequest", set: ["EngagementLastModifiedAt"], to: nil, .requiredFieldMissing, at: "EngagementLastModifiedAt", saying: "missing"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: project + ["Project", "TargetCompletionDate"], to: nil, .requiredFieldMissing, at: "Contexts[0].Payload.CustomerProject.Project.TargetCompletionDate", saying: "missing"),
    ]

    static let enumValues: [BadInput] = [
        BadInput(set: customer + ["Industry"], to: "Retial", .invalidEnumValue, at: "Payload.Lead.Customer.Industry", saying: "'Retial' is not a valid Industry (did you mean 'Retail'?)"),
        BadInput(set: customer + ["Industry"], to: "financial services", .invalidEnumValue, at: "Payload.Lead.Customer.Industry", saying: "did you mean 'Financial Services'?"),
        BadInput(set: customer + ["Address", "CountryCode"], to: "Germany", .invalidEnumValue, at: "Payload.Lead.Customer.Address.CountryCode", saying: "`engage describe CountryCode` lists the 249 valid values"),
        BadInput(set: ["Type"], to: "lead", .invalidEnumValue, at: "Type", saying: "did you mean 'Lead'?"),
        BadInput(set: customer + ["MarketSegment"], to: "Huge", .invalidEnumValue, at: "Payload.Lead.Customer.MarketSegment", saying: "valid values are Enterprise, Large, Medium, Small, Micro"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["Sort", "SortOrder"], to: "DESC", .invalidEnumValue, at: "Sort.SortOrder", saying: "SortOrder"),
    ]

    static let stringFormats: [BadInput] = [
        BadInput(set: contact + ["Email"], to: "jane.doe@", .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Email", saying: "'jane.doe@' is not an email address"),
        BadInput(set: contact + ["Email"], to: "Jane.Doe@Acme.example", .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Email", saying: "not an email address"),
        BadInput(set: contact + ["Email"], to: .string(String(repeating: "a", count: 69) + "@acme.example"), .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Email", saying: "at most 80 characters"),
        BadInput(set: contact + ["Phone"], to: "4155550100", .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Phone", saying: "E.164"),
        BadInput(set: contact + ["Phone"], to: "+0155550100", .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Phone", saying: "E.164"),
        BadInput(set: contact + ["Phone"], to: "+1415555010012345", .invalidStringFormat, at: "Payload.Lead.Interactions[0].Contact.Phone", saying: "E.164"),
        BadInput(set: customer + ["WebsiteUrl"], to: "not a url", .invalidStringFormat, at: "Payload.Lead.Customer.WebsiteUrl", saying: "website address"),
        BadInput(set: customer + ["WebsiteUrl"], to: "a.b", .invalidStringFormat, at: "Payload.Lead.Customer.WebsiteUrl", saying: "website address"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: project + ["Project", "TargetCompletionDate"], to: "2026-13-01", .invalidStringFormat, at: "Contexts[0].Payload.CustomerProject.Project.TargetCompletionDate", saying: "YYYY-MM-DD"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: project + ["Project", "TargetCompletionDate"], to: "31/03/2026", .invalidStringFormat, at: "Contexts[0].Payload.CustomerProject.Project.TargetCompletionDate", saying: "YYYY-MM-DD"),
        BadInput(set: ["EngagementIdentifier"], to: "eng-ABC", .invalidStringFormat, at: "EngagementIdentifier", saying: "engagement id"),
        BadInput(set: ["Catalog"], to: "Sand box", .invalidStringFormat, at: "Catalog", saying: "letters"),
        BadInput(set: interaction + ["InteractionDate"], to: "yesterday", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate", saying: "ISO 8601"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30 14:05:09Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate", saying: "ISO 8601"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T14:05:09.1234567890Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate", saying: "ISO 8601"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T14:05:09", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate", saying: "ISO 8601"),
    ]

    static let lengths: [BadInput] = [
        BadInput(set: customer + ["CompanyName"], to: repeated("x", 121), .invalidStringFormat, at: "Payload.Lead.Customer.CompanyName", saying: "must be 1 to 120 characters, got 121"),
        BadInput(set: customer + ["CompanyName"], to: "", .invalidStringFormat, at: "Payload.Lead.Customer.CompanyName", saying: "must be 1 to 120 characters, got 0"),
        BadInput(set: customer + ["CompanyName"], to: repeated("é", 121), .invalidStringFormat, at: "Payload.Lead.Customer.CompanyName", saying: "got 121"),
        BadInput(set: customer + ["CompanyName"], to: repeated("😀", 121), .invalidStringFormat, at: "Payload.Lead.Customer.CompanyName", saying: "got 121"),
        BadInput(set: customer + ["CompanyName"], to: repeated("東京", 61), .invalidStringFormat, at: "Payload.Lead.Customer.CompanyName", saying: "got 122"),
        BadInput(set: customer + ["Address", "PostalCode"], to: repeated("9", 21), .invalidStringFormat, at: "Payload.Lead.Customer.Address.PostalCode", saying: "at most 20 characters, got 21"),
        BadInput(set: interaction + ["BusinessProblem"], to: repeated("p", 19), .invalidStringFormat, at: "Payload.Lead.Interactions[0].BusinessProblem", saying: "must be 20 to 2000 characters, got 19"),
        BadInput(set: interaction + ["BusinessProblem"], to: repeated("ß", 2001), .invalidStringFormat, at: "Payload.Lead.Interactions[0].BusinessProblem", saying: "got 2001"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: ["Title"], to: repeated("t", 41), .invalidStringFormat, at: "Title", saying: "must be 1 to 40 characters, got 41"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: ["Description"], to: repeated("d", 256), .invalidStringFormat, at: "Description", saying: "at most 255 characters, got 256"),
        BadInput(set: ["ClientToken"], to: "two\nlines", .invalidStringFormat, at: "ClientToken", saying: "must be a single line"),
    ]

    static let listSizes: [BadInput] = [
        BadInput(set: ["Payload", "Lead", "Interactions"], to: [], .notEnoughValues, at: "Payload.Lead.Interactions", saying: "has 0 items; at least 1 is required"),
        BadInput(set: ["Payload", "Lead", "Interactions"], to: interactions(11), .tooManyValues, at: "Payload.Lead.Interactions", saying: "has 11 items; at most 10 are allowed"),
        BadInput(Fixtures.createEngagement, as: "CreateEngagementRequest", set: ["Contexts"], to: .array(Array(repeating: Fixtures.customerProjectContext, count: 6)), .tooManyValues, at: "Contexts", saying: "at most 5"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["EngagementIdentifier"], to: [], .notEnoughValues, at: "EngagementIdentifier", saying: "at least 1"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["EngagementIdentifier"], to: .array(Array(repeating: "eng-0123456789abcd", count: 11)), .tooManyValues, at: "EngagementIdentifier", saying: "at most 10"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["ContextTypes"], to: .array(Array(repeating: "Lead", count: 6)), .tooManyValues, at: "ContextTypes", saying: "at most 5"),
    ]

    static let integers: [BadInput] = [
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["MaxResults"], to: 0, .valueOutOfRange, at: "MaxResults", saying: "must be between 1 and 100, got 0"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["MaxResults"], to: 101, .valueOutOfRange, at: "MaxResults", saying: "got 101"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["MaxResults"], to: "10", .invalidValue, at: "MaxResults", saying: "expected an integer, got a string ('10')"),
        BadInput(Fixtures.listEngagements, as: "ListEngagementsRequest", set: ["MaxResults"], to: 1.5, .invalidValue, at: "MaxResults", saying: "expected an integer"),
    ]

    static let typesAndNames: [BadInput] = [
        BadInput(set: customer + ["CompanyName"], to: 42, .invalidValue, at: "Payload.Lead.Customer.CompanyName", saying: "expected a string, got a number (42)"),
        BadInput(set: customer, to: "Acme", .invalidValue, at: "Payload.Lead.Customer", saying: "expected LeadCustomer as an object"),
        BadInput(set: ["Payload", "Lead", "Interactions"], to: ["first": Fixtures.leadInteraction], .invalidValue, at: "Payload.Lead.Interactions", saying: "expected a list, got an object"),
        BadInput(set: customer + ["Industy"], to: "Retail", .invalidValue, at: "Payload.Lead.Customer.Industy", saying: "unknown field 'Industy' in LeadCustomer (did you mean 'Industry'?)"),
        BadInput(set: ["Payload", "Lead", "Interactionz"], to: [], .invalidValue, at: "Payload.Lead.Interactionz", saying: "did you mean 'Interactions'?"),
        BadInput(set: ["Colour"], to: "red", .invalidValue, at: "Colour", saying: "unknown field 'Colour' in CreateEngagementContextRequest"),
        BadInput(Fixtures.updateLeadContext, as: "UpdateEngagementContextRequest", set: ["EngagementLastModifiedAt"], to: 1_751_356_800, .invalidValue, at: "EngagementLastModifiedAt", saying: "expected an ISO 8601 timestamp string"),
    ]

    static let timestamps: [BadInput] = [
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T23:59:60Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "'2025-06-30T23:59:60Z' is not a real instant: the second must be 00 to 59 (leap seconds are not accepted)"),
        BadInput(set: interaction + ["InteractionDate"], to: "0000-01-01T00:00:00Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "is not a real instant: the year must be 0001 to 9999"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-02-29T10:00:00Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "is not a real instant: 2025-02 has 28 days"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-13-01T10:00:00Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "the month must be 01 to 12"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T24:00:00Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "the hour must be 00 to 23"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T10:60:00Z", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "the minute must be 00 to 59"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30T10:00:00+14:60", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "the offset must be -23:59 to +23:59"),
        BadInput(set: interaction + ["InteractionDate"], to: "0001-01-01T00:30:00+01:00", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "in UTC it falls before 0001-01-01"),
        BadInput(set: interaction + ["InteractionDate"], to: "9999-12-31T23:30:00-01:00", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "in UTC it falls after 9999-12-31"),
        BadInput(set: interaction + ["InteractionDate"], to: "2025-06-30 10:00:00", .invalidStringFormat, at: "Payload.Lead.Interactions[0].InteractionDate",
                 saying: "is not an ISO 8601 date-time such as 2025-06-30T14:05:09.123456Z"),
        BadInput(Fixtures.updateLeadContext, as: "UpdateEngagementContextRequest", set: ["EngagementLastModifiedAt"], to: "2025-06-31T00:00:00Z",
                 .invalidStringFormat, at: "EngagementLastModifiedAt", saying: "2025-06 has 30 days"),
    ]

    static let unions: [BadInput] = [
        BadInput(set: ["Payload"], to: [:], .requiredFieldMissing, at: "Payload", saying: "exactly one of CustomerProject, Lead must be set in EngagementContextPayload; none is"),
        BadInput(set: ["Payload", "Lead"], to: .null, .requiredFieldMissing, at: "Payload", saying: "none is"),
        BadInput(set: ["Payload", "CustomerProject"], to: Fixtures.customerProjectContext["Payload"]!["CustomerProject"]!, .tooManyValues, at: "Payload", saying: "found CustomerProject and Lead"),
        BadInput(Fixtures.updateLeadContext, as: "UpdateEngagementContextRequest", set: ["Payload"], to: [:], .requiredFieldMissing, at: "Payload", saying: "exactly one of Lead, CustomerProject"),
    ]

    @Test(arguments: requiredFields + enumValues + stringFormats + lengths + listSizes + integers + typesAndNames + timestamps + unions)
    func eachBadInputIsReportedWithItsCodeAndPath(_ bad: BadInput) {
        let request = bad.request.setting(bad.path, to: bad.value)
        let issues = ModelValidator.validate(request, as: bad.shape)
        #expect(issues.count == 1, "\(issues)")
        guard let issue = issues.first else { return }
        #expect(issue.code == bad.code)
        #expect(issue.fieldName == bad.fieldName)
        #expect(issue.message.contains(bad.messageContains), "message: \(issue.message)")
    }

    static let valuesAtTheEdge: [(String, [Step], JSONValue)] = [
        ("CreateEngagementContextRequest", customer + ["CompanyName"], repeated("x", 120)),
        ("CreateEngagementContextRequest", customer + ["CompanyName"], repeated("é", 120)),
        ("CreateEngagementContextRequest", customer + ["CompanyName"], repeated("😀", 120)),
        ("CreateEngagementContextRequest", customer + ["CompanyName"], "x"),
        ("CreateEngagementContextRequest", customer + ["CompanyName"], "line one\nline two"),
        ("CreateEngagementContextRequest", customer + ["Address", "PostalCode"], repeated("9", 20)),
        ("CreateEngagementContextRequest", customer + ["Address", "PostalCode"], ""),
        ("CreateEngagementContextRequest", customer + ["Address", "CountryCode"], "IN"),
        ("CreateEngagementContextRequest", customer + ["Address", "StateOrRegion"], "Somewhere not listed"),
        ("CreateEngagementContextRequest", interaction + ["BusinessProblem"], repeated("p", 20)),
        ("CreateEngagementContextRequest", interaction + ["BusinessProblem"], repeated("ß", 2000)),
        ("CreateEngagementContextRequest", interaction + ["InteractionDate"], "2025-06-30T14:05:09Z"),
        ("CreateEngagementContextRequest", interaction + ["InteractionDate"], "2025-06-30T16:05:09.5+02:00"),
        ("CreateEngagementContextRequest", contact + ["Email"], .string(String(repeating: "a", count: 67) + "@acme.example")),
        ("CreateEngagementContextRequest", contact + ["Phone"], "+141555501001234"),
        ("CreateEngagementContextRequest", customer + ["WebsiteUrl"], "acme.io"),
        ("CreateEngagementContextRequest", ["Payload", "Lead", "Interactions"], interactions(10)),
        ("CreateEngagementContextRequest", ["ClientToken"], repeated("k", 255)),
        ("CreateEngagementContextRequest", customer + ["Industry"], .null),
        ("CreateEngagementRequest", ["Title"], repeated("t", 40)),
        ("CreateEngagementRequest", ["Contexts"], .array(Array(repeating: Fixtures.customerProjectContext, count: 5))),
        ("ListEngagementsRequest", ["MaxResults"], 1),
        ("ListEngagementsRequest", ["MaxResults"], 100),
        ("ListEngagementsRequest", ["EngagementIdentifier"], .array(Array(repeating: "eng-0123456789abcd", count: 10))),
    ]

    @Test(arguments: valuesAtTheEdge.indices)
    func valuesAtTheLimitsAreAccepted(_ index: Int) {
        let (shape, path, value) = Self.valuesAtTheEdge[index]
        let base: JSONValue = switch shape {
        case "CreateEngagementRequest": Fixtures.createEngagement
        case "ListEngagementsRequest": Fixtures.listEngagements
        default: Fixtures.createLeadContext
        }
        let issues = ModelValidator.validate(base.setting(path, to: value), as: shape)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func everyViolationIsReportedNotOnlyTheFirst() {
        let request = Fixtures.createLeadContext
            .setting(["Catalog"], to: nil)
            .setting(customer + ["Industry"], to: "Retial")
            .setting(contact + ["Email"], to: "nope")
            .setting(["Payload", "Lead", "Interactions"], to: .array(Array(repeating: Fixtures.leadInteraction.setting(["Contact", "Email"], to: "nope"), count: 11)))
        let issues = ModelValidator.validate(request, as: "CreateEngagementContextRequest")
        let codes = issues.map(\.code)
        #expect(codes.filter { $0 == .requiredFieldMissing }.count == 1)
        #expect(codes.filter { $0 == .invalidEnumValue }.count == 1)
        #expect(codes.filter { $0 == .tooManyValues }.count == 1)
        #expect(codes.filter { $0 == .invalidStringFormat }.count == 11)
        #expect(issues.contains { $0.fieldName == "Payload.Lead.Interactions[10].Contact.Email" })
    }

    @Test func aTypedRequestIsCheckedThroughItsWireForm() throws {
        var request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        #expect(ModelValidator.validate(request, as: "CreateEngagementContextRequest").isEmpty)
        guard case .lead(var lead) = request.payload else {
            Issue.record("expected a Lead payload")
            return
        }
        lead.customer.industry = .unknown("Retial")
        request.payload = .lead(lead)
        let issues = ModelValidator.validate(request, as: "CreateEngagementContextRequest")
        #expect(issues.map(\.description) == ["Payload.Lead.Customer.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)"])
    }

    /// The length shortcut must agree with the model's regular expression on every length pattern.
    @Test func lengthShortcutAgreesWithTheRegularExpression() {
        let shapes = ServiceModel.shapeList.compactMap { shape -> (name: String, pattern: String)? in
            if case .string(let string) = shape.kind, let pattern = string.pattern, LengthPattern(pattern) != nil { return (shape.name, pattern) }
            return nil
        }
        #expect(shapes.count > 15)
        for (shape, pattern) in shapes {
            let bounds = LengthPattern(pattern)!
            for length in [bounds.min - 1, bounds.min, bounds.max, bounds.max + 1] where length >= 0 {
                for unit in ["a", "é", "😀", "東", "\n"] {
                    let text = String(repeating: unit, count: length)
                    let shortcut = PatternMatcher.shared.problem(with: text, shape: shape) == nil
                    #expect(shortcut == PatternMatcher.shared.regexMatches(text, pattern: pattern), "\(pattern) on \(length) × \(unit.debugDescription)")
                }
            }
        }
    }

    @Test(arguments: [
        ("Industy", ["Industry", "CompanyName"], "Industry"),
        ("Retial", Industry.allCases.map(\.rawValue), "Retail"),
        ("companyname", ["Industry", "CompanyName"], "CompanyName"),
        ("Financial", Industry.allCases.map(\.rawValue), "Financial Services"),
        ("Cstomer", ["Customer", "Interactions"], "Customer"),
    ])
    func typosSuggestTheNearestName(_ input: String, _ candidates: [String], _ expected: String) {
        #expect(Suggestion.nearest(to: input, among: candidates) == expected)
    }

    @Test func unrelatedWordsSuggestNothing() {
        #expect(Suggestion.nearest(to: "Banana", among: ["Industry", "CompanyName"]) == nil)
        #expect(Suggestion.nearest(to: "Zz", among: CountryCode.allCases.map(\.rawValue)) == nil)
    }

    @Test func everyUnknownNameMessageEndsWithTheSameSuggestionSuffix() {
        #expect(Suggestion.hint(for: "Industy", among: ["Industry", "CompanyName"]) == " (did you mean 'Industry'?)")
        #expect(Suggestion.hint(for: "Banana", among: ["Industry", "CompanyName"]) == "")
        #expect(Suggestion.didYouMean("Retail") == " (did you mean 'Retail'?)")
    }
}
