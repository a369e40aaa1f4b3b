import EngageTestSupport
import Foundation
import Testing

/// The REPL without a terminal (`… | engage`): its input is bytes, read chunk by chunk as `lua` reads a
/// file, with the session's locals kept from one line to the next.
@Suite(.tags(.process)) struct REPLPipedInputTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-repl-piped-\(UUID().uuidString)")

    func repl(_ input: Data) throws -> CommandResult {
        try runEngage(["repl", "--store", store], bytes: input)
    }

    @Test func linesEndingInCRLFRunAsLinesEndingInLF() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try repl(Data("x=1\r\nx\r\nfor i = 1, 2 do\r\n  print(i)\r\nend\r\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1\n1\n2\n")
    }

    @Test func bytesThatAreNotUTF8ReachLuaAsTheyAre() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try repl(Data("#\"a".utf8) + Data([0xFF]) + Data("b\"\nstring.byte(\"".utf8) + Data([0xFE]) + Data("\")\n".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "3\n254\n")
    }

    @Test func localsOnAnyLineOutliveIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = """
            local html = "<b>"
            html
            local a, b = 1, 2
            a + b
            local c = 3; local d = 4
            c + d
            local n <const> = 5
            n
            """
        let result = try repl(Data((input + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\"<b>\"\n3\n7\n5\n")
    }

    @Test func anErrorValuePrintsAsLuaPrintsIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = "error({code = 1})\nerror(42)\nerror(setmetatable({}, { __tostring = function() return 'mine' end }))\n"
        let result = try repl(Data(input.utf8))
        #expect(result.status == 1)
        #expect(result.stderr == "(error object is a table value)\n42\nmine\n")
    }
}
