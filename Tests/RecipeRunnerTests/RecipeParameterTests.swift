import Core
import Foundation
import RecipeRunner
import Scripting
import Testing

/// A recipe's declaration and its `--param` words: every problem is found before anything runs and names
/// the recipe and the parameter.
@Suite(.tags(.unit)) struct RecipeParameterTests {
    static let source = #"""
        return recipe{
          description = "Try parameters",
          params = {
            csv = { type = "path", required = true, help = "the CSV" },
            out = { type = "path", output = true, default = "out.json" },
            limit = { type = "number", default = 10 },
            strict = { type = "boolean", default = false },
            format = { type = "enum", values = { "json", "csv" }, default = "json" },
            note = { type = "string" },
          },
          run = function(p) return p end,
        }
        """#

    func declaration(_ source: String = source) async throws -> RecipeDeclaration {
        try await RecipeRun.declaration(of: Array(source.utf8), path: "try.lua").get()
    }

    @Test func theDeclarationIsReadWithoutRunningTheWork() async throws {
        let declared = try await declaration()
        #expect(declared.description == "Try parameters")
        #expect(declared.parameters.map(\.name) == ["csv", "format", "limit", "note", "out", "strict"])
        #expect(declared.parameters.first?.required == true)
        #expect(declared.parameters.first { $0.name == "format" }?.values == ["json", "csv"])
    }

    @Test(arguments: [
        ([String](), "try: missing required parameter 'csv' (the CSV); give it as --param csv=…"),
        (["csv=/nonexistent.csv"], "try: parameter 'csv': no file /nonexistent.csv"),
        (["csv=/tmp"], "try: parameter 'csv': /tmp is a folder, not a file"),
        (["csv=PATH", "limit=ten"], "try: parameter 'limit' must be a number, got 'ten'"),
        (["csv=PATH", "strict=maybe"], "try: parameter 'strict' must be true or false, got 'maybe'"),
        (["csv=PATH", "format=jsn"], "try: parameter 'format' must be one of json, csv, got 'jsn' (did you mean 'json'?)"),
        (["csv=PATH", "formt=json"], "try: unknown parameter 'formt' (did you mean 'format'?); its parameters: csv, format, limit, note, out, strict"),
        (["csv=PATH", "csv=PATH"], "try: parameter 'csv' is given twice"),
        (["csv"], "try: --param takes name=value, got 'csv'\ntry: missing required parameter 'csv' (the CSV); give it as --param csv=…"),
        (["csv=PATH", "out=/nonexistent/folder/out.json"], "try: parameter 'out': the folder /nonexistent/folder does not exist"),
    ])
    func aBadParameterIsNamed(given: [String], problem: String) async throws {
        let file = try existingFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let words = given.map { $0.replacingOccurrences(of: "PATH", with: file) }
        let declared = try await declaration()
        #expect(throws: RecipeParameters.Problem(description: problem)) {
            try RecipeParameters.resolve(words, for: declared, recipe: "try")
        }
    }

    @Test func givenValuesAreTypedAndDefaultsFillTheRest() async throws {
        let file = try existingFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let resolved = try RecipeParameters.resolve(["csv=\(file)", "limit=2.5", "strict=yes", "note=a=b"], for: try await declaration(), recipe: "try")
        #expect(resolved == ["csv": .string(file), "format": "json", "limit": 2.5, "note": "a=b", "out": "out.json", "strict": true])
        let integral = try RecipeParameters.resolve(["csv=\(file)", "limit=3", "strict=0"], for: try await declaration(), recipe: "try")
        #expect(integral["limit"] == 3)
        #expect(integral["strict"] == false)
    }

    @Test(arguments: [
        ("return recipe{ run = function() end }", "recipe: description = \"what the recipe does, in one line\" is missing"),
        ("return recipe{ description = 'x' }", "recipe: run = function(params) … end is missing"),
        ("return recipe{ description = 'x', run = 1 }", "recipe: run must be a function(params), got number"),
        ("return recipe{ description = 'x', run = print, parms = {} }", "recipe: unknown field 'parms' (did you mean 'params'?)"),
        ("return recipe{ description = 'x', run = print, params = { a = { type = 'text' } } }", "recipe: params.a.type must be one of string, number, boolean, path, enum"),
        ("return recipe{ description = 'x', run = print, params = { a = { type = 'enum' } } }", "recipe: params.a: an enum parameter lists its values"),
        ("return recipe{ description = 'x', run = print, params = { a = { type = 'number', default = 'ten' } } }", "recipe: params.a.default is not a number"),
        ("return recipe{ description = 'x', run = print, params = { a = { type = 'string', required = true, default = 'x' } } }", "recipe: params.a is required and has a default; keep one"),
        ("return recipe{ description = 'x', run = print, params = { a = { type = 'string', hepl = 'x' } } }", "recipe: params.a: unknown field 'hepl' (did you mean 'help'?)"),
        ("create_engagement{ Title = 'x', Description = 'y' }\nreturn recipe{ description = 'x', run = print }", "RecipeDeclarationError: a recipe's chunk only declares it; call CreateEngagement inside run"),
        ("local x = 1", "declares no recipe"),
    ])
    func aBadDeclarationIsAClearErrorAtItsLine(source: String, message: String) async throws {
        let result = await RecipeRun.declaration(of: Array(source.utf8), path: "bad.lua")
        guard case .failure(let error) = result else { Issue.record("\(source) was accepted"); return }
        #expect(error.description.contains(message), "\(error.description)")
        if message.hasPrefix("recipe:") { #expect(error.description.hasPrefix("bad.lua:")) }
    }

    @Test(arguments: [
        ("return recipe{ description = 'x', run = print }", true),
        ("return recipe { description = 'x', run = print }", true),
        ("local r = recipe({ description = 'x', run = print })\nreturn r", true),
        ("-- a recipe{ in a comment\nprint(1)", false),
        ("local my_recipe = {}\nprint(my_recipe)", false),
        ("t.recipe{ x = 1 }", false),
    ])
    func aFileIsARecipeWhenItsCodeCallsRecipe(source: String, isRecipe: Bool) {
        #expect(RecipeLibrary.declaresRecipe(Array(source.utf8)) == isRecipe)
    }

    private func existingFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("engage-param-\(UUID().uuidString).csv").path
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
