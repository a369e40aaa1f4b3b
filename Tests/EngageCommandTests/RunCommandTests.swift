import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage run` as a user runs it: a real binary, a real sandbox file, scripts on disk or standard input.
@Suite(.tags(.process)) struct RunCommandTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-run-\(UUID().uuidString)")

    @Test func argumentsReachTheArgTableAndOptionsMayFollowTheFile() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file("args.lua", "print(arg[0], arg[1], arg[2], select('#', ...))\nprint(create_engagement{ Title = 'A', Description = 'B' }.Arn)")
        let result = try runEngage(["run", path, "leads.csv", "42", "--catalog", "AWS", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "\(path)\tleads.csv\t42\t2")
        #expect(lines.last?.contains(":catalog/AWS/engagement/") == true)
    }

    @Test func aScriptCanComeFromStandardInput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["run", "-", "--store", store], input: "print(#Industry, Industry['Retail'])")
        #expect(result.status == 0)
        #expect(result.stdout == "28\tRetail\n")
    }

    @Test func anUncaughtErrorPrintsFileLineAndTracebackAndExitsOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try file("bad.lua", "local function inner()\n  return LeadCustomer{ Industy = 'Retail' }\nend\ninner()\n")
        let result = try runEngage(["run", path, "--store", store])
        #expect(result.status == 1)
        // Lua shortens long chunk names with "...", so only the end of the path is certain.
        #expect(result.stderr.contains("bad.lua:2: LeadCustomer: unknown field 'Industy' (did you mean 'Industry'?)\nstack traceback:"))
        #expect(result.stderr.contains("in local 'inner'") || result.stderr.contains("in function 'inner'"))
    }

    @Test(arguments: [
        ("recursion.lua", "local function f(n) return 1 + f(n + 1) end\nf(1)\n", "stack overflow"),
        ("callback.lua", "update_lead('eng-00000000000000', '1', function() error('boom') end)\n", "ResourceNotFoundException"),
        ("types.lua", "create_context(42)\n", "bad argument #1 to 'create_context' (table expected, got number)"),
        ("syntax.lua", "for i = 1, 3 do\n", "'end' expected"),
    ])
    func misbehavingScriptsEndWithAClearErrorAndExitOne(name: String, source: String, expected: String) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runEngage(["run", try file(name, source), "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func aMissingScriptIsAClearError() throws {
        let result = try runEngage(["run", "/nonexistent/recipe.lua", "--store", store])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no recipe or file '/nonexistent/recipe.lua'"))
    }

    /// 15 processes, three per context on one engagement's five contexts, each appending 3 interactions.
    @Test(.timeLimit(.minutes(3))) func fifteenProcessesAppendConcurrentlyAndLoseNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try appendFromFifteenProcesses(backend: ["--store", store])
    }

    /// The same scripts, unchanged, through `engage serve`: every process signs its requests over HTTP.
    @Test(.timeLimit(.minutes(3))) func fifteenProcessesAppendThroughEngageServeAndLoseNothing() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServedSandbox()
        let keys = ["AWS_ACCESS_KEY_ID": ServedSandbox.alice.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.alice.secret,
                    "AWS_CONFIG_FILE": server.folder.appendingPathComponent("aws-config").path, "AWS_PROFILE": ""]
        try appendFromFifteenProcesses(backend: ["--endpoint-url", server.endpoint], environment: keys)
        #expect(server.stop() == 0)
    }

    func appendFromFifteenProcesses(backend: [String], environment: [String: String] = [:]) throws {
        let setup = try file("setup.lua", #"""
            local e = create_engagement{ Title = "Shared lead", Description = "Fifteen writers" }
            for i = 1, 5 do
              create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
                Customer = { CompanyName = "Acme", Address = { CountryCode = "US" } },
                Interactions = { { SourceType = "Seed", SourceId = "seed-" .. i, SourceName = "setup", CustomerAction = "Created",
                  Contact = { BusinessTitle = "CTO", Email = "cto@acme.example", FirstName = "Ada", LastName = "Lee" } } } } } }
            end
            print(e.Id)
            """#)
        let created = try runEngage(["run", setup] + backend, environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let engagement = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let worker = try file("worker.lua", #"""
            local engagement, context, tag = ...
            for i = 1, 3 do
              append_interaction(engagement, context, { SourceType = "Worker", SourceId = tag .. "-" .. i, SourceName = "worker",
                CustomerAction = "Appended", Contact = { BusinessTitle = "CTO", Email = "cto@acme.example", FirstName = "Ada", LastName = "Lee" } },
                { max_attempts = 100, base_delay_ms = 5, max_delay_ms = 200 })
            end
            """#)
        var processes: [(Process, Pipe)] = []
        for context in 1...5 {
            for writer in 1...3 {
                let process = Process()
                process.executableURL = engageBinary
                process.arguments = ["run", worker, engagement, String(context), "c\(context)w\(writer)"] + backend
                process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                try process.run()
                processes.append((process, errors))
            }
        }
        for (process, errors) in processes {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(text)")
        }
        let check = try file("check.lua", #"""
            local ids = {}
            for _, context in ipairs(get_engagement((...)).Contexts) do
              for _, interaction in ipairs(context.Payload.Lead.Interactions) do ids[#ids + 1] = interaction.SourceId end
            end
            table.sort(ids)
            print(table.concat(ids, "\n"))
            """#)
        let read = try runEngage(["run", check, engagement] + backend, environment: environment)
        let ids = read.stdout.split(separator: "\n").map(String.init)
        var expected = (1...5).map { "seed-\($0)" }
        for context in 1...5 { for writer in 1...3 { for i in 1...3 { expected.append("c\(context)w\(writer)-\(i)") } } }
        #expect(ids.count == 50)
        #expect(ids == expected.sorted(), "every append present once")
    }
}

/// After FILE the words are the script's, as with `lua`: `--help` and unknown flags included, engage's own
/// options excepted, and after `--` every word.
@Suite(.tags(.process)) struct RunArgumentTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-run-args-\(UUID().uuidString)")

    @Test(arguments: [
        (["--help"], "--help"),
        (["-x", "--help", "--level=1"], "-x|--help|--level=1"),
        (["a", "--store", "STORE", "b"], "a|b"),
        (["--catalog=AWS", "a"], "a"),
        (["a", "--", "--store", "z", "--help"], "a|--store|z|--help"),
    ])
    func theScriptGetsEveryWordAfterItsFile(words: [String], expected: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.sqlite").path
        let script = folder.appendingPathComponent("args.lua")
        try Data("print(table.concat(arg, '|'))".utf8).write(to: script)
        let result = try runEngage(["run", "--store", store, script.path] + words.map { $0 == "STORE" ? store : $0 })
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected + "\n")
    }

    @Test func runHelpWithoutAFileIsRunsOwnHelp() throws {
        let result = try runEngage(["run", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("OVERVIEW: Run a recipe or a Lua script"))
    }

    @Test(arguments: ["s.sqlite", "y", "deeper/z.sqlite"])
    func aBareRelativeStorePathIsInTheCurrentFolder(name: String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engage = engageBinary.path
        let result = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$1\" && \"$2\" call CreateEngagement '{\"Title\":\"T\",\"Description\":\"D\"}' --store \"$3\"", "sh", folder.path, engage, name])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
    }
}
