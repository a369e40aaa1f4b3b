import OrderedJSON
import Testing

@Suite(.tags(.unit)) struct JSONValueTests {
    @Test func objectMembersKeepTheirOrder() throws {
        let value = try JSONValue(parsing: #"{"z": 1, "a": 2, "m": {"y": true, "b": null}}"#)
        #expect(value.objectValue?.keys.elementsEqual(["z", "a", "m"]) == true)
        #expect(value.serialized() == #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#)
    }

    @Test func integersAndFractionsStayApart() throws {
        let value = try JSONValue(parsing: "[0, -12, 9007199254740993, 1.5, 2e3, -0.25]")
        #expect(value == [0, -12, .integer(9_007_199_254_740_993), 1.5, 2000.0, -0.25])
        #expect(value.serialized() == "[0,-12,9007199254740993,1.5,2000.0,-0.25]")
    }

    @Test func stringEscapesAndUnicodeRoundTrip() throws {
        let text = #""tab\t quote\" slash\/ backslash\\ é \u00e9 \ud83d\ude00 nul\u0000""#
        let value = try JSONValue(parsing: text)
        #expect(value == .string("tab\t quote\" slash/ backslash\\ é é 😀 nul\u{0}"))
        #expect(try JSONValue(parsing: value.serialized()) == value)
        #expect(value.serialized() == #""tab\t quote\" slash/ backslash\\ é é 😀 nul\u0000""#)
    }

    @Test func prettyOutputIndentsByTwoSpaces() {
        let value: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(value.serialized(pretty: true) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}")
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "expected a member name in double quotes"),
        ("[1, 2", 1, 6, "expected ',' or ']' in array, found end of input"),
        ("{\n  \"a\": tru\n}", 2, 8, "unexpected 't', expected a value"),
        ("\"unterminated", 1, 14, "unterminated string"),
        ("01", 1, 2, "leading zeros are not allowed in numbers"),
        ("{} x", 1, 4, "unexpected 'x' after the JSON value"),
        ("\"\\ud800\"", 1, 8, "lone high surrogate \\uD800 in string"),
        ("\"a\nb\"", 1, 3, "control character in string (escape it as \\u000A)"),
    ])
    func malformedTextIsRejectedWithItsPosition(text: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
        #expect(error?.message == message)
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test(arguments: [
        // Raw bytes that are not UTF-8, inside strings (with and without escapes) and outside them.
        (Array(#"{"Title": "A", "Description": "caf"#.utf8) + [0xE9] + Array(#""}"#.utf8), "Description", 34,
         "the string is not valid UTF-8: byte 0xE9 does not start a well-formed sequence"),
        (Array(#"{"Description": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), "Description", 17,
         "the string is not valid UTF-8: byte 0xFF does not start a well-formed sequence"),
        (Array(#"{"Payload": {"Lead": {"Interactions": [{}, {"SourceName": "tab\t "#.utf8) + [0xC3, 0x28] + Array(#""}]}}}"#.utf8),
         "Payload.Lead.Interactions[1].SourceName", 65, "the string is not valid UTF-8: byte 0xC3 does not start a well-formed sequence"),
        // An encoded surrogate (ED A0 80) and an overlong encoding (C0 AF) are not UTF-8 either.
        (Array(#"["ok", ""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""]"#.utf8), "[1]", 8,
         "the string is not valid UTF-8: byte 0xED does not start a well-formed sequence"),
        (Array(#"{"a\u00e9": ""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), "aé", 13,
         "the string is not valid UTF-8: byte 0xC0 does not start a well-formed sequence"),
        (Array(#"{"Ti"#.utf8) + [0xFF] + Array(#"tle": "A"}"#.utf8), "", 4,
         "the member name is not valid UTF-8: byte 0xFF does not start a well-formed sequence"),
        (Array(#"{"Title": "#.utf8) + [0xFF] + Array("}".utf8), "Title", 10, "unexpected byte 0xFF, expected a value"),
        // Escapes that name a lone surrogate are refused too: they stand for no character.
        (Array(#"{"Title": "a\ud800"}"#.utf8), "Title", 18, #"lone high surrogate \uD800 in string"#),
        (Array(#"{"Title": "a\udc00b"}"#.utf8), "Title", 18, #"lone low surrogate \uDC00 in string"#),
        (Array(#"{"Title": "\ud800\u0041"}"#.utf8), "Title", 23, #"invalid low surrogate \u0041 in string"#),
    ] as [([UInt8], String, Int, String)])
    func textThatIsNotUTF8IsRefusedNamingTheMember(bytes: [UInt8], path: String, offset: Int, message: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.path == path)
        #expect(error?.offset == offset)
        #expect(error?.message == message)
    }

    @Test func theErrorDescriptionNamesLineColumnAndMember() {
        let bytes = Array("{\n \"Description\": \"".utf8) + [0xFF] + Array("\"}".utf8)
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        #expect(error?.description
            == "JSON line 2, column 18, at Description: the string is not valid UTF-8: byte 0xFF does not start a well-formed sequence")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)) == ["a": 1])
    }
}
