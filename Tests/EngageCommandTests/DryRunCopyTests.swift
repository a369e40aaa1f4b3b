import EngageTestSupport
import Foundation
import Testing

/// A dry run writes nothing anywhere: not the store it names, not a folder for it, and no copy left
/// behind in $TMPDIR when it is stopped by a signal.
@Suite(.tags(.process)) struct DryRunCopyTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-dry-copy-\(UUID().uuidString)")
    var temporary: URL { folder.appendingPathComponent("tmp") }

    /// The dry-run copies in the test's $TMPDIR.
    func copies() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter { $0.hasPrefix("engage-dry-run-") }.sorted()
    }

    @Test func aDryRunOnAStoreThatDoesNotExistCreatesNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = try file("writes.lua", "create_engagement{ Title = 'T', Description = 'D' }\nprint(#list_engagements().EngagementSummaryList)\n")
        let missing = folder.appendingPathComponent("not/yet/sandbox.sqlite").path
        let result = try runEngage(["run", script, "--dry-run", "--store", missing])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("1\ndry run on a throw-away copy of the sandbox"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("not").path), "a folder was created for the store")
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aDryRunStoppedByASignalRemovesItsCopy(signal: Int32) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let script = try file("slow.lua", "create_engagement{ Title = 'T', Description = 'D' }\nio.stderr:write('written\\n')\nsleep(60000)\n")
        #expect(try runEngage(["call", "CreateEngagement", #"{"Title": "Existing", "Description": "D"}"#, "--store", store]).status == 0)
        let engage = try RunningEngage(["run", script, "--dry-run", "--store", store], environment: ["TMPDIR": temporary.path])
        let started = engage.stderr.line(at: 0, within: .seconds(60))
        #expect(started == "written", "\(engage.stderr.lines)")
        #expect(!copies().isEmpty, "the dry run works on a copy in $TMPDIR")
        #expect(engage.stop(with: signal), "ended by the signal")
        #expect(copies() == [], "left in $TMPDIR: \(copies())")
    }

    @Test func theNextDryRunSweepsCopiesWhoseProcessIsGone() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let ended = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "echo $$"])
        let gone = ended.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let alive = String(getpid())
        let stale = ["engage-dry-run-\(gone)-A.sqlite", "engage-dry-run-\(gone)-A.sqlite-wal", "engage-dry-run-\(gone)-A.sqlite.lock"]
        let live = ["engage-dry-run-\(alive)-B.sqlite", "engage-dry-run-\(alive)-B.sqlite-wal"]
        for name in stale + live { _ = try file("tmp/\(name)", "copy") }
        let script = try file("reads.lua", "print(#list_engagements().EngagementSummaryList)\n")
        let result = try runEngage(["run", script, "--dry-run", "--store", store], environment: ["TMPDIR": temporary.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(copies() == live.sorted(), "a copy whose process is alive is kept; one whose process is gone is removed")
    }
}
