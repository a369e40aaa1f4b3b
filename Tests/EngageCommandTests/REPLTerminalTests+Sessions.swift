import EngageTestSupport
import Foundation
import Testing

/// The REPL in a real terminal when things get rough: signals, a call that waits, keys typed early, a
/// session with 200,000 globals, two sessions sharing a history, no home, a line wider than the terminal.
extension REPLTerminalTests {
    @Test(.timeLimit(.minutes(2))) func ctrlCStopsASleepingCallAndALineTypedMeanwhileRuns() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt()
        // Each chunk says it started, so the keys below reach it while it runs.
        terminal.enter(#"print("sleep" .. "ing") sleep(60000)"#)
        try terminal.waitFor("\nsleeping\n")
        terminal.press("C-c")
        try terminal.waitFor("interrupted!\n\(sandboxPrompt)")

        // A line typed while a call runs is read once the call is over.
        terminal.enter(#"print("wait" .. "ing") sleep(1500)"#)
        try terminal.waitFor("\nwaiting\n")
        terminal.enter("typed_meanwhile = 6 * 7")
        try terminal.waitFor("\(sandboxPrompt)typed_meanwhile = 6 * 7\n\(sandboxPrompt)")
        terminal.enter("typed_meanwhile")
        try terminal.waitFor("typed_meanwhile\n42")
    }

    @Test(.timeLimit(.minutes(2))) func keysTypedRightAfterALineAreKeysEvenInABigSession() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt()
        terminal.enter(#"for i = 1, 200000 do _G["g" .. i] = { i } end"#)
        try terminal.waitFor("end\n\(sandboxPrompt)")
        // Ctrl-D sent right behind a line's Enter, while its prompt is drawn, still quits.
        terminal.enter("g1[1]")
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
        try terminal.waitFor("g1[1]\n1\n")
    }

    @Test(.timeLimit(.minutes(2))) func aCtrlDTypedWhileAChunkRunsQuitsWhenItEnds() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt()
        terminal.enter(#"print("sleep" .. "ing") sleep(1000)"#)
        try terminal.waitFor("\nsleeping\n")
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
    }

    @Test(.timeLimit(.minutes(2))) func sigtermAndSighupLeaveTheTerminalAsItWasAndTheHistorySaved() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        for (number, name) in [(SIGTERM, "kept_before_term = 1"), (SIGHUP, "kept_before_hup = 2")] {
            try terminal.startAtPrompt()
            terminal.enter(name)
            terminal.type("half a line")
            try terminal.waitFor("\(sandboxPrompt)half a line")
            kill(try terminal.engageProcess(), number)
            try terminal.waitFor("EXITED \(128 + number)\nTTY icanon echo")
        }
        // A chunk running when the signal comes: the terminal comes back too.
        try terminal.startAtPrompt()
        terminal.enter(#"print("loop" .. "ing") while true do end"#)
        try terminal.waitFor("\nlooping\n")
        kill(try terminal.engageProcess(), SIGTERM)
        try terminal.waitFor("EXITED \(128 + SIGTERM)\nTTY icanon echo")

        let history = try String(contentsOf: terminal.home.appendingPathComponent("state/engage/history"), encoding: .utf8)
        #expect(history.contains(#"kept_before_term\040=\0401"#) && history.contains(#"kept_before_hup\040=\0402"#), "\(history)")
    }

    @Test(.timeLimit(.minutes(2))) func twoSessionsAtOnceKeepEachOthersHistory() throws {
        let first = try Terminal()
        defer { first.stop() }
        let second = try Terminal()
        defer { second.stop() }
        let shared = ["XDG_STATE_HOME": first.home.appendingPathComponent("shared").path]
        try first.startAtPrompt(environment: shared)
        try second.startAtPrompt(environment: shared)
        for (terminal, line) in [(first, "a1=1"), (second, "b1=2"), (first, "a2=3"), (second, "b2=4")] {
            terminal.enter(line)
            try terminal.waitFor("\(line)\n\(sandboxPrompt)")
        }
        second.press("C-d")
        try second.waitFor("EXITED 0")
        first.press("C-d")
        try first.waitFor("EXITED 0")
        let history = try String(contentsOf: first.home.appendingPathComponent("shared/engage/history"), encoding: .utf8)
        #expect(history.split(separator: "\n").dropFirst() == ["a1=1", "b1=2", "a2=3", "b2=4"], "\(history)")

        // A third session recalls the other sessions' lines too, newest first.
        try first.startAtPrompt(environment: shared)
        first.press("Up")
        try first.waitFor("\(sandboxPrompt)b2=4")
    }

    @Test(.timeLimit(.minutes(2))) func anAppendedEntryDropsTheOldestPastAThousand() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        let folder = terminal.home.appendingPathComponent("state/engage")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let earlier = (1...1000).map { "e\($0)=\($0)" }
        try Data((["_HiStOrY_V2_"] + earlier).map { $0 + "\n" }.joined().utf8).write(to: folder.appendingPathComponent("history"))
        try terminal.startAtPrompt()
        terminal.enter("newest=1")
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
        let history = try String(contentsOf: folder.appendingPathComponent("history"), encoding: .utf8)
        #expect(history.split(separator: "\n").dropFirst().map(String.init) == Array(earlier.dropFirst()) + ["newest=1"])
    }

