@testable import REPL
import Scripting
import Testing

/// How results look at the prompt: readable Lua, model order, cut lists, cycles, labels.
@Suite struct PrettyPrinterTests {
    let printer = PrettyPrinter()

    func text(_ value: String) -> LuaSnapshot { .string(Array(value.utf8)) }
    func entry(_ key: String, _ value: LuaSnapshot) -> LuaSnapshot.Entry { .init(key: text(key), value: value) }
    func list(_ values: [LuaSnapshot]) -> LuaSnapshot {
        .table(label: nil, entries: values.enumerated().map { .init(key: .integer(Int64($0.offset + 1)), value: $0.element) }, omitted: 0)
    }

    @Test(arguments: [
        (LuaSnapshot.integer(42), "42"), (.number(2.5), "2.5"), (.number(3), "3.0"), (.boolean(true), "true"), (.nothing, "nil"),
        (.string(Array("café\n\"q\"".utf8)), #""café\n\"q\"""#), (.string([0x61, 0xFF, 0x00]), #""a\xFF\0""#),
        (.table(label: nil, entries: [], omitted: 0), "{}"), (.cycle, "<cycle>"), (.error("stdin:1: ConflictException: stale"), "stdin:1: ConflictException: stale"),
    ])
    func scalarsPrintAsLuaWouldWriteThem(value: LuaSnapshot, expected: String) {
        #expect(printer.render([value]) == expected)
    }

    @Test func responseMembersFollowTheModelOrderAndShortTablesStayOnOneLine() {
        // CreateEngagementResponse lists Id, Arn, ModifiedAt; Lua hands them over in any order.
        let response = LuaSnapshot.table(label: nil, entries: [entry("ModifiedAt", text("2026-01-01T00:00:00.000000Z")), entry("Arn", text("arn:x")), entry("Id", text("eng-1"))], omitted: 0)
        #expect(printer.render([response]) == #"{ Id = "eng-1", Arn = "arn:x", ModifiedAt = "2026-01-01T00:00:00.000000Z" }"#)
    }

    @Test func builderResultsAreLabelledAndNestedShapesKeepModelOrder() {
        let address = LuaSnapshot.table(label: nil, entries: [entry("CountryCode", text("US")), entry("City", text("Seattle"))], omitted: 0)
        let customer = LuaSnapshot.table(label: "LeadCustomer", entries: [entry("Address", address), entry("CompanyName", text("Acme Corporation International")), entry("Industry", text("Retail"))], omitted: 0)
        #expect(printer.render([customer]) == """
            LeadCustomer{
              Industry = "Retail",
              CompanyName = "Acme Corporation International",
              Address = { City = "Seattle", CountryCode = "US" }
            }
            """)
    }

    @Test func longListsAreCutAfterAScreenful() {
        let squares = list((1...100).map { LuaSnapshot.integer(Int64($0 * $0)) })
        let rendered = printer.render([squares])
        #expect(rendered.hasSuffix("  576,\n  625,\n  … (75 more)\n}"))
        #expect(rendered.split(separator: "\n").count == 28)
    }

    @Test func keysThatAreNotNamesAreBracketedAndOtherKeysSorted() {
        let table = LuaSnapshot.table(label: nil, entries: [entry("zeta", .integer(1)), entry("two words", .integer(2)), entry("alpha", .integer(3)), .init(key: .boolean(true), value: .integer(4))], omitted: 0)
        #expect(printer.render([table]) == #"{ alpha = 3, ["two words"] = 2, zeta = 1, [true] = 4 }"#)
    }

    @Test func severalValuesAreTabSeparated() {
        #expect(printer.render([.integer(1), text("a"), .nothing]) == "1\t\"a\"\tnil")
    }

    @Test func colourOnlyWhenAskedFor() {
        #expect(PrettyPrinter(colour: true).render([text("a")]) == "\u{1B}[32m\"a\"\u{1B}[0m")
    }
}

/// What the REPL does with a chunk before evaluating it, and how it lays out a list of candidates.
@Suite struct REPLLineTests {
    @Test(arguments: [
        ("local e = create_engagement{}", "e = create_engagement{}"),
        ("  local a, b = 1, 2", "a, b = 1, 2"),
        ("local x", "x = nil"),
        ("local function f() end", "function f() end"),
        ("local x <const> = 1", "local x <const> = 1"),
        ("local x == 1", "local x == 1"),
        ("print('local x = 1')", "print('local x = 1')"),
    ])
    func aLocalAtThePromptOutlivesItsLine(chunk: String, expected: String) {
        #expect(REPLSession.keepingLocals(chunk) == expected)
    }

    @Test func candidatesAreListedDownThenAcrossInColumns() {
        #expect(LineEditor.columns(["ZA", "ZM", "ZW"], width: 80) == "ZA  ZM  ZW\n")
        #expect(LineEditor.columns(["alpha", "beta", "gamma", "delta"], width: 16) == "alpha  gamma\nbeta   delta\n")
    }
}
