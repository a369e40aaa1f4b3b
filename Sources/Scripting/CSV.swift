/// A CSV reader following RFC 4180: comma separated, fields in double quotes may hold commas, line breaks
/// and doubled quotes; CRLF or LF line ends; a UTF-8 byte order mark is skipped. Each record keeps the
/// line it starts on, for error messages.
struct CSVDocument {
    struct Record {
        let line: Int
        let fields: [String]
    }

    let records: [Record]

    /// Why a text is not CSV, and on which line.
    struct SyntaxError: Error {
        let line: Int
        let message: String
    }

    init(parsing text: String) throws(SyntaxError) {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            case "\"":
                throw SyntaxError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted { throw SyntaxError(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw SyntaxError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        self.records = records
    }

    /// Why a header row cannot key the rows, or nil: every column needs a name of its own (Swift compares
    /// names as Unicode text, so `é` and `e` + U+0301 are one name) and `_line` is read_csv's own.
    static func headerProblem(_ names: [String]) -> String? {
        for (index, name) in names.enumerated() {
            if name == "_line" { return "column \(index + 1) is named '_line', which read_csv uses for each row's line number; rename the column" }
            if let earlier = names[..<index].firstIndex(of: name) {
                let what = name.isEmpty ? "have no name" : "are both named '\(name)'"
                return "columns \(earlier + 1) and \(index + 1) \(what); give every column a name of its own"
            }
        }
        return nil
    }
}
