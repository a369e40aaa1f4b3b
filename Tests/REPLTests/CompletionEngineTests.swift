import Core
import REPL
import Testing

@Suite(.tags(.unit)) struct CompletionEngineTests {
    @Test func everyCountryCodeIsOfferedQuotedInOrder() {
        let completion = CompletionEngine.complete(#"AddressSummary{ CountryCode = ""#, context: CompletionContext())
        let codes = CountryCode.allCases.map(\.rawValue).sorted()
        #expect(codes.count == 249)
        #expect(completion.display == codes)
        #expect(completion.candidates == codes.map { "\"\($0)\"" })
        #expect(completion.replace == 30..<31)
        #expect(CompletionEngine.commonPrefix(completion.candidates) == "\"")
    }

    @Test func replaceRangeCountsUTF8BytesNotCharacters() {
        let text = #"log("héllo → ünïcode") LeadCustomer{ Comp"#
        let completion = CompletionEngine.complete(text, context: CompletionContext())
        let start = text.utf8.count - "Comp".utf8.count
        #expect(completion.candidates == ["CompanyName = "])
        #expect(completion.replace == start..<text.utf8.count)
    }

    @Test func nothingToCompleteReplacesNothing() {
        let none = { (text: String) in Completion(replace: text.utf8.count..<text.utf8.count, candidates: [], display: []) }
        for text in ["xyzzy", "LeadCustomer{ Industry = \"Nothing", "-- Comp", "nosuchtable.x", "x = 12"] {
            #expect(CompletionEngine.complete(text, context: CompletionContext()) == none(text))
        }
    }

    @Test func commonPrefixIsWhatOneTabInserts() {
        #expect(CompletionEngine.commonPrefix([]) == "")
        #expect(CompletionEngine.commonPrefix(["\"ZA\""]) == "\"ZA\"")
        #expect(CompletionEngine.commonPrefix(["\"New Hampshire\"", "\"New Jersey\"", "\"New York\""]) == "\"New ")
        #expect(CompletionEngine.commonPrefix(["abc", "xyz"]) == "")
    }

    @Test func theSessionsFieldsWinOverTheBuiltInLibraryNames() {
        let context = CompletionContext(fields: ["string": ["format", "trim"]])
        #expect(CompletionEngine.complete("string.t", context: context).candidates == ["trim"])
        #expect(CompletionEngine.complete("string.t", context: CompletionContext()).candidates == [])
    }

    @Test func theSessionsGlobalsAreOfferedBesideEngagesOwn() {
        let context = CompletionContext(globals: ["customers", "count"])
        #expect(CompletionEngine.complete("cou", context: context).candidates == ["count"])
        #expect(CompletionEngine.complete("co", context: context).display == ["collectgarbage", "coroutine", "count"])
    }

    @Test func anIdSeenTwiceIsListedOnceWhereItWasLastSeen() {
        let context = CompletionContext(engagementIds: ["eng-a", "eng-b", "eng-a"])
        #expect(CompletionEngine.complete(#"get_engagement(""#, context: context).display == ["eng-b", "eng-a"])
    }

    @Test func aValueWithTheOpeningQuoteInsideIsEscaped() {
        // No enum value has a quote today; an engagement id stands in for one that would.
        let context = CompletionContext(engagementIds: [#"it's"#])
        #expect(CompletionEngine.complete("get_engagement('", context: context).candidates == [#"'it\'s'"#])
    }

    /// Every prefix of a realistic session, cut at each character, completes without trapping and with a
    /// range inside the text: the user may press TAB anywhere.
    @Test func everyPrefixOfAScriptCompletesWithinTheText() {
        let script = #"""
        local e = create_engagement{ Title = "Ünïcode — test", Description = [==[ long ]] text ]==],
          Contexts = { { Type = "Lead", Payload = { Lead = LeadContext{ Customer = LeadCustomer{
            Industry = Industry["Financial Services"], CompanyName = 'O\'Brien', -- a comment
            Address = AddressSummary{ CountryCode = CountryCode.ZA, StateOrRegion = "New York" } } } } } } }
        --[[ block ]] print(e.Id, string.format("%q", e.Arn)) get_engagement "x" ))) }} ]] [[ unfinished
        """#
        let context = CompletionContext(globals: ["e"], fields: ["e": ["Id", "Arn"]], engagementIds: ["x"])
        var prefix = ""
        for character in script {
            prefix.append(character)
            let completion = CompletionEngine.complete(prefix, context: context)
            #expect(completion.replace.lowerBound >= 0 && completion.replace.upperBound == prefix.utf8.count)
            #expect(completion.candidates.count == completion.display.count)
        }
    }
}
