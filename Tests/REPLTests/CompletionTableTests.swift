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
        let marker = line.range(of: " → ") ?? line.range(of: " ⇒ ")!
        let input = line[..<marker.lowerBound].replacingOccurrences(of: "⏎", with: "\n")
        let cursor = input.range(of: "|")!
        let json = try! JSONSerialization.jsonObject(with: Data(line[marker.upperBound...].utf8), options: .fragmentsAllowed)
        let expectation: Expectation
        if line[marker] == " ⇒ " {
            expectation = .line(json as! String)
        } else if let one = json as? String {
            expectation = .candidates([one], single: true)
        } else {
            expectation = .candidates(json as! [String], single: false)
        }
        return CompletionCase(
            lineNumber: lineNumber, beforeCursor: String(input[..<cursor.lowerBound]),
            afterCursor: String(input[cursor.upperBound...]), expectation: expectation
        )
    }
}

@Suite struct CompletionTableTests {
    /// The session every fixture case runs in.
    static let session = CompletionContext(
        globals: ["e", "c"],
        fields: ["e": ["Id", "Arn", "ModifiedAt"], "e.Contexts": ["Payload"]],
        engagementIds: ["eng-1", "eng-2", "eng-3"]
    )

    @Test func theFixtureHasCases() {
        #expect(CompletionCase.all.count > 50)
    }

    @Test(arguments: CompletionCase.all)
    func tabCompletesAsTheFixtureSays(_ fixture: CompletionCase) {
        let completion = CompletionEngine.complete(fixture.beforeCursor, context: Self.session)
        #expect(completion.candidates.count == completion.display.count)
        switch fixture.expectation {
        case .candidates(let expected, single: true):
            #expect(completion.candidates == expected)
        case .candidates(let expected, single: false):
            #expect(completion.display == expected)
        case .line(let expected):
            #expect(Self.lineAfterOneTab(fixture, completion) == expected)
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
