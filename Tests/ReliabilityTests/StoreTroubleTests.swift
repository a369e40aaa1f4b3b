import EngageTestSupport
import Foundation
import GRDB
import Testing

/// A store engage cannot write — a read-only file, a read-only folder (no room for the WAL and shared-memory
/// files), a full disk (a child whose RLIMIT_FSIZE stops the file growing) — gives an error naming the
/// store, a non-zero exit, and leaves the file sound with its earlier data.
@Suite(.tags(.process), .timeLimit(.minutes(2)))
struct StoreTroubleTests {
    /// A store holding one engagement, written and closed by engage itself.
    struct PreparedStore {
        let scratch: Scratch
        let id: String

        init(_ name: String) throws {
            scratch = try Scratch(name)
            let made = try runEngage(["call", "CreateEngagement", #"{"Title": "Before", "Description": "Written before the trouble"}"#,
                                      "--store", scratch.store])
            guard made.status == 0, let id = made.stdout.firstMatch(of: #/eng-[0-9a-z]{14}/#)?.output else {
                throw ReliabilityError("preparing the store: \(made.stderr)")
            }
            self.id = String(id)
        }

        /// The store's own data is as it was and the file is sound.
        func checkUnharmed(_ what: String) throws {
            #expect(try StoreFile.integrity(of: scratch.store) == ["ok"], "\(what): integrity_check")
            let earlier = try DatabaseQueue(path: scratch.store).read { db in
                try String.fetchOne(db, sql: "SELECT CAST(description AS TEXT) FROM engagement WHERE id = ?", arguments: [id])
            }
            #expect(earlier == "Written before the trouble", "\(what): the earlier engagement \(id) is not as it was")
        }
    }

    static let writeOnce = #"create_engagement{ Title = "After", Description = "Cannot be written" } print("written")"#

    /// How to run engage as a user for whom file modes count: root writes through them, so as root the child
    /// drops to `nobody` with setpriv (the store's folder is handed to nobody first). Nil when that is not possible.
    static func unprivilegedEngage(owning folder: URL) throws -> (URL, [String])? {
        guard getuid() == 0 else { return (engageBinary, []) }
        let nobody = "65534"
        let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
        let dropping = ["--reuid", nobody, "--regid", nobody, "--clear-groups", "--", engageBinary.path]
        let owned = try runProgram(URL(fileURLWithPath: "/bin/chown"), ["-R", "\(nobody):\(nobody)", folder.path])
        let probe = try runProgram(setpriv, dropping + ["--help"])
        guard owned.status == 0, probe.status == 0 else {
            print("StoreTroubleTests: running as root and cannot run engage as nobody (\(owned.stderr)\(probe.stderr.prefix(300))): the read-only case is skipped, since root writes through file modes")
            return nil
        }
        return (setpriv, dropping)
    }

    /// What is made read-only: the store file (0444), or its folder (0555: no room for the -wal and -shm files).
    enum ReadOnlyPart: String, CaseIterable, Sendable {
        case file, folder
    }

    @Test(arguments: ReadOnlyPart.allCases)
    func aReadOnlyStoreIsAClearErrorNamingTheStore(part: ReadOnlyPart) throws {
        // The folder's name must not hold the words the error is checked for.
        let prepared = try PreparedStore("ro-\(part)")
        defer { prepared.scratch.remove() }
        let store = prepared.scratch.store
        for leftover in ["-wal", "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: store + leftover), "engage left \(leftover) behind after a clean exit")
        }
        guard let (program, prefix) = try Self.unprivilegedEngage(owning: prepared.scratch.folder) else { return }
        let (path, mode, restored) = part == .file ? (store, 0o444, 0o644) : (prepared.scratch.folder.path, 0o555, 0o755)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let refused = try runProgram(program, prefix + ["run", "-", "--store", store], input: Data(Self.writeOnce.utf8))
        try FileManager.default.setAttributes([.posixPermissions: restored], ofItemAtPath: path)
        Self.expectClearRefusal(refused, naming: store, "a store whose \(part) has mode \(String(mode, radix: 8))")
        try prepared.checkUnharmed("read-only \(part)")
    }

    @Test func aFullDiskStopsTheWritesWithAClearErrorAndKeepsWhatWasAcknowledged() throws {
        let prepared = try PreparedStore("fsize-limit")
        defer { prepared.scratch.remove() }
        let store = prepared.scratch.store
        let size = try #require(try FileManager.default.attributesOfItem(atPath: store)[.size] as? Int)
        // Room for the WAL to grow by a few dozen transactions, then every write fails with EFBIG (SIGXFSZ is
        // ignored, as a full disk sends no signal).
        let limit = size + 96 * 1024
        let script = try prepared.scratch.file("fill.lua", #"""
            for i = 1, 100000 do
              local e = create_engagement{ Title = "Filler " .. i, Description = string.rep("x", 255), ClientToken = "filler-" .. i }
              io.write("E ", e.Id, "\n")
              io.stdout:flush()
            end
            """#)
        let command = "trap '' XFSZ; exec prlimit --fsize=\(limit) \"$0\" run \"$1\" --store \"$2\""
        let result = try runProgram(shell, ["-c", command, engageBinary.path, script, store])
        #expect(!result.crashed, "engage crashed on a full disk: \(result.stderr)")
        #expect(result.status != 0, "engage exited 0 although its writes failed")
        let acknowledged = result.stdout.split(separator: "\n").map { String($0.dropFirst(2)) }
        #expect(!acknowledged.isEmpty, "the limit left no room for any write: \(result.stderr)")
        #expect(result.stderr.contains(store), "the error does not name the store \(store): \(result.stderr)")
        #expect(result.stderr.contains("full") || result.stderr.contains("too large") || result.stderr.contains("space"),
                "the error does not say the disk is full: \(result.stderr)")
        try prepared.checkUnharmed("full disk")
        let stored = Set(try StoreFile.engagementIds(in: store))
        let missing = acknowledged.filter { !stored.contains($0) }
        #expect(missing.isEmpty, "acknowledged before the disk filled, but missing: \(missing)")
        #expect(stored.count <= acknowledged.count + 1, "stored \(stored.count), acknowledged \(acknowledged.count) and one earlier")
    }

    /// Exit status 1 (not a crash), nothing written, and stderr names the store and what is wrong with it.
    static func expectClearRefusal(_ result: CommandResult, naming store: String, _ what: String) {
        #expect(!result.crashed, "\(what): engage crashed: \(result.stderr)")
        #expect(result.status != 0, "\(what): engage exited 0: \(result.stdout)")
        #expect(!result.stdout.contains("written"), "\(what): the write was reported done")
        #expect(result.stderr.contains(store), "\(what): the error does not name the store \(store): \(result.stderr)")
        #expect(result.stderr.lowercased().contains("read-only") || result.stderr.lowercased().contains("readonly") || result.stderr.contains("permission"),
                "\(what): the error does not say the store cannot be written: \(result.stderr)")
    }
}
