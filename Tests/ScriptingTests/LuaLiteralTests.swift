import Core
@testable import Scripting
import Testing

/// Lua string literals that Lua reads back as the same bytes.
@Suite(.tags(.unit)) struct LuaLiteralTests {
    @Test(arguments: [
        ("Financial Services", #""Financial Services""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"a\b"#, #""a\\b""#),
        ("two\nlines", #""two\nlines""#),
        ("FPO, AP", #""FPO, AP""#),
        ("bell\u{7}", #""bell\7""#),
    ])
    func aStringIsQuotedAndEscaped(value: String, literal: String) {
        #expect(LuaLiteral.string(value) == literal)
    }

    @Test func aDecimalEscapeBeforeADigitHasThreeDigits() {
        // "\71" would read back as "G".
        #expect(LuaLiteral.string("\u{7}1") == #""\0071""#)
        #expect(LuaLiteral.string([0x00, UInt8(ascii: "9")]) == #""\0009""#)
    }

    @Test func bytesThatAreNotUTF8AreHexEscaped() {
        #expect(LuaLiteral.string([0x61, 0xFF, 0xC3, 0xA9]) == #""a\xFFé""#)
    }

    @Test func aBuiltValuesTextEscapesStringsAsLuaDoes() {
        // JSON's "\u0007" is no Lua escape; a built value's tostring must read back in Lua.
        let value: JSONValue = ["CompanyName": .string("Acme\u{7}1"), "two words": .integer(2)]
        #expect(LuaLiteral.text(of: value) == #"{CompanyName = "Acme\0071", ["two words"] = 2}"#)
    }
}
