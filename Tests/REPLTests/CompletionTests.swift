import Foundation
import REPL
import Scripting
import Testing

/// The completion engine as a table of inputs and outputs (Fixtures/completion.txt), plus the cases that
/// need more than a line to say.
@Suite struct CompletionTests {
    static let context = CompletionContext(
        globals: ["e", "print", "string", "json", "while_count"] + EngageGlobals.operations.map(\.lua) + EngageGlobals.builders
            + EngageGlobals.enumTables.map(\.name) + ["append_interaction", "update_lead", "help"],
        fields: ["e": ["Arn", "Id", "ModifiedAt"], "string": ["byte", "format", "rep", "upper"], "json": ["decode", "encode", "null"]],
        engagementIds: ["eng-aaaaaaaaaaaaaa", "eng-bbbbbbbbbbbbbb"])

    struct Case: CustomTestStringConvertible, Sendable {
        let input: String
        let expected: [String]
        var testDescription: String { input }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/completion.txt")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let arrow = line.range(of: " → ") else { return nil }
            let expected = String(line[arrow.upperBound...])
            return Case(input: String(line[..<arrow.lowerBound]), expected: expected == "(none)" ? [] : expected.components(separatedBy: " | "))
        }
    }()

    @Test func theFixtureFileHasCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func fixture(_ example: Case) {
        let before = example.input.components(separatedBy: "|").first ?? example.input
        let completion = CompletionEngine.complete(before, context: Self.context)
        #expect(completion.candidates.map { $0.trimmingCharacters(in: .whitespaces) } == example.expected.map { $0.trimmingCharacters(in: .whitespaces) },
            "\(example.input)")
    }

    @Test func theReplacementRangeCoversWhatWasTyped() {
        let typed = #"AddressSummary{ CountryCode = "Z"#
        let completion = CompletionEngine.complete(typed, context: Self.context)
        #expect(completion.replace == typed.utf8.count - 2 ..< typed.utf8.count)
        #expect(completion.display == ["ZA", "ZM", "ZW"])
        #expect(CompletionEngine.commonPrefix(completion.candidates) == "\"Z")
        let word = CompletionEngine.complete("x = create_con", context: Self.context)
        #expect(word.replace == 4..<14)
    }

    @Test func aFieldWithAMultibyteValueCountsBytes() {
        let typed = #"LeadCustomer{ CompanyName = "Café", Industry = "Fin"#
        let completion = CompletionEngine.complete(typed, context: Self.context)
        #expect(completion.candidates == [#""Financial Services""#])
        #expect(completion.replace.upperBound == typed.utf8.count)
    }

    @Test func oneCompletionOverEveryCountryCode() {
        let completion = CompletionEngine.complete(#"AddressSummary{ CountryCode = ""#, context: Self.context)
        #expect(completion.candidates.count == 249)
    }
}
