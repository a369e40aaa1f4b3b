import Core
import Scripting
import Testing

@Suite(.tags(.unit)) struct BuilderAndEnumTests {
    /// Runs `source` and returns the error text it failed with.
    func failure(_ source: String) async throws -> String {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(source)
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return ""
        }
        return message
    }

    @Test func anUnknownFieldFailsAtTheLineWithASuggestion() async throws {
        let message = try await failure("local x = 1\nlocal c = LeadCustomer{ Industy = \"Retail\" }\n")
        #expect(message.hasPrefix("test.lua:2: LeadCustomer: unknown field 'Industy' (did you mean 'Industry'?)\n"))
    }

    @Test func aBadEnumValueSuggestsTheNearest() async throws {
        let message = try await failure("LeadCustomer{ CompanyName = 'Acme', Industry = 'Retial' }")
        #expect(message.hasPrefix("test.lua:1: LeadCustomer.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)"))
    }

    @Test func wrongTypesAreNamed() async throws {
        let number = try await failure("LeadContact{ BusinessTitle = 'CTO', Email = 42 }")
        #expect(number.hasPrefix("test.lua:1: LeadContact.Email: expected a string, got a number (42)"))
        let nested = try await failure("LeadCustomer{ CompanyName = 'Acme', Address = 'Seattle' }")
        #expect(nested.hasPrefix("test.lua:1: LeadCustomer.Address: expected AddressSummary as an object (a table), got a string ('Seattle')"))
        let notTable = try await failure("LeadCustomer('Acme')")
        #expect(notTable.hasPrefix("test.lua:1: bad argument #1 to 'LeadCustomer' (table expected, got string)"))
        let formats = try await failure("LeadContact{ Email = 'Ada@Example' }")
        #expect(formats.contains("LeadContact.Email: 'Ada@Example' is not an email address"))
    }

    @Test(arguments: ["LeadContext", "UpdateLeadContext", "CustomerProjectsContext", "LeadCustomer", "EngagementCustomer",
        "AddressSummary", "LeadInteraction", "LeadContact", "EngagementCustomerProjectDetails"])
    func everyBuilderChecksItsShape(_ builder: String) async throws {
        let message = try await failure("\(builder){ Nonsense = 1 }")
        #expect(message.hasPrefix("test.lua:1: \(builder): unknown field 'Nonsense'"))
    }

    @Test func builtValuesPrintReadablyAndWorkAsPlainTables() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local address = AddressSummary{ CountryCode = "SE", City = "Örebro" }
            local e, c = engagement_with_lead()
            local built = LeadCustomer{ CompanyName = "Acme", Address = address, MarketSegment = MarketSegment["Large"] }
            update_context{ EngagementIdentifier = e.Id, ContextIdentifier = c.ContextId, EngagementLastModifiedAt = c.EngagementLastModifiedAt,
              Type = "Lead", Payload = { Lead = UpdateLeadContext{ Customer = built } } }
            return tostring(address), tostring(built), get_engagement(e.Id).Contexts[1].Payload.Lead.Customer.Address.City
            """#)
        #expect(outcome == .returned([
            #"AddressSummary{City = "Örebro", CountryCode = "SE"}"#,
            #"LeadCustomer{CompanyName = "Acme", Address = {City = "Örebro", CountryCode = "SE"}, MarketSegment = "Large"}"#,
            "Örebro",
        ]))
    }

    @Test func enumTablesIndexByValueAndIterateInModelOrder() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(#"""
            local seen = {}
            for _, value in ipairs(Industry) do seen[#seen + 1] = value end
            local paired = {}
            for _, value in pairs(MarketSegment) do paired[#paired + 1] = value end
            return Industry["Financial Services"], #Industry, seen[1], seen[28], #CountryCode, CountryCode.US,
              table.concat(paired, ","), EngagementContextType.Lead, #StateOrRegion, StateOrRegion["FPO, AP"]
            """#)
        #expect(outcome == .returned([
            "Financial Services", 28, "Aerospace", "Other", 249, "US", "Enterprise,Large,Medium,Small,Micro", "Lead", 62, "FPO, AP",
        ]))
    }

    @Test func aMissingEnumValueIsAnErrorNotNil() async throws {
        let missing = try await failure("local i = Industry.Retial")
        #expect(missing.hasPrefix("test.lua:1: Industry has no value 'Retial' (did you mean 'Retail'?)"))
        let readOnly = try await failure("Industry.Quantum = 'Quantum'")
        #expect(readOnly.hasPrefix("test.lua:1: Industry is read-only"))
    }
}
