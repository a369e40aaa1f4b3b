import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The runner's options as a user meets them, on small recipes and scripts written for the test.
@Suite(.tags(.process)) struct RecipeRunnerCommandTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-runner-\(UUID().uuidString)")

    static let greeter = #"""
        return recipe{
          name = "greeter",
          description = "Create an engagement and say so",
          params = { title = { type = "string", required = true, help = "the engagement's title" } },
          run = function(p)
            print("printed by the recipe")
            log("logged by the recipe")
            local e = create_engagement{ Title = p.title, Description = "From a test" }
            return { id = e.Id }
          end,
        }
        """#

    @Test func jsonOutputIsOneDocumentAndPrintGoesToStandardError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = try file("greeter.lua", Self.greeter)
        let result = try runEngage(["run", recipe, "--param", "title=Acme", "--output", "json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["recipe"] == "greeter")
        #expect(document["parameters"] == ["title": "Acme"])
        #expect(document["result"]?["id"]?.stringValue?.hasPrefix("eng-") == true)
        #expect(document["calls"] == [["operation": "CreateEngagement", "count": 1, "failures": 0, "conflicts": 0]])
        #expect(result.stderr.contains("printed by the recipe\n"))
        #expect(result.stderr.contains("logged by the recipe\n"))
    }

    @Test func quietSilencesLogAndVerboseShowsEachCall() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = try file("greeter.lua", Self.greeter)
        let quiet = try runEngage(["run", recipe, "--param", "title=Acme", "-q", "--store", store])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("logged by the recipe"))
        let verbose = try runEngage(["run", "-v", recipe, "--param", "title=Globex", "--store", store])
        #expect(verbose.stderr.contains("engage: CreateEngagement eng-"), "\(verbose.stderr)")
        #expect(verbose.stderr.contains(" ms ok\n"))
    }

    @Test func aFailureInJSONModeIsStillOneDocument() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = try file("greeter.lua", Self.greeter)
        let missing = try runEngage(["run", recipe, "--output", "json", "--store", store])
        #expect(missing.status == 2)
        #expect(try JSONValue(parsing: missing.stdout)["error"] == "greeter: missing required parameter 'title' (the engagement's title); give it as --param title=…")
        let tooLong = try runEngage(["run", recipe, "--param", "title=\(String(repeating: "x", count: 41))", "--output", "json", "--store", store])
        #expect(tooLong.status == 1)
        let document = try JSONValue(parsing: tooLong.stdout)
        #expect(document["ok"] == false)
        #expect(document["error"]?.stringValue?.contains("ValidationException") == true)
        #expect(document["calls"] == [["operation": "CreateEngagement", "count": 1, "failures": 1, "conflicts": 0]])
    }

    @Test func aPlainScriptCanBeDryRunAndTakesNoParameters() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try file("plain.lua", "local e = create_engagement{ Title = 'Plain', Description = 'x' }\nprint(get_engagement(e.Id).Title)\n")
        #expect(try runEngage(["run", "-", "--store", store], input: "list_engagements()").status == 0, "the first call creates the store")
        let before = try CorpusStore.content(of: store)
        let dry = try runEngage(["run", script, "--dry-run", "--store", store])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("Plain\ndry run on a throw-away copy of the sandbox, catalog Sandbox: 1 write, every one would be accepted; nothing was written\n  1. CreateEngagement eng-"), "reads see the pretend write")
        #expect(try CorpusStore.content(of: store) == before)
        let refused = try runEngage(["run", script, "--param", "x=1", "--store", store])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a plain script: it declares no recipe, so it takes no --param"))
    }

    @Test func aDryRunWhoseWriteWouldBeRefusedSaysSoAndExitsOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try file("refused.lua", "pcall(create_engagement, { Title = string.rep('x', 41), Description = 'x' })\n")
        let dry = try runEngage(["run", script, "--dry-run", "--store", store])
        #expect(dry.status == 1)
        #expect(dry.stdout.contains("catalog Sandbox: 1 write, 1 would be refused; nothing was written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("refused: ValidationException"))
    }

    @Test func recipesAreFoundOnTheSearchPathByName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try file("greeter.lua", Self.greeter)
        _ = try file("notes.lua", "-- notes: a plain script that prints\nprint('hi')\n")
        let environment = ["ENGAGE_RECIPES_PATH": folder.path]
        let listing = try runEngage(["recipes"], environment: environment)
        #expect(listing.stdout.contains(#/\ngreeter +Create an engagement and say so\n/#), "\(listing.stdout)")
        #expect(listing.stdout.contains(#/\nnotes +notes: a plain script that prints\n/#))
        let run = try runEngage(["run", "greeter", "--param", "title=Found", "--store", store], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let typo = try runEngage(["run", "greter", "--store", store], environment: environment)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("no recipe or file 'greter' (did you mean 'greeter'?)"))
    }
}
