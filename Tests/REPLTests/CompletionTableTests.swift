import Foundation
import REPL
import Testing

/// One case of `Fixtures/completion.txt`: what the user typed, with `|` at the cursor, and what TAB gives.
struct CompletionCase: CustomTestStringConvertible, Sendable {
    enum Expectation: Sendable {
        /// The display texts listed on the second TAB; one element means the one candidate.
        case candidates([String], single: Bool)
        /// The whole line after one TAB.
        case line(String)
        /// The fixture line could not be read; the case fails, saying why, and the other cases still run.
        case malformed(String)
    }

    let lineNumber: Int
    let beforeCursor: String
    let afterCursor: String
    let expectation: Expectation

    var testDescription: String { "completion.txt:\(lineNumber) \(beforeCursor)|\(afterCursor)" }

    static let all: [CompletionCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/completion.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            parse(String(line), lineNumber: offset + 1)
        }
    }()

    private static func parse(_ line: String, lineNumber: Int) -> CompletionCase? {
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        let malformed = { (reason: String) in
            CompletionCase(lineNumber: lineNumber, beforeCursor: line, afterCursor: "", expectation: .malformed(reason))
        }
        guard let marker = line.range(of: " → ") ?? line.range(of: " ⇒ ") else { return malformed("no ` → ` or ` ⇒ ` between input and expectation") }
        let input = line[..<marker.lowerBound].replacingOccurrences(of: "⏎", with: "\n")
        guard let cursor = input.range(of: "|") else { return malformed("no `|` marks the cursor") }
        guard let json = try? JSONSerialization.jsonObject(with: Data(line[marker.upperBound...].utf8), options: .fragmentsAllowed) else {
            return malformed("the expectation is not JSON")
        }
        let expectation: Expectation
        switch (line[marker] == " ⇒ ", json) {
        case (true, let whole as String): expectation = .line(whole)
        case (true, _): return malformed("after ` ⇒ ` comes the whole line as a JSON string")
        case (false, let one as String): expectation = .candidates([one], single: true)
        case (false, let several as [String]): expectation = .candidates(several, single: false)
        case (false, _): return malformed("after ` → ` comes a JSON string or an array of strings")
        }
        return CompletionCase(
            lineNumber: lineNumber, beforeCursor: String(input[..<cursor.lowerBound]),
            afterCursor: String(input[cursor.upperBound...]), expectation: expectation
        )
    }
}

@Suite(.tags(.unit)) struct CompletionTableTests {
    /// The session every fixture case runs in.
    static let session = CompletionContext(
        globals: ["e", "c"],
        fields: ["e": ["Id", "Arn", "ModifiedAt"], "e.Contexts": ["Payload"]],
        engagementIds: ["eng-1", "eng-2", "eng-3"],
        idsSeen: ["O1001", "eng-1", "engi-0123456789abc", "O1002", "1"]
    )

    @Test func theFixtureHasCases() {
        #expect(CompletionCase.all.count > 50)
    }

    @Test(arguments: CompletionCase.all)
    func tabCompletesAsTheFixtureSays(_ fixture: CompletionCase) {
        if case .malformed(let reason) = fixture.expectation {
            Issue.record("completion.txt:\(fixture.lineNumber) is malformed: \(reason)")
            return
        }
        let completion = CompletionEngine.complete(fixture.beforeCursor, context: Self.session)
        #expect(completion.candidates.count == completion.display.count)
        switch fixture.expectation {
        case .candidates(let expected, single: true):
            #expect(completion.candidates == expected)
        case .candidates(let expected, single: false):
            #expect(completion.display == expected)
        case .line(let expected):
            #expect(Self.lineAfterOneTab(fixture, completion) == expected)
        case .malformed:
            break
        }
    }

    /// What one TAB makes of the line: the one candidate, or the common prefix of several, in place.
    static func lineAfterOneTab(_ fixture: CompletionCase, _ completion: Completion) -> String {
        let bytes = Array(fixture.beforeCursor.utf8)
        let inserted = completion.candidates.count == 1 ? completion.candidates[0] : CompletionEngine.commonPrefix(completion.candidates)
        return String(decoding: bytes[..<completion.replace.lowerBound], as: UTF8.self) + inserted
            + String(decoding: bytes[completion.replace.upperBound...], as: UTF8.self) + fixture.afterCursor
    }
}
