@testable import Scripting
import Testing

/// How the annotation generator shortens the model's documentation to a field comment.
@Suite(.tags(.unit)) struct LanguageServerAnnotationsTests {
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
