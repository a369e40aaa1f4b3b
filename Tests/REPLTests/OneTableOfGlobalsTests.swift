import Core
import Foundation
import Sandbox
@testable import REPL
@testable import Scripting
import Testing

/// The table of globals (`LuaGlobals.all`) is the one list: a fresh state has its rows, help() lists them,
/// completion offers them and `engage types` declares them, and none of the four knows a global it lacks.
@Suite struct OneTableOfGlobalsTests {
    static let rows = Set(LuaGlobals.all.map(\.name))
    /// What `luaL_openlibs` defines, as completion knows it (`package` is the one library it does not list).
    static let luaOwn = Set(LuaNames.baseFunctions + LuaNames.libraries.keys + ["package"])

    @Test func theTableHasEachGlobalOnceAndEveryKind() {
        #expect(Self.rows.count == LuaGlobals.all.count, "a name appears twice")
        // Every operation of the model, and the two short names of the context operations.
        #expect(LuaGlobals.of(.operation).count == 42 + 2)
        #expect(Set(LuaGlobals.of(.operation).compactMap(\.model)) == Set(ServiceModel.operations.map(\.name)))
        #expect(LuaGlobals.of(.builder).count == 46)
        #expect(LuaGlobals.of(.enumTable).count == 42)
        #expect(LuaGlobals.named("create_opportunity")?.model == "CreateOpportunity")
        #expect(LuaGlobals.named("CurrencyCode")?.kind == .enumTable)
        #expect(LuaGlobals.named("Customer")?.kind == .builder)
        #expect(LuaGlobals.of(.helper).map(\.name).contains("read_csv"))
        #expect(LuaGlobals.named("create_context")?.model == "CreateEngagementContext")
    }

    @Test func aFreshStateHasExactlyTheTablesGlobals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-globals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = ScriptEngine(service: try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path))
        let inState = Set(engine.globalNames(startingWith: "")).subtracting(Self.luaOwn)
        #expect(inState == Self.rows)
        for row in LuaGlobals.all {
            let expected = row.kind == .enumTable ? "userdata" : row.binding.map { if case .table = $0 { "table" } else { "function" } } ?? "function"
            let outcome = await engine.run("return type(\(row.name))", chunkName: "=test")
            #expect(outcome == .returned([.string(expected)]), "\(row.name)")
        }
    }

    /// A model global is made at its first read, so start-up does not grow with the model; a script sees no
    /// difference: it is there when read, stays once made, and a global set to nil stays nil.
    @Test func theModelsGlobalsAreMadeAtTheirFirstReadAndBehaveAsIfSetAtStart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-globals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = ScriptEngine(service: try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path))
        let outcome = await engine.run("""
            local before = rawget(_G, "create_engagement") == nil and rawget(_G, "Industry") == nil and rawget(_G, "LeadCustomer") == nil
            local f = create_engagement
            local same = rawget(_G, "create_engagement") == f and create_engagement == f
            Industry = nil
            LeadCustomer = "mine"
            local ok, message = pcall(function() _G[nil] = 1 end)
            return before, same, Industry == nil, LeadCustomer, rawget(_G, "no_such_global") == nil and no_such_global == nil, message
            """, chunkName: "=test")
        #expect(outcome == .returned([true, true, true, "mine", true, "test:6: index is nil"]))
        #expect(engine.globalNames(startingWith: "Indus").isEmpty, "a global set to nil is not offered")
        #expect(engine.globalNames(startingWith: "LeadCust") == ["LeadCustomer"])
    }

    @Test func helpListsExactlyTheTablesGlobals() {
        let overview = Bridge.overview()
        for row in LuaGlobals.all {
            #expect(overview.contains(row.kind == .helper ? "  \(row.name)" : row.name), "\(row.name)")
        }
        let listed = Set(Bridge.operationGlobals.map(\.lua) + Bridge.builderShapes + Bridge.enumTables.map(\.name) + Bridge.helperGlobals.map(\.name))
        #expect(listed == Self.rows)
    }

    @Test func completionOffersExactlyTheTablesGlobals() {
        let offered = Set(CompletionVocabulary.globalNames).subtracting(LuaNames.keywords).subtracting(Self.luaOwn)
        #expect(offered == Self.rows)
        for row in LuaGlobals.all {
            #expect(CompletionEngine.complete(row.name, context: CompletionContext()).display.contains(row.name), "\(row.name)")
        }
    }

    @Test func engageTypesDeclaresExactlyTheTablesGlobals() {
        var declared = Set<String>()
        for line in LanguageServerAnnotations.file().split(separator: "\n") {
            if line.hasPrefix("function "), let name = line.dropFirst("function ".count).split(separator: "(").first, !name.contains(".") {
                declared.insert(String(name))
            } else if let name = line.split(separator: " ").first, line.contains(" = "), !line.hasPrefix("-") {
                declared.insert(String(name))
            }
        }
        // `dry_run` is set by a recipe run (`engage run --dry-run`), not by the state: declared, not a row.
        #expect(declared.subtracting(["dry_run"]) == Self.rows)
    }
}
