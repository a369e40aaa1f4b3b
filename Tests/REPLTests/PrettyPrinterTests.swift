@testable import REPL
import Scripting
import Testing

/// How results look at the prompt: readable Lua, model order, cut lists, cycles, labels.
@Suite(.tags(.unit)) struct PrettyPrinterTests {
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

/// How the REPL lays out a list of candidates, and where it keeps history.
@Suite(.tags(.unit)) struct REPLLineTests {
    @Test func candidatesAreListedDownThenAcrossInColumns() {
        #expect(LineEditor.columns(["ZA", "ZM", "ZW"], width: 80) == "ZA  ZM  ZW\n")
        #expect(LineEditor.columns(["alpha", "beta", "gamma", "delta"], width: 16) == "alpha  gamma\nbeta   delta\n")
    }

    @Test func aListTooLongForTheScreenIsCutWithACountOfTheRest() {
        let keys = (1...100).map { String(format: "k%03d", $0) }
        // Cells of 6 columns, 3 per 20-column row: 2 rows of 6 candidates, then the count of the other 94.
        let listing = LineEditor.columns(keys, width: 20, rows: 3)
        #expect(listing == "k001  k003  k005\nk002  k004  k006\n… 94 more\n")
        #expect(LineEditor.columns(Array(keys.prefix(9)), width: 20, rows: 3).split(separator: "\n").count == 3)
        #expect(!LineEditor.columns(Array(keys.prefix(9)), width: 20, rows: 3).contains("more"))
    }

    @Test(arguments: [
        (["XDG_STATE_HOME": "/s", "HOME": "/h"], REPLSession.HistoryLocation.file("/s/engage/history")),
        (["HOME": "/h"], .file("/h/.local/state/engage/history")),
        (["XDG_STATE_HOME": "", "HOME": "/h"], .file("/h/.local/state/engage/history")),
        (["XDG_STATE_HOME": "state", "HOME": "/h"], .file("/h/.local/state/engage/history")),
        (["HOME": ""], .memoryOnly("neither XDG_STATE_HOME nor HOME is an absolute path")),
        (["HOME": "home"], .memoryOnly("neither XDG_STATE_HOME nor HOME is an absolute path")),
        ([:], .memoryOnly("neither XDG_STATE_HOME nor HOME is an absolute path")),
    ])
    func historyGoesWhereAnAbsoluteStateOrHomeFolderSays(environment: [String: String], location: REPLSession.HistoryLocation) {
        #expect(REPLSession.historyLocation(environment: environment) == location)
    }
}
