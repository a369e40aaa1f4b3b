@testable import engage
import Testing

/// `engage run FILE …` splits engage's own options from the script's arguments with a written-out table,
/// not ArgumentParser's description of the command, which is slow to build at every start.
@Suite(.tags(.unit)) struct RunOptionsTests {
    @Test func theWrittenTableIsEveryOptionArgumentParserKnows() {
        #expect(RunScript.ownOptions == RunScript.optionsFromHelp())
        #expect(RunScript.optionsFromHelp()["--store"] == true)
    }

    @Test func engageOptionsAnywhereAreEngagesAndTheRestAreTheScripts() throws {
        let split = try #require(RunScript.split(["--store", "s.sqlite", "job.lua", "-v", "--region=eu-west-1", "x", "--", "--store", "y"]))
        #expect(split.engage == ["--store", "s.sqlite", "-v", "--region=eu-west-1"])
        #expect(split.file == "job.lua")
        #expect(split.script == ["x", "--store", "y"])
        #expect(RunScript.split(["--help"]) == nil)
    }
}
