import Core
import Scripting
import Testing

@Suite(.tags(.unit)) struct HelperTests {
    @Test func jsonEncodesListsAsArraysAndNamesAsObjects() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(#"""
            local text = json.encode({ b = { 1, 2, 3 }, a = { x = true }, c = "é\n" })
            local back = json.decode('{"list": [1, 2.5, "three"], "nested": {"k": null}, "empty": []}')
            local ok, err = pcall(json.decode, '{"a": }')
            local ok2, err2 = pcall(json.encode, { print })
            return text, #back.list, back.list[2], back.nested.k == nil, ok, err, ok2, err2
            """#)
        #expect(outcome == .returned([
            #"{"a":{"x":true},"b":[1,2,3],"c":"é\n"}"#, 3, 2.5, true, false,
            "json.decode: JSON line 1, column 7, at a: unexpected '}', expected a value", false,
            "json.encode: cannot encode a function at [0]",
        ]))
    }

    @Test func csvHandlesQuotedCommasEmbeddedNewlinesAndAByteOrderMark() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let path = try fixture.file("leads.csv", "\u{FEFF}Company,Notes,Country\r\n\"Acme, Inc.\",\"line one\nline two\",US\r\nGlobex,\"said \"\"hi\"\"\",DE\r\n")
        let outcome = await fixture.run(#"""
            local rows = read_csv(...)
            return #rows, rows[1].Company, rows[1].Notes, rows[1].Country, rows[1]._line, rows[2].Notes, rows[2]._line
            """#, arguments: [path])
        #expect(outcome == .returned([2, "Acme, Inc.", "line one\nline two", "US", 2, #"said "hi""#, 4]))
    }

    @Test func csvErrorsNameTheFileAndLine() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let short = try fixture.file("short.csv", "a,b,c\n1,2,3\n4,5\n")
        let open = try fixture.file("open.csv", "a,b\n1,\"never closed\n")
        let outcome = await fixture.run(#"""
            local short, open = ...
            local ok, err = pcall(read_csv, short)
            local ok2, err2 = pcall(read_csv, open)
            local ok3, err3 = pcall(read_csv, "/nonexistent/file.csv")
            return err, err2, err3
            """#, arguments: [short, open])
        #expect(outcome == .returned([
            .string("read_csv: \(short):3: 2 fields, but the header has 3"),
            .string("read_csv: \(open):2: a quoted field is never closed"),
            "read_csv: cannot read /nonexistent/file.csv",
        ]))
    }

    @Test func readJSONUuidNowAndSleep() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let path = try fixture.file("lead.json", #"{"CompanyName": "Acme", "Address": {"CountryCode": "US"}}"#)
        let outcome = await fixture.run(#"""
            local customer = LeadCustomer(read_json(...))
            local id = uuid()
            local before = os.clock()
            sleep(5)
            return customer.Address.CountryCode, #id, id ~= uuid(), now():match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%d%d%d%dZ$") ~= nil
            """#, arguments: [path])
        #expect(outcome == .returned(["US", 36, true, true]))
    }

    /// `s:sub(1, 40)` cuts bytes and can split a character; `truncate` counts characters as the model does.
    @Test func truncateCutsByCharactersNeverInsideOne() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(#"""
            local name = string.rep("a", 39) .. "Ébène"
            local cut = truncate(name, 40)
            return cut, utf8.len(cut), #cut, truncate("Zoë", 3), truncate("Zoë", 2), truncate("", 5), truncate("Zoë", 0),
              select(2, pcall(truncate, "caf\xe9", 3)), select(2, pcall(truncate, "x", -1)), select(2, pcall(truncate, "x", 1.5)),
              select(2, pcall(truncate, "x", "3"))
            """#)
        #expect(outcome == .returned([
            .string(String(repeating: "a", count: 39) + "É"), 40, 41, "Zoë", "Zo", "", "",
            "bad argument #1 to 'truncate' (string is not valid UTF-8: byte 4 is 0xE9)",
            "bad argument #2 to 'truncate' (a whole number of characters from 0 up expected, got -1)",
            "bad argument #2 to 'truncate' (a whole number of characters from 0 up expected, got 1.5)",
            "bad argument #2 to 'truncate' (a whole number of characters from 0 up expected, got string)",
        ]))
    }

    @Test func argIsSetAsTheStandaloneLuaSetsIt() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("return arg[0], arg[1], arg[2], select('#', ...)", arguments: ["leads.csv", "--dry"])
        #expect(outcome == .returned(["test.lua", "leads.csv", "--dry", 2]))
    }
}

/// Lua cannot crash the host: every misuse ends in a Lua error the script can catch.
@Suite(.tags(.unit)) struct RobustnessTests {
    @Test func endlessRecursionIsAnErrorNotACrash() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("local function f(n) return 1 + f(n + 1) end\nreturn f(1)")
        guard case .failed(let message) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(message.contains("stack overflow"))
        #expect(await fixture.run("return 1 + 1") == .returned([2]), "the engine still works afterwards")
    }

    @Test func anErrorInsideACallbackComesBackIntact() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local ok, err = pcall(update_lead, e.Id, c.ContextId, function(lead) error({ reason = "custom" }) end)
            local ok2, err2 = pcall(update_lead, e.Id, c.ContextId, function(lead) return 42 end)
            local ok3, err3 = pcall(update_lead, e.Id, c.ContextId, function(lead) local t = nil; return t.x end)
            return ok, err.reason, ok2, err2, ok3, err3:match("attempt to index") ~= nil
            """#)
        #expect(outcome == .returned([false, "custom", false, "update_lead: fn must return the new lead table, got number", false, true]))
    }

    @Test func wrongArgumentsToEveryGlobalAreClearErrors() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let calls = [
            "create_engagement(1)", "create_engagement(nil)", "get_engagement(true)", "list_engagements(5)", "create_context('x')",
            "update_context({1, 2})", "append_interaction(1, 2, 3)", "append_interaction('eng-00000000000000', '1', 'x')",
            "update_lead('eng-00000000000000', '1', 5)", "LeadContext(nil)", "json.encode(print)",
            "json.decode(1)", "read_csv(1)", "read_json({})", "sleep('soon')", "sleep(-1)",
            "create_engagement{ Title = function() end }", "create_engagement{ [true] = 1 }", "create_engagement{ Title = 'A', 1, 2 }",
            "local t = {} t.self = t create_engagement{ Title = t }", "local _ = CountryCode[{}]", "Industry.Retail = 1",
            "UpdateLeadContext(1)", "CustomerProjectsContext('x')", "LeadCustomer(true)", "EngagementCustomer{ CountryCode = 7 }",
            "AddressSummary{ City = {} }", "LeadInteraction{ Contact = 'Ada' }", "LeadContact{ Email = false }",
            "EngagementCustomerProjectDetails{ TargetCompletionDate = 20260331 }", "log(setmetatable({}, { __tostring = function() error('no') end }))",
            "append_interaction('eng-00000000000000', {}, {})", "update_lead(nil, '1', print)", "json.decode('[1,')",
            "MarketSegment.Huge = 1", "local _ = EngagementContextType.lead", "local _ = StateOrRegion['Californa']",
        ]
        let script = "local problems = {}\n" + calls.map { call in
            "do local ok, err = pcall(function() \(call) end) problems[#problems + 1] = ok and 'no error' or tostring(err) end"
        }.joined(separator: "\n") + "\nreturn table.unpack(problems)"
        guard case .returned(let problems) = await fixture.run(script) else {
            Issue.record("the script itself failed: \(await fixture.run(script))")
            return
        }
        #expect(problems.count == calls.count)
        for (call, problem) in zip(calls, problems) {
            let text = problem.stringValue ?? ""
            #expect(text != "no error" && text.hasPrefix("test.lua:"), "\(call) → \(text)")
        }
    }

    /// `each` walks the sandbox's pages too, in order, and refuses a function that is not a paginated list
    /// operation, naming the ones that are, and a request that is not a table.
    @Test func eachGivesEveryItemOfAListAcrossPagesAndNamesWhatItTakes() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("""
            for i = 1, 5 do create_engagement{ Title = "T" .. i, Description = "D" } end
            local titles = {}
            for e in each(list_engagements, { MaxResults = 2, Sort = { SortBy = "CreatedDate", SortOrder = "ASCENDING" } }) do
              titles[#titles + 1] = e.Title
            end
            local count = 0
            for _ in each(list_engagements) do count = count + 1 end
            local _, notPaginated = pcall(each, create_engagement)
            local _, notATable = pcall(each, list_engagements, 5)
            return table.concat(titles, ","), count, notPaginated, notATable
            """)
        guard case .returned(let values) = outcome, values.count == 4 else { Issue.record("\(outcome)"); return }
        #expect(values[0] == "T1,T2,T3,T4,T5")
        #expect(values[1] == 5)
        #expect(values[2].stringValue?.contains("bad argument #1 to 'each' (a paginated list operation expected (") == true, "\(values[2])")
        #expect(values[2].stringValue?.contains("list_opportunities") == true)
        #expect(values[3].stringValue?.hasSuffix("bad argument #2 to 'each' (table expected, got number)") == true, "\(values[3])")
    }

    /// On the sandbox, each(list_solutions) walks the seeded solutions page by page.
    @Test func eachWalksTheSandboxsSolutions() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("""
            local ids = {}
            for s in each(list_solutions, { MaxResults = 2, Status = { "Active", "Draft" } }) do ids[#ids + 1] = s.Id end
            return table.concat(ids, ",")
            """)
        #expect(outcome == .returned(["S-1234567,S-2000001,S-2000002,S-2000004"]))
    }
}
