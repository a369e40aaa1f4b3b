import EngageTestSupport
import Foundation
import Testing

/// One Lua example of the documentation: a block fenced ```lua in README.md or docs/*.md.
struct DocumentationExample: CustomTestStringConvertible, Sendable {
    /// The file, relative to the repository root, and the line of the opening fence.
    let file: String
    let line: Int
    let code: String

    var testDescription: String { "\(file):\(line)" }

    /// The repository's root: this file is Tests/EngageCommandTests/ in it.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The runnable examples of every page. A fence ```lua opens one; ```lua no-run marks a fragment that is
    /// not meant to run on its own.
    static func all() throws -> [DocumentationExample] {
        let docs = repositoryRoot.appendingPathComponent("docs")
        let pages = try FileManager.default.contentsOfDirectory(atPath: docs.path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
        return try (["README.md"] + pages).flatMap { page in
            try examples(in: String(contentsOf: repositoryRoot.appendingPathComponent(page), encoding: .utf8), file: page)
        }
    }

    /// The runnable blocks of one page's text.
    static func examples(in text: String, file: String) -> [DocumentationExample] {
        var found: [DocumentationExample] = []
        var open: (line: Int, lines: [Substring])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if var block = open {
                if line.trimmingCharacters(in: .whitespaces) == "```" {
                    found.append(DocumentationExample(file: file, line: block.line, code: block.lines.joined(separator: "\n") + "\n"))
                    open = nil
                } else {
                    block.lines.append(line)
                    open = block
                }
            } else if line.trimmingCharacters(in: .whitespaces) == "```lua" {
                open = (index + 1, [])
            }
        }
        return found
    }
}

/// The documentation's Lua examples run as written, so an example that stops working fails the suite.
@Suite(.tags(.process)) struct DocumentationExampleTests {
    @Test func theDocumentationHasRunnableExamples() throws {
        #expect(try DocumentationExample.all().count >= 3)
    }

    @Test(arguments: try DocumentationExample.all())
    func everyLuaExampleOfTheDocumentationRuns(_ example: DocumentationExample) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let environment = [
            "XDG_DATA_HOME": folder.appendingPathComponent("data").path,
            "XDG_STATE_HOME": folder.appendingPathComponent("state").path,
        ]
        let store = folder.appendingPathComponent("sandbox.sqlite").path
        let result = try runEngage(["run", "-", "--store", store], bytes: Data(example.code.utf8), environment: environment,
                                   in: DocumentationExample.repositoryRoot)
        #expect(result.status == 0, "\(example.file):\(example.line) failed:\n\(result.stderr)")
        #expect(!result.crashed)
    }
}
