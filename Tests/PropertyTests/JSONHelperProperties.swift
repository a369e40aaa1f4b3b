import Core
import Foundation
import OrderedJSON
import PropertyBased
import Sandbox
@testable import Scripting
import Testing

/// `json.decode` and `json.encode` in a real engine, one state for every case: any text decodes to the
/// document the parser reads, encodes back as Lua holds it, or fails with the parser's own words.
@Suite(.tags(.unit)) struct JSONHelperProperties {
    @Test(.replayable) func decodeThenEncodeGivesTheDocumentAsLuaHoldsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = ScriptEngine(service: try SandboxService(path: folder.appendingPathComponent("sandbox.sqlite").path))
        let texts = generator { dice -> String in
            dice.chance(0.6) ? JSONGen.value(&dice).serialized(pretty: dice.chance(0.3)) : String(decoding: JSONBytes.arbitrary(&dice), as: UTF8.self)
        }
        await propertyCheck(count: Fuzzing.iterations(150), input: texts) { text in
            let outcome = await engine.run("local ok, result = pcall(function(t) return json.encode(json.decode(t)) end, ...) return ok, result",
                                           chunkName: "=fuzz", arguments: [text])
            do throws(JSONSyntaxError) {
                let parsed = try JSONValue(parsing: text)
                let expected = LuaConversionProperties.asLuaHoldsIt(parsed).serialized()
                #expect(outcome == .returned([true, .string(expected)]))
            } catch {
                guard case .returned(let values) = outcome, values.count == 2, values[0] == false, let message = values[1].stringValue else {
                    Issue.record("\(outcome)")
                    return
                }
                #expect(message.hasSuffix("json.decode: \(error)"), "\(message)")
            }
        }
    }
}
