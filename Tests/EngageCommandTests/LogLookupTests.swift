import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage log --engagement` on an engagement the store has never seen says so, and `--catalog` keeps
/// the writes of that catalog.
@Suite(.tags(.process)) struct LogLookupTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-log-lookup-\(UUID().uuidString)")

    func create(_ title: String, catalog: String) throws -> String {
        let result = try runEngage(["call", "CreateEngagement", #"{"Title": "\#(title)", "Description": "D"}"#, "--catalog", catalog, "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue(parsing: result.stdout)["Id"]?.stringValue ?? ""
    }

    @Test func anEngagementTheStoreHasNeverSeenIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try create("Acme", catalog: "Sandbox")
        let unknown = try runEngage(["log", "--engagement", "eng-0123456789abcd", "--store", store])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no engagement 'eng-0123456789abcd' in catalog AWS or Sandbox of the store \(store)"), "\(unknown.stderr)")
        let inCatalog = try runEngage(["log", "--engagement", "eng-0123456789abcd", "--catalog", "Sandbox", "--store", store])
        #expect(inCatalog.status == 1)
        #expect(inCatalog.stderr.contains("no engagement 'eng-0123456789abcd' in catalog Sandbox"), "\(inCatalog.stderr)")
        let malformed = try runEngage(["log", "--engagement", "foo", "--store", store])
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("--engagement 'foo' is not an engagement id (eng- and 14 of 0-9 a-z) or ARN"), "\(malformed.stderr)")
    }

    @Test func catalogKeepsTheWritesOfThatCatalog() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let sandbox = try create("In Sandbox", catalog: "Sandbox")
        let aws = try create("In AWS", catalog: "AWS")
        let listed = try runEngage(["log", "--catalog", "AWS", "--store", store])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(aws))
        #expect(!listed.stdout.contains(sandbox), "\(listed.stdout)")
        let all = try runEngage(["log", "--store", store])
        #expect(all.stdout.contains(aws) && all.stdout.contains(sandbox), "without --catalog every catalog is listed")
        let wrongCatalog = try runEngage(["log", "--engagement", aws, "--catalog", "Sandbox", "--store", store])
        #expect(wrongCatalog.status == 1)
        #expect(wrongCatalog.stderr.contains("no engagement '\(aws)' in catalog Sandbox"), "\(wrongCatalog.stderr)")
    }
}
