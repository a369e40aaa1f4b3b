import OrderedJSON
import Testing

@Suite struct JSONValueTests {
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
        #expect(throws: JSONSyntaxError(message: message, line: line, column: column)) {
            try JSONValue(parsing: text)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        #expect(try JSONValue(parsing: [0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)) == ["a": 1])
    }
}
