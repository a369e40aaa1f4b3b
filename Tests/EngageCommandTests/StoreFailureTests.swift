import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// A store that cannot be where `--store` says, or does not exist for a command that only reads, is
/// named in words, and nothing is created.
@Suite(.tags(.process)) struct StoreFailureTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-store-failure-\(UUID().uuidString)")

    @Test func aStorePathUnderARegularFileNamesTheFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let regular = try file("notes.txt", "a file, not a folder")
        let result = try runEngage(["call", "CreateEngagement", #"{"Title": "T", "Description": "D"}"#, "--store", regular + "/sub/x.sqlite"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot create the store's folder \(regular)/sub: \(regular) is a file"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"), "\(result.stderr)")
    }

    @Test(arguments: [["log"], ["log", "--engagement", "eng-0123456789abcd"]])
    func aReadOnAStoreThatDoesNotExistSaysSoAndCreatesNothing(arguments: [String]) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("mistyped/sandbox.sqlite").path
        let result = try runEngage(arguments + ["--store", missing])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no sandbox store at \(missing)"), "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "a read created \(folder.path)")
    }

    /// `engage call` answers a read as the service answers a read of what does not exist, here an empty
    /// store's answer, says the store is missing, and creates nothing.
    @Test(arguments: ["text", "json"]) func aCallThatReadsAStoreThatDoesNotExistGetsTheServicesAnswerAndCreatesNothing(output: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("mistyped/sandbox.sqlite").path
        let note = "no sandbox store is at \(missing) yet, so this is an empty store's answer: check --store (a command that only reads creates none)"

        let get = try runEngage(["call", "GetEngagement", #"{"Identifier": "eng-0123456789abcd"}"#, "--store", missing, "--output", output])
        #expect(get.status == 1)
        #expect(get.stdout == "")
        let message = "no engagement eng-0123456789abcd in catalog Sandbox; \(note)"
        if output == "json" {
            let document = try JSONValue(parsing: get.stderr)
            #expect(document["__type"] == "ResourceNotFoundException")
            #expect(document["message"]?.stringValue == message)
        } else {
            #expect(get.stderr == "engage: ResourceNotFoundException: \(message)\n")
        }

        let list = try runEngage(["call", "list-engagements", "--store", missing, "--output", output])
        #expect(list.status == 0)
        #expect(try JSONValue(parsing: list.stdout) == ["EngagementSummaryList": []])
        #expect(list.stderr == "engage: note: \(note)\n")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "a read created \(folder.path)")
    }
}
