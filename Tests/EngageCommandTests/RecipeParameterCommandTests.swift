import EngageTestSupport
import Foundation
import Testing

/// The shipped recipes' parameters checked as a user meets them: exit 2 naming the parameter, before
/// any store is opened or any file written.
@Suite(.tags(.process)) struct RecipeParameterCommandTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-param-command-\(UUID().uuidString)")
    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }

    func run(_ recipe: String, _ parameters: [String]) throws -> CommandResult {
        try runEngage(["run", recipe] + parameters.flatMap { ["--param", $0] } + ["--store", store], environment: environment)
    }

    @Test(arguments: [
        ("0", "export: parameter 'page_size' must be 1 or more, got 0"),
        ("-1", "export: parameter 'page_size' must be 1 or more, got -1"),
        ("1.5", "export: parameter 'page_size' must be a whole number, got 1.5"),
        ("101", "export: parameter 'page_size' must be 100 or less, got 101"),
    ])
    func exportRefusesAPageSizeOutsideOneToAHundred(pageSize: String, problem: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("engagements.json").path
        let result = try run("export", ["out=\(out)", "page_size=\(pageSize)"])
        #expect(result.status == 2)
        #expect(result.stderr == problem + "\n", "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [], "nothing was written, no store opened")
    }

    @Test func exportRefusesAFolderAsItsOutputAndLeavesNoPartialFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("out"), withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("out").path
        let result = try run("export", ["out=\(out)"])
        #expect(result.status == 2)
        #expect(result.stderr == "export: parameter 'out': \(out) is a folder; give the path of a file to write\n", "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
    }

    @Test func anEmptyRequiredValueIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run("qualify", ["engagement=", "status=Qualified"])
        #expect(result.status == 2)
        #expect(result.stderr == "qualify: parameter 'engagement' is required and must not be empty\n", "\(result.stderr)")
        #expect(!result.stderr.contains("traceback"))
    }
}
