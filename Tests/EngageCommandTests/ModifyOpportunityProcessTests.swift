import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `modify_opportunity` from many processes at once on one sandbox file: the LastModifiedDate guard and
/// the retry on ConflictException lose no write.
@Suite(.tags(.process)) struct ModifyOpportunityProcessTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-modify-\(UUID().uuidString)")

    @Test(.timeLimit(.minutes(3))) func eightProcessesEachAddingTenToACounterLeaveEighty() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let setup = try file("setup.lua", #"""
            local o = create_opportunity{ PartnerOpportunityIdentifier = "0",
              Customer = { Account = { CompanyName = "Acme", Industry = "Other", OtherIndustry = "Counting" } } }
            print(o.Id)
            """#)
        let created = try runEngage(["run", setup, "--store", store])
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let worker = try file("worker.lua", #"""
            local id = ...
            for _ = 1, 10 do
              modify_opportunity(id, function(request)
                request.PartnerOpportunityIdentifier = tostring(tonumber(request.PartnerOpportunityIdentifier) + 1)
                return request
              end, { max_attempts = 200, base_delay_ms = 2, max_delay_ms = 100 })
            end
            """#)
        var processes: [(Process, Pipe)] = []
        for _ in 1...8 {
            let process = Process()
            process.executableURL = engageBinary
            process.arguments = ["run", worker, id, "--store", store]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            processes.append((process, errors))
        }
        for (process, errors) in processes {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }
        let read = try runEngage(["call", "GetOpportunity", #"{"Identifier": "\#(id)"}"#, "--store", store])
        #expect(try JSONValue(parsing: read.stdout)["PartnerOpportunityIdentifier"] == "80", "\(read.stdout)\(read.stderr)")
        let integrity = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["sqlite3", store, "PRAGMA integrity_check"])
        #expect(integrity.stdout == "ok\n")
        // One audited write per increment, and the creation.
        let log = try runEngage(["log", "--opportunity", id, "--store", store, "--output", "json"])
        #expect(try JSONValue(parsing: log.stdout)["Entries"]?.arrayValue?.count == 81)
    }
}
