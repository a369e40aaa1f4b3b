import Core
import Foundation
import Scripting

/// How a run ended, as its summary tells it: in text mode the result and the dry run's writes, with
/// `--output json` one document on standard output.
struct RunReport: Sendable {
    let request: RecipeRunRequest
    /// The recipe's name; nil for a plain script.
    let recipeName: String?
    let parameters: JSONValue?
    let calls: RunCalls
    /// What the dry run's heading says it ran on.
    var dryRunPlace = "a throw-away copy of the sandbox"

    /// How the Lua side ended: returned values, an error, or `os.exit(code)`.
    enum Ending {
        case outcome(ScriptEngine.Outcome)
        case exited(Int32)
    }

    /// Writes the summary to `output`; returns the exit status.
    func write(_ ending: Ending, to output: RunOutput) -> Int32 {
        let writes = calls.writes
        let refused = writes.filter { $0.refusal != nil }.count
        var failure: String?
        var result: JSONValue = .null
        var exitCode: Int32?
        switch ending {
        case .outcome(.failed(let message)): failure = message
        case .outcome(.returned(let values)): result = values.count > 1 ? .array(values) : values.first ?? .null
        case .exited(let code):
            exitCode = code
            if code != 0 { failure = "the \(recipeName == nil ? "script" : "recipe") called os.exit(\(code))" }
        }
        let status: Int32 = exitCode.flatMap { $0 == 0 ? nil : $0 } ?? (failure != nil || refused > 0 ? 1 : 0)
        if request.json {
            var document: JSONValue.Members = [
                "recipe": recipeName.map(JSONValue.string) ?? .null, "file": .string(request.path),
                "parameters": parameters ?? [:], "dryRun": .bool(request.dryRun), "ok": .bool(status == 0), "result": result,
                "calls": .array(calls.calls.map { call in
                    ["operation": .string(call.operation), "count": .integer(Int64(call.tally.count)),
                     "failures": .integer(Int64(call.tally.failures)), "conflicts": .integer(Int64(call.tally.conflicts))]
                }),
            ]
            if request.dryRun { document["writes"] = .array(writes.map(Self.writeDocument)) }
            if let exitCode { document["exitCode"] = .integer(Int64(exitCode)) }
            if let failure { document["error"] = .string(failure) }
            output.write(JSONValue.object(document).serialized(pretty: true) + "\n")
            return status
        }
        if let failure { FileHandle.standardError.write(Data((failure + "\n").utf8)) }
        if recipeName != nil, failure == nil, let text = Self.resultText(result) { output.write(text + "\n") }
        if request.dryRun { output.write(Self.dryRunText(writes, refused: refused, place: dryRunPlace, catalog: request.catalog)) }
        return status
    }

    /// A problem found before anything ran: one document with `--output json`, else a line on stderr.
    static func failure(_ message: String, recipe: String?, file: String?, parameters: JSONValue?, dryRun: Bool, json: Bool, output: RunOutput? = nil) {
        guard json else {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            return
        }
        let document: JSONValue = [
            "recipe": recipe.map(JSONValue.string) ?? .null, "file": file.map(JSONValue.string) ?? .null, "parameters": parameters ?? [:],
            "dryRun": .bool(dryRun), "ok": false, "error": .string(message),
        ]
        let text = document.serialized(pretty: true) + "\n"
        if let output { output.write(text) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    private static func writeDocument(_ write: RunCalls.Write) -> JSONValue {
        var members: JSONValue.Members = ["operation": .string(write.operation), "target": .string(write.target), "summary": .string(write.summary), "accepted": .bool(write.refusal == nil)]
        if let refusal = write.refusal { members["error"] = refusal.wire }
        return .object(members)
    }

    /// A recipe's return value in text mode: strings and numbers as they are, tables as indented JSON.
    private static func resultText(_ result: JSONValue) -> String? {
        switch result {
        case .null: nil
        case .string(let text): text
        case .array, .object: result.serialized(pretty: true)
        default: result.serialized()
        }
    }

    private static func dryRunText(_ writes: [RunCalls.Write], refused: Int, place: String, catalog: String) -> String {
        var lines = ["dry run on \(place), catalog \(catalog): \(writes.count) write\(writes.count == 1 ? "" : "s"), " + (refused == 0 ? "every one would be accepted" : "\(refused) would be refused") + "; nothing was written"]
        for (index, write) in writes.enumerated() {
            lines.append("  \(index + 1). \(write.operation) \(write.target)  \(write.summary)")
            if let refusal = write.refusal { lines.append("     refused: \(refusal.description.replacingOccurrences(of: "\n", with: "\n     "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
