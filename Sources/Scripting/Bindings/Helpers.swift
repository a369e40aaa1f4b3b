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
                guard lua_type(L, 1) == LUA_TNUMBER, lua_tonumberx(L, 1, nil) >= 0 else {
                    throw Arguments.error(L, 1, "sleep", "milliseconds (a number from 0) expected, got \(Arguments.typeName(L, 1))")
                }
                Thread.sleep(forTimeInterval: lua_tonumberx(L, 1, nil) / 1000)
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
            throw .message("\(callerPosition(L))read_json: \(path): line \(error.line), column \(error.column): \(error.message)")
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
            document = try CSVDocument(parsing: String(decoding: try contents(L, path, "read_csv"), as: UTF8.self))
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

    private static func contents(_ L: OpaquePointer, _ path: String, _ function: String) throws(LuaRaise) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .message("\(callerPosition(L))\(function): cannot read \(path)")
        }
        return data
    }
}
