import CLua
import CShims
import Core
import Foundation

/// What a recipe needs besides the service: `json.encode/json.decode`, `read_csv(path)`,
/// `read_json(path)`, `uuid()`, `now()`, `sleep(ms)`; `log(...)` is defined in Lua (see `Prelude`).
extension Bridge {
    func registerHelpers() {
        registerJSON()
        register("read_csv") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.readCSV(L) } }
        register("read_json") { L, c in Bridge.call(L, c) { _, L throws(LuaRaise) in try Bridge.readJSON(L) } }
        register("uuid") { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                LuaValues.pushString(L, UUID().uuidString.lowercased())
                return 1
            }
        }
        register("now") { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                LuaValues.pushString(L, Timestamp.now().text)
                return 1
            }
        }
        register("sleep") { L, c in
            Bridge.call(L, c) { _, L throws(LuaRaise) in
                // A day at most: math.huge or a typo in the units would otherwise hang the script for good.
                guard lua_type(L, 1) == LUA_TNUMBER, (0...86_400_000).contains(lua_tonumberx(L, 1, nil)) else {
                    // Lua's own number format ("inf" for math.huge); NaN without the sign glibc gives it.
                    let number = lua_tonumberx(L, 1, nil)
                    let got = lua_type(L, 1) != LUA_TNUMBER ? Arguments.typeName(L, 1) : number.isNaN ? "nan" : String(format: "%.14g", number)
                    throw Arguments.error(L, 1, "sleep", "milliseconds from 0 to 86400000 (a day) expected, got \(got)")
                }
                // Ctrl-C in the REPL ends the wait at once; the interrupt then stops the chunk as it returns.
                _ = engage_sleep(lua_tonumberx(L, 1, nil))
                return 0
            }
        }
    }

    /// `read_json(path)`: the file's JSON as Lua values; errors name the file, line and column.
    private static func readJSON(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let path = try Arguments.string(L, 1, "read_json")
        let data = try contents(L, path, "read_json")
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw .message("\(callerPosition(L))read_json: \(path): \(error)")
        }
        try LuaValues.push(L, value)
        return 1
    }

    /// `read_csv(path)`: a list of rows, each a table keyed by the header row, with `_line` the line the
    /// record starts on.
    private static func readCSV(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let path = try Arguments.string(L, 1, "read_csv")
        let document: CSVDocument
        do {
            document = try CSVDocument(parsing: try Self.utf8Text(try contents(L, path, "read_csv")))
        } catch let error as CSVDocument.SyntaxError {
            throw .message("\(callerPosition(L))read_csv: \(path):\(error.line): \(error.message)")
        } catch let error as LuaRaise {
            throw error
        } catch {
            throw .message("\(callerPosition(L))read_csv: \(path): \(error)")
        }
        guard let header = document.records.first else {
            try LuaValues.push(L, .array([]))
            return 1
        }
        if let problem = CSVDocument.headerProblem(header.fields) {
            throw .message("\(callerPosition(L))read_csv: \(path):\(header.line): \(problem)")
        }
        var rows: [JSONValue] = []
        for record in document.records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw .message("\(callerPosition(L))read_csv: \(path):\(record.line): \(record.fields.count) fields, but the header has \(header.fields.count)")
            }
            var row = JSONValue.Members()
            for (name, value) in zip(header.fields, record.fields) { row[name] = .string(value) }
            row["_line"] = .integer(Int64(record.line))
            rows.append(.object(row))
        }
        try LuaValues.push(L, .array(rows))
        return 1
    }

    /// A file's bytes as text, or a syntax error at the line and column of the first byte that is not UTF-8:
    /// helpers refuse such text rather than replace what they cannot read.
    private static func utf8Text(_ data: Data) throws(CSVDocument.SyntaxError) -> String {
        let bytes = [UInt8](data)
        let decoded = bytes.withUnsafeBufferPointer { InvalidUTF8.decode($0) }
        switch decoded {
        case .success(let text): return text
        case .failure(let invalid):
            let before = bytes[..<(invalid.position - 1)]
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            let byte = String(invalid.byte, radix: 16, uppercase: true)
            throw CSVDocument.SyntaxError(line: line, message: "byte \(column) of the line (0x\(byte)) is not UTF-8; save the file as UTF-8")
        }
    }

    private static func contents(_ L: OpaquePointer, _ path: String, _ function: String) throws(LuaRaise) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .message("\(callerPosition(L))\(function): cannot read \(path)")
        }
        return data
    }
}
