import Foundation
import Testing

@testable import REPL

/// One case of `Fixtures/locals.txt`: a chunk typed at the prompt and what the REPL evaluates instead.
struct LocalsCase: CustomTestStringConvertible, Sendable {
    let lineNumber: Int
    let chunk: String
    /// What the REPL evaluates instead, or nil when the fixture line has no ` ⇒ ` (the case then fails).
    let rewritten: String?

    var testDescription: String { "locals.txt:\(lineNumber) \(chunk)" }

    static let all: [LocalsCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/locals.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            guard let marker = line.range(of: " ⇒ ") else { return LocalsCase(lineNumber: offset + 1, chunk: String(line), rewritten: nil) }
            let unescape = { (text: Substring) in text.replacingOccurrences(of: "⏎", with: "\n") }
            return LocalsCase(lineNumber: offset + 1, chunk: unescape(line[..<marker.lowerBound]), rewritten: unescape(line[marker.upperBound...]))
        }
    }()
}

@Suite(.tags(.unit)) struct SessionLocalsTests {
    @Test func theFixtureHasCases() {
        #expect(LocalsCase.all.count > 30)
    }

    @Test(arguments: LocalsCase.all)
    func aTopLevelLocalOutlivesItsLine(_ fixture: LocalsCase) {
        guard let expected = fixture.rewritten else {
            Issue.record("locals.txt:\(fixture.lineNumber) is malformed: no ` ⇒ ` between the chunk and its rewriting")
            return
        }
        let rewritten = SessionLocals.rewrite(Array(fixture.chunk.utf8))
        #expect(String(decoding: rewritten, as: UTF8.self) == expected)
    }

    @Test func bytesThatAreNotUTF8PassThroughUnchanged() {
        let chunk: [UInt8] = Array("local s = \"a".utf8) + [0xFF] + Array("b\"".utf8)
        #expect(SessionLocals.rewrite(chunk) == Array("s = \"a".utf8) + [0xFF] + Array("b\"".utf8))
    }
}
