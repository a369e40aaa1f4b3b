import Core
import Foundation
import Sandbox
import Scripting

/// A script engine on a real sandbox file in a fresh temporary folder.
struct ScriptFixture {
    let folder: URL
    let engine: ScriptEngine

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-script-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        engine = ScriptEngine(service: try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path))
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Runs `source` as `test.lua` and returns what it returned, or fails with its error text.
    func run(_ source: String, arguments: [String] = []) async -> ScriptEngine.Outcome {
        await engine.run(source, chunkName: "@test.lua", scriptName: "test.lua", arguments: arguments)
    }

    /// Writes `contents` to a file in the fixture's folder and returns its path.
    func file(_ name: String, _ contents: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }
}

/// Lua that defines `interaction(source)`, `lead_context()` and `engagement_with_lead()` for the tests.
let luaHelpers = #"""
local function interaction(source)
  return LeadInteraction{ SourceType = "Event", SourceId = source, SourceName = "AWS Summit", CustomerAction = "Asked for a demo",
    Contact = LeadContact{ BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee" } }
end
local function engagement_with_lead()
  local e = create_engagement{ Title = "Acme data platform", Description = "Joint pilot" }
  local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = LeadContext{
    Customer = LeadCustomer{ CompanyName = "Acme", Industry = Industry["Retail"], Address = AddressSummary{ CountryCode = "US" } },
    Interactions = { interaction("seed") } } } }
  return e, c
end

"""#
