import EngageTestSupport
import Foundation
import Testing

/// The sandbox store is opened by the first call that needs it: a script that makes no call never creates
/// or opens it, and a store that cannot be opened is that call's error, naming the path.
@Suite(.tags(.process)) struct StoreOpeningTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-store-opening-\(UUID().uuidString)")

    /// The default store, `$XDG_DATA_HOME/engage/sandbox.sqlite`, with no option on the command line.
    var defaultStore: String { folder.appendingPathComponent("data/engage/sandbox.sqlite").path }
    var dataHome: [String: String] { ["XDG_DATA_HOME": folder.appendingPathComponent("data").path] }

    @Test func aScriptThatMakesNoCallLeavesNoStore() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file("hi.lua", "print('hi', #Industry, LeadCustomer{ CompanyName = 'Acme' }.CompanyName)")
        let plain = try runEngage(["run", path], environment: dataHome)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == "hi\t28\tAcme\n")
        let withStore = try runEngage(["run", path, "--store", store], environment: dataHome)
        #expect(withStore.status == 0, "\(withStore.stderr)")
        for unopened in [store, defaultStore] {
            #expect(!FileManager.default.fileExists(atPath: unopened), "\(unopened) was created")
        }
    }

    @Test func theFirstCallCreatesTheDefaultStore() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file("create.lua", "print(create_engagement{ Title = 'A', Description = 'B' }.Id ~= nil)")
        let result = try runEngage(["run", path], environment: dataHome)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "true\n")
        #expect(FileManager.default.fileExists(atPath: defaultStore))
    }

    @Test func aStoreThatCannotBeOpenedIsTheFirstCallsErrorNamingThePath() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = "/dev/null/sandbox.sqlite"
        let path = try file("call.lua", "print('before')\nlocal ok, err = pcall(get_engagement, 'eng-0123456789abcd')\nprint(err.code)\nget_engagement('eng-0123456789abcd')\n")
        let result = try runEngage(["run", path, "--store", bad])
        #expect(result.status == 1)
        #expect(result.stdout == "before\nInternalServerException\n")
        #expect(result.stderr.contains("call.lua:4: InternalServerException: cannot open the sandbox store at \(bad)"), "\(result.stderr)")
    }
}
