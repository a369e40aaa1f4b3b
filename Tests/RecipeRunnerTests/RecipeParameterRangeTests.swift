import Core
import Foundation
import RecipeRunner
import Scripting
import Testing

/// Ranges a recipe declares (`min`, `max`, `integer`), required values that are empty, and output paths
/// that name a folder: each is refused before anything runs, naming the parameter.
@Suite(.tags(.unit)) struct RecipeParameterRangeTests {
    static let source = #"""
        return recipe{
          description = "Try ranges",
          params = {
            engagement = { type = "string", required = true },
            page_size = { type = "number", default = 20, min = 1, max = 100, integer = true },
            ratio = { type = "number", min = 0, max = 1 },
            out = { type = "path", output = true, default = "out.json" },
          },
          run = function(p) return p end,
        }
        """#

    func declaration(_ source: String = source) async throws -> RecipeDeclaration {
        try await RecipeRun.declaration(of: Array(source.utf8), path: "try.lua").get()
    }

    @Test(arguments: [
        (["engagement="], "try: parameter 'engagement' is required and must not be empty"),
        (["engagement=e", "page_size=0"], "try: parameter 'page_size' must be 1 or more, got 0"),
        (["engagement=e", "page_size=-1"], "try: parameter 'page_size' must be 1 or more, got -1"),
        (["engagement=e", "page_size=1.5"], "try: parameter 'page_size' must be a whole number, got 1.5"),
        (["engagement=e", "page_size=101"], "try: parameter 'page_size' must be 100 or less, got 101"),
        (["engagement=e", "ratio=1.01"], "try: parameter 'ratio' must be 1 or less, got 1.01"),
        (["engagement=e", "out=/tmp"], "try: parameter 'out': /tmp is a folder; give the path of a file to write"),
        (["engagement=e", "out="], "try: parameter 'out' must be a path, got an empty value"),
    ])
    func aValueOutsideWhatTheRecipeDeclaresIsNamed(given: [String], problem: String) async throws {
        let declared = try await declaration()
        #expect(throws: RecipeParameters.Problem(description: problem)) {
            try RecipeParameters.resolve(given, for: declared, recipe: "try")
        }
    }

    @Test func valuesInsideTheRangeAreAccepted() async throws {
        let resolved = try RecipeParameters.resolve(["engagement=e", "page_size=100", "ratio=0.5"], for: try await declaration(), recipe: "try")
        #expect(resolved["page_size"] == 100)
        #expect(resolved["ratio"] == 0.5)
        let defaults = try RecipeParameters.resolve(["engagement=e"], for: try await declaration(), recipe: "try")
        #expect(defaults["page_size"] == 20)
    }

    @Test func theHelpStatesTheRange() async throws {
        let help = RecipeParameters.help(for: try await declaration(), recipe: "try", path: "try.lua")
        #expect(help.contains("page_size  (whole number, 1 to 100, default 20)"), "\(help)")
        #expect(help.contains("ratio  (number, 0 to 1)"), "\(help)")
    }

    @Test(arguments: [
        ("{ type = 'string', min = 1 }", "recipe: params.a: min, max and integer are for number parameters"),
        ("{ type = 'number', min = 'one' }", "recipe: params.a.min must be a number"),
        ("{ type = 'number', integer = 1 }", "recipe: params.a.integer must be true or false"),
        ("{ type = 'number', min = 5, max = 1 }", "recipe: params.a: min 5 is more than max 1"),
        ("{ type = 'number', default = 0, min = 1 }", "recipe: params.a.default 0 is less than its min 1"),
        ("{ type = 'number', default = 1.5, integer = true }", "recipe: params.a.default 1.5 is not a whole number"),
    ])
    func aRangeThatCannotHoldIsADeclarationError(spec: String, message: String) async throws {
        let source = "return recipe{ description = 'x', run = print, params = { a = \(spec) } }"
        let result = await RecipeRun.declaration(of: Array(source.utf8), path: "bad.lua")
        guard case .failure(let error) = result else { Issue.record("\(spec) was accepted"); return }
        #expect(error.description.contains(message), "\(error.description)")
    }
}
