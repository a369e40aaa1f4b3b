import Core
import Scripting
import Testing

/// `json.encode` and `json.decode`: what round-trips, and what each refuses with an error naming the place.
@Suite(.tags(.unit)) struct JSONHelperTests {
    /// Each expression is evaluated in Lua; its result must be the expected value.
    @Test(arguments: [
        (#"json.encode(json.decode("[1,null,3]"))"#, "[1,null,3]"),
        (#"json.encode(json.decode("[]"))"#, "[]"),
        (#"json.encode(json.decode('{"a":[],"b":{}}'))"#, #"{"a":[],"b":{}}"#),
        (#"json.encode(json.decode('[[],[null]]'))"#, "[[],[null]]"),
        (#"json.encode(-0.0)"#, "-0.0"),
        (#"json.encode(json.decode("-0.0"))"#, "-0.0"),
        (#"json.encode({ 1, json.null, 3 })"#, "[1,null,3]"),
        (#"json.encode({ a = json.null })"#, #"{"a":null}"#),
        (#"json.encode(json.null)"#, "null"),
        (#"tostring(json.decode('[null]')[1] == json.null)"#, "true"),
        (#"tostring(json.decode('{"a":null}').a)"#, "nil"),
        (#"tostring(json.null)"#, "json.null"),
        (#"json.encode(json.decode(string.rep("[", 512) .. string.rep("]", 512))) == string.rep("[", 512) .. string.rep("]", 512) and "same" or "different""#, "same"),
        (#"tostring(json.decode(json.encode("a\0b")) == "a\0b")"#, "true"),
        (#"json.encode(json.decode([["caf\u00e9 \ud83d\ude00"]]))"#, #""café 😀""#),
        (#"json.encode(LeadCustomer{ CompanyName = "Acme" })"#, #"{"CompanyName":"Acme"}"#),
        (#"json.encode(MarketSegment):sub(1, 13)"#, #"["Enterprise""#),
        (#"json.encode(setmetatable({ a = 1 }, { __index = function() return 2 end }))"#, #"{"a":1}"#),
        (#"(function() local shared = { 1 } return json.encode({ shared, shared }) end)()"#, "[[1],[1]]"),
    ])
    func valuesRoundTrip(expression: String, expected: String) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        #expect(await fixture.run("return \(expression)") == .returned([.string(expected)]), "\(expression)")
    }

    /// Each statement must fail with exactly this message (after `test.lua:1: `).
    @Test(arguments: [
        ("json.encode(print)", "json.encode: cannot encode a function"),
        ("json.encode{ 1, 2, print }", "json.encode: cannot encode a function at [2]"),
        ("json.encode{ a = { b = coroutine.create(print) } }", "json.encode: cannot encode a thread at a.b"),
        ("local t = {} t.a = { b = t } json.encode(t)", "json.encode: cannot encode a table that contains itself at a.b: it is the top-level table"),
        ("local t = { x = {} } t.x.y = { { z = t.x } } json.encode(t)", "json.encode: cannot encode a table that contains itself at x.y[0].z: it is the table at x"),
        ("json.encode{ 1, nil, 3 }", "json.encode: cannot encode a list with gaps: its keys must be 1, 2, 3… without holes (json.null stands for null)"),
        ("json.encode{ 1, a = 2 }", "json.encode: cannot encode a table that mixes list items with named fields: a"),
        ("json.encode{ x = { [true] = 1 } }", "json.encode: cannot encode a table key of type boolean at x: keys must be names or 1, 2, 3…"),
        (#"json.encode{ s = "caf\xe9" }"#, "json.encode: cannot encode a string that is not valid UTF-8 at s: byte 4 is 0xE9"),
        (#"json.encode{ ["\xff"] = 1 }"#, #"json.encode: cannot encode a key that is not valid UTF-8 at \xFF: byte 1 is 0xFF"#),
        ("json.encode(setmetatable({}, { __pairs = function() end }))",
         "json.encode: cannot encode a table with a __pairs metamethod: engage reads a table's own fields; copy them into a plain table"),
        ("json.encode{ p = setmetatable({}, { __index = { a = 1 } }) }",
         "json.encode: cannot encode an empty table with an __index metamethod at p: its fields live elsewhere; copy them into a plain table"),
        (#"json.encode{ [string.rep("k", 1000)] = print }"#,
         "json.encode: cannot encode a function at " + String(repeating: "k", count: 80) + "… (1000 bytes)"),
        (#"json.decode('"\xff"')"#, "json.decode: the text is not valid UTF-8 (byte 2 is 0xFF)"),
        (#"json.decode('{"a": }')"#, "json.decode: JSON line 1, column 7, at a: unexpected '}', expected a value"),
        ("json.encode()", "bad argument #1 to 'json.encode' (value expected)"),
    ])
    func refusalsSayWhatAndWhere(statement: String, expected: String) async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("local ok, err = pcall(function() \(statement) end) return ok, err")
        #expect(outcome == .returned([false, .string("test.lua:1: " + expected)]), "\(statement)")
    }

    /// One nesting limit for both directions: what json.decode accepts, json.encode writes, and one level
    /// more is refused by both with the same words.
    @Test func encodeAndDecodeShareOneDepthLimit() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("""
            local deep = {} local t = deep
            for i = 1, 512 do t[1] = {} t = t[1] end
            local ok, err = pcall(json.encode, deep)
            local ok2, err2 = pcall(json.decode, string.rep("[", 513) .. string.rep("]", 513))
            return ok, err:match("nested deeper than 512 levels") ~= nil, #err < 400, ok2, err2:match("nested deeper than 512 levels") ~= nil
            """)
        #expect(outcome == .returned([false, true, true, false, true]))
    }

    @Test func anOperationRefusesATableWhoseFieldsComeFromIndex() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("""
            local req = setmetatable({}, { __index = { Title = "T", Description = "D" } })
            local ok, err = pcall(create_engagement, req)
            return req.Description, ok, err
            """)
        #expect(outcome == .returned([
            "D", false,
            "bad argument #1 to 'create_engagement' (cannot send an empty table with an __index metamethod: its fields live elsewhere; copy them into a plain table)",
        ]))
    }
}