    @Test(.timeLimit(.minutes(2))) func withNoUsableHomeHistoryStaysInMemoryAndSaysSo() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        let marker = "history_marker_\(UUID().uuidString.prefix(8))=1"
        try terminal.start(environment: ["HOME": "", "XDG_STATE_HOME": ""])
        try terminal.waitFor("engage: history is kept for this session only: neither XDG_STATE_HOME nor HOME is an absolute path")
        // Keys go to the line editor only once it shows its prompt: typed earlier, the terminal echoes them raw.
        try terminal.waitFor(sandboxPrompt)
        terminal.enter(marker)
        try terminal.waitFor("\(sandboxPrompt)\(marker)\n\(sandboxPrompt)")
        terminal.press("Up")
        try terminal.waitFor("\(sandboxPrompt)\(marker)\n\(sandboxPrompt)\(marker)")
        terminal.press("C-u")
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
        let written = (try? String(contentsOfFile: "/.local/state/engage/history", encoding: .utf8)) ?? ""
        #expect(!written.contains(marker))
    }

    /// A line longer than the terminal is wide: the second TAB lists the candidates below all of it, and a
    /// resize draws it again whole.
    @Test(.timeLimit(.minutes(2))) func aLineWiderThanTheTerminalListsCandidatesAndSurvivesAResize() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt(width: 130)
        let line = #"create_context{ EngagementIdentifier = "eng-abcdefghijklmn", Type = "Lead", Payload = { Lead = { Customer = { CompanyName = "Example Company", Address = { CountryCode = "Z"#
        terminal.type(line)
        terminal.press("Tab")
        terminal.press("Tab")
        try terminal.waitFor("ZA  ZM  ZW\n\(sandboxPrompt)\(line)")

        try terminal.resize(width: 90)
        terminal.type("W")
        terminal.press("Tab")
        try terminal.waitFor("ZA  ZM  ZW\n\(sandboxPrompt)\(line)W\"")
        try terminal.resize(width: 200)
        terminal.enter(" } } } } }")
        try terminal.waitFor("ZA  ZM  ZW\n\(sandboxPrompt)\(line)W\" } } } } }\n")
    }

    @Test(.timeLimit(.minutes(2))) func aBigTablesKeysCompleteAndAListIsCutWithACount() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt()
        terminal.enter(#"big = {} for i = 1, 20000 do big["key" .. i] = i end"#)
        try terminal.waitFor("end\n\(sandboxPrompt)")
        terminal.type("big.key1999")
        terminal.press("Tab")
        terminal.press("Tab")
        try terminal.waitFor("key19990  key19991  key19992")
        terminal.press("C-u")
        terminal.type("big.key")
        terminal.press("Tab")
        terminal.press("Tab")
        try terminal.waitFor(" more\n\(sandboxPrompt)big.key")
    }

    @Test(.timeLimit(.minutes(2))) func typedBytesThatAreNotUTF8ReachLuaAsTheyAre() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.startAtPrompt()
        terminal.type(#"#"a"#)
        terminal.tmuxCommand(["send-keys", "-H", "ff"])
        terminal.enter(#"bé""#)
        try terminal.waitFor("\n5\n\(sandboxPrompt)")
        // Recalled from the history, in this session and the next, the line keeps its byte.
        terminal.press("Up")
        terminal.press("Enter")
        try terminal.waitFor("\n5\n\(sandboxPrompt)#\"a\\U+DCFFbé\"\n5\n\(sandboxPrompt)")
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
        try terminal.startAtPrompt()
        terminal.press("Up")
        terminal.press("Enter")
        try terminal.waitFor("\n5\n\(sandboxPrompt)")
    }
}
