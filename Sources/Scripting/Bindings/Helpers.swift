import CLua
import CLuaShims
import Core
import Foundation

/// What a recipe needs besides the service: `json.encode/json.decode`, `read_csv(path)`,
/// `read_json(path)`, `uuid()`, `now()`, `sleep(ms)`, `truncate(s, n)`; `log(...)` is defined in Lua (see `Prelude`).
extension Bridge {
    /// `sleep(ms)`: a pause of up to a day. [-0, +0, e]
    static func sleep(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
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

    /// `truncate(s, n)`: `s` cut to its first `n` characters, counted as the model counts lengths (Unicode
    /// code points), so a cut never splits a character the way `s:sub(1, n)` splits its bytes.
    /// [-0, +1, e]
    static func truncate(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let text = try Arguments.string(L, 1, "truncate")
        guard lua_type(L, 2) == LUA_TNUMBER, lua_isinteger(L, 2) != 0, lua_tointegerx(L, 2, nil) >= 0 else {
            let got = lua_type(L, 2) != LUA_TNUMBER ? Arguments.typeName(L, 2)
                : lua_isinteger(L, 2) != 0 ? String(lua_tointegerx(L, 2, nil)) : String(format: "%.14g", lua_tonumberx(L, 2, nil))
            throw Arguments.error(L, 2, "truncate", "a whole number of characters from 0 up expected, got \(got)")
        }
        let limit = lua_tointegerx(L, 2, nil)
        let scalars = text.unicodeScalars
        if Int64(scalars.count) <= limit {
            lua_pushvalue(L, 1)
        } else {
            try LuaValues.push(L, .string(String(String.UnicodeScalarView(scalars.prefix(Int(limit))))))
        }
        return 1
    }

    /// `read_json(path)`: the file's JSON as Lua values; errors name the file, line and column.
    static func readJSON(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
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
    /// record starts on. Cells keep their bytes: one that is not UTF-8 is refused where it is sent, so a
    /// script can name its row and go on; the header's names must be UTF-8.
    static func readCSV(_ L: OpaquePointer) throws(LuaRaise) -> Int32 {
        let path = try Arguments.string(L, 1, "read_csv")
        let bytes = [UInt8](try contents(L, path, "read_csv"))
        func failure(_ error: CSVDocument.SyntaxError) -> LuaRaise {
            .message("\(callerPosition(L))read_csv: \(path):\(error.line): \(error.message)")
        }
        let document: CSVDocument
        do throws(CSVDocument.SyntaxError) { document = try CSVDocument(parsing: bytes) } catch { throw failure(error) }
        guard let header = document.records.first else {
            try LuaValues.push(L, .array([]))
            return 1
        }
        let names: [String]
        do throws(CSVDocument.SyntaxError) { names = try CSVDocument.columnNames(header) } catch { throw failure(error) }
        if let problem = CSVDocument.headerProblem(names) {
            throw .message("\(callerPosition(L))read_csv: \(path):\(header.line): \(problem)")
        }
        let records = document.records.dropFirst()
        if let short = records.first(where: { $0.fields.count != names.count }) {
            throw .message("\(callerPosition(L))read_csv: \(path):\(short.line): \(short.fields.count) fields, but the header has \(names.count)")
        }
        try LuaValues.pushRows(L, columns: names, rows: records.map { (line: $0.line, cells: $0.fields) })
        return 1
    }

    private static func contents(_ L: OpaquePointer, _ path: String, _ function: String) throws(LuaRaise) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .message("\(callerPosition(L))\(function): cannot read \(path)")
        }
        return data
    }
}
