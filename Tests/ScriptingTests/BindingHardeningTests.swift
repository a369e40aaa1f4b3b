import Core
import Foundation
import Scripting
import Testing

/// Defects found by trying the bindings as a careless or hostile script would: enum tables that could be
/// changed, builders that dropped a caller's metatable, messages that named the wrong place, helpers that
/// lost data, script loading that differed from `lua5.4`.
@Suite(.tags(.unit)) struct BindingHardeningTests {
    func outcome(_ source: String) async throws -> ScriptEngine.Outcome {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        return await fixture.run(source)
    }

    /// What `pcall(load(statement))` gives: "ok" or the error message.
    func attempt(_ statement: String) async throws -> String {
        let result = try await outcome("local ok, e = pcall(load(\(JSONValue.string(statement).serialized()))); return ok and 'ok' or tostring(e)")
        guard case .returned(let values) = result, let text = values.first?.stringValue else { return "\(result)" }
        return text
    }

    @Test(arguments: [
        #"Industry[1] = "Hacked""#, #"Industry["Retail"] = "x""#, "Industry.Foo = 1", "table.remove(MarketSegment)",
        "table.insert(Industry, 'x')", "table.sort(CountryCode, function(a, b) return a > b end)", "setmetatable(Industry, nil)",
        "rawset(Industry, 1, 'x')", "getmetatable(StateOrRegion).__index = nil",
    ])
    func enumTablesCannotBeChanged(statement: String) async throws {
        #expect(try await attempt(statement) != "ok", "\(statement) succeeded")
        let after = try await outcome("""
            \(statement.hasPrefix("getmetatable") ? "" : "pcall(load(\(JSONValue.string(statement).serialized())))")
            return #Industry, Industry[1], #MarketSegment, CountryCode[1], CountryCode[249], Industry["Retail"]
            """)
        #expect(after == .returned([28, "Aerospace", 5, "US", "ZW", "Retail"]))
    }

    @Test func enumTablesStillListAndCount() async throws {
        let result = try await outcome("""
            local listed, paired = {}, {}
            for i, v in ipairs(MarketSegment) do listed[i] = v end
            for i, v in pairs(MarketSegment) do paired[i] = v end
            return #CountryCode, table.concat(listed, ","), table.concat(paired, ","), getmetatable(Industry)
            """)
        #expect(result == .returned([249, "Enterprise,Large,Medium,Small,Micro", "Enterprise,Large,Medium,Small,Micro", "locked"]))
    }

    @Test func aBuilderRefusesATableThatHasAMetatableAndLeavesItAsItWas() async throws {
        let result = try await outcome("""
            local t = setmetatable({ CompanyName = "Acme" }, { __metatable = "locked", __index = function() return "default" end })
            local ok, e = pcall(LeadCustomer, t)
            return ok, tostring(e), getmetatable(t), t.Missing, LeadCustomer(LeadCustomer{ CompanyName = "Acme" }).CompanyName
            """)
        guard case .returned(let values) = result else { Issue.record("\(result)"); return }
        #expect(values[0] == false)
        #expect(values[1].stringValue?.contains("LeadCustomer' (the table already has a metatable") == true, "\(values[1])")
        #expect(Array(values[2...]) == ["locked", "default", "Acme"], "rebuilding a built table is fine")
    }

    @Test func aBuiltTableThatGainsAFunctionPrintsWhatIsWrong() async throws {
        let result = try await outcome("local c = LeadCustomer{ CompanyName = 'Acme' }; c.Hook = print; return tostring(c)")
        #expect(result == .returned(["LeadCustomer{…} (holds a function at Hook; it cannot be sent)"]))
    }

    @Test func updateLeadNamesTheCallbacksMistakes() async throws {
        let setup = luaHelpers + "local e, c = engagement_with_lead()\n"
        let function = try await outcome(setup + "local ok, m = pcall(function() return update_lead(e.Id, c.ContextId, function(lead) lead.Customer.Hook = print; return lead end) end); return m")
        #expect(function == .returned([.string("test.lua:13: update_lead: the lead that fn returned holds a function at Customer.Hook")]))
        let extra = try await outcome(setup + "local ok, m = pcall(function() return update_lead(e.Id, c.ContextId, function(lead) lead.Qualification = 'Hot'; return lead end) end); return m")
        guard case .returned(let values) = extra, let message = values.first?.stringValue else { Issue.record("\(extra)"); return }
        #expect(message.hasPrefix("test.lua:13: update_lead: the lead that fn returned has a field 'Qualification' that a Lead context does not have (did you mean 'QualificationStatus'?)"))
    }

    @Test(arguments: [("math.huge", "inf"), ("-1", "-1"), ("0/0", "nan"), ("86400001", "86400001"), ("'10'", "string")])
    func sleepRefusesWhatWouldNeverEnd(argument: String, shown: String) async throws {
        let message = try await attempt("sleep(\(argument))")
        #expect(message.contains("bad argument #1 to 'sleep' (milliseconds from 0 to 86400000 (a day) expected, got \(shown))"), "\(message)")
    }

    /// A cell keeps its bytes (Lua strings are bytes); it is refused where it is sent, so a script can name
    /// its row and go on with the others. A column name must be text, since it keys the rows.
    @Test func readCSVKeepsACellsBytesAndRefusesItWhereItIsSent() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let path = fixture.folder.appendingPathComponent("latin1.csv").path
        try Data("name,city\nAda,Paris\nJos\u{E9},Lyon\n".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: path))
        let header = fixture.folder.appendingPathComponent("header.csv").path
        try Data("name,caf\u{E9}\nAda,Paris\n".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: header))
        let result = await fixture.run(#"""
            local path, header = ...
            local rows = read_csv(path)
            local ok, err = pcall(LeadCustomer, { CompanyName = rows[2].name })
            local ok2, err2 = pcall(read_csv, header)
            return #rows, rows[1].name, rows[2].name == "Jos\xE9", #rows[2].name, rows[2].city, rows[2]._line, ok, tostring(err), err2
            """#, arguments: [path, header])
        #expect(result == .returned([2, "Ada", true, 4, "Lyon", 3, false,
                                     "SerializationException: cannot send a string that is not valid UTF-8 at CompanyName: byte 4 is 0xE9",
                                     .string("read_csv: \(header):1: the name of column 2 is not UTF-8 (byte 4 is 0xE9); save the file as UTF-8")]))
    }

    /// An error labelled with a cell that is not UTF-8 still prints its message, the bytes as `\xE9`.
    @Test func anErrorLabelledWithBytesThatAreNotUTF8PrintsThemEscaped() async throws {
        let result = try await outcome(#"""
            local ok, err = pcall(LeadCustomer, { CompanyName = "Caf\xe9" })
            err.item = "leads.csv line 3 (Caf\xe9)"
            return tostring(err)
            """#)
        #expect(result == .returned([#"leads.csv line 3 (Caf\xE9): SerializationException: cannot send a string that is not valid UTF-8 at CompanyName: byte 4 is 0xE9"#]))
    }

    @Test(arguments: [
        ("a,a,b\n1,2,3\n", "columns 1 and 2 are both named 'a'"),
        (",,b\n1,2,3\n", "columns 1 and 2 have no name"),
        ("a,_line\n1,2\n", "column 2 is named '_line'"),
        ("caf\u{E9},cafe\u{301}\n1,2\n", "columns 1 and 2 are both named 'café'"),
    ])
    func readCSVRefusesHeadersThatWouldLoseCells(header: String, problem: String) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let path = try fixture.file("h.csv", header)
        let result = await fixture.run("local ok, m = pcall(read_csv, ...); return ok, m", arguments: [path])
        guard case .returned(let values) = result else { Issue.record("\(result)"); return }
        #expect(values.first == false)
        #expect(values.last?.stringValue?.contains("read_csv: \(path):1: \(problem)") == true, "\(values)")
    }

    @Test(arguments: [
        ("#!/usr/bin/env engage run\nreturn #arg[0] > 0, select(2, pcall(error, 'x'))", [UInt8]()),
        ("\u{FEFF}return 1, 2", []),
        ("\u{FEFF}#!shebang after a BOM\nreturn 3", []),
    ])
    func scriptsLoadAsLuaLoadsFiles(source: String, _: [UInt8]) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let result = await fixture.engine.run(script: Array(source.utf8), chunkName: "@s.lua", scriptName: "s.lua")
        guard case .returned = result else { Issue.record("\(source.debugDescription): \(result)"); return }
    }

    @Test func aShebangLineKeepsTheLineNumbersOfTheFile() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let result = await fixture.engine.run(script: Array("#!/usr/bin/env engage run\n\nerror('third line')".utf8), chunkName: "@s.lua")
        guard case .failed(let message) = result else { Issue.record("\(result)"); return }
        #expect(message.hasPrefix("s.lua:3: third line"))
    }

    @Test func scriptBytesAreKeptAsTheyAre() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        // A Latin-1 é inside a literal is one byte, and a NUL does not end the script.
        let bytes = Array("local s = \"caf".utf8) + [0xE9] + Array("\"\nlocal t = \"a".utf8) + [0] + Array("b\"\nreturn #s, #t, 'end'".utf8)
        let result = await fixture.engine.run(script: bytes, chunkName: "@s.lua")
        #expect(result == .returned([4, 3, "end"]))
    }
}
