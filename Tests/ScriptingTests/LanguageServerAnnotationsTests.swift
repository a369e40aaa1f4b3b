@testable import Scripting
import Testing

/// The text rules of the annotation generator: string literals and field comments.
@Suite struct LanguageServerAnnotationsTests {
    @Test(arguments: [
        ("Financial Services", #""Financial Services""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"a\b"#, #""a\\b""#),
        ("two\nlines", #""two\nlines""#),
        ("bell\u{7}1", #""bell\0071""#),
        ("FPO, AP", #""FPO, AP""#),
    ])
    func aLiteralIsAQuotedLuaString(value: String, literal: String) {
        #expect(LanguageServerAnnotations.literal(value) == literal)
    }

    @Test(arguments: [
        ("The title of the project.", "The title of the project."),
        ("Created, in ISO 8601 (UTC). For example: \"2023-05-01T20:37:46Z\". More.", "Created, in ISO 8601 (UTC)."),
        ("First paragraph. Second sentence.\n\nValid values: A | B", "First paragraph."),
        ("No period at all", "No period at all"),
        ("", ""),
    ])
    func aFieldCommentIsTheFirstSentence(documentation: String, sentence: String) {
        #expect(LanguageServerAnnotations.firstSentence(documentation) == sentence)
    }
}
