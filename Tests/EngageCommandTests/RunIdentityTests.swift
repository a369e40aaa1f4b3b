import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// A recipe run is identified by its recipe, catalog and parameters; a `path` parameter counts as the file
/// it names, however the command line spells it.
@Suite(.tags(.process)) struct RunIdentityTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-run-identity-\(UUID().uuidString)")

    static let importer = #"""
        return recipe{
          description = "Create one engagement for a CSV",
          params = { csv = { type = "path", required = true, help = "the CSV" } },
          run = function(p)
            return item("the csv", function() return create_engagement{ Title = "From the CSV", Description = "x" }.Id end)
          end,
        }
        """#

    /// Runs engage in `folder`, so that relative paths on its command line start there.
    func engageInFolder(_ arguments: [String]) throws -> CommandResult {
        try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", #"cd "$0" && exec "$@""#, folder.path, engageBinary.path] + arguments)
    }

    @Test func theSameCSVUnderAnotherSpellingIsTheSameRun() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let recipe = try file("importer.lua", Self.importer)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("csv"), withIntermediateDirectories: true)
        _ = try file("csv/x.csv", "company\nAcme\n")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.csv").path, withDestinationPath: "csv/x.csv")
        let spellings = ["csv/x.csv", "./csv/x.csv", folder.appendingPathComponent("csv/x.csv").path, "csv/../csv/x.csv", "link.csv"]
        var ids: Set<String> = []
        for spelling in spellings {
            let result = try engageInFolder(["run", recipe, "--param", "csv=\(spelling)", "--store", store])
            #expect(result.status == 0, "\(spelling): \(result.stderr)")
            ids.insert(result.stdout)
        }
        #expect(ids.count == 1, "\(ids)")
        let listed = try runEngage(["call", "ListEngagements", "--store", store])
        #expect(try JSONValue(parsing: listed.stdout)["EngagementSummaryList"]?.arrayValue?.count == 1, "\(listed.stdout)")
    }
}
