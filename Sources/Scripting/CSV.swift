/// A CSV reader following RFC 4180: comma separated, fields in double quotes may hold commas, line breaks
/// and doubled quotes; CRLF or LF line ends; a UTF-8 byte order mark is skipped. Each record keeps the
/// line it starts on, for error messages. Fields are bytes, as Lua strings are: the separators are ASCII,
/// so a cell that is not UTF-8 spoils only itself, and is refused where it is sent, naming its row.
struct CSVDocument {
    struct Record {
        let line: Int
        let fields: [[UInt8]]
    }

    let records: [Record]

    /// Why a text is not CSV, and on which line.
    struct SyntaxError: Error {
        let line: Int
        let message: String
    }

    init(parsing text: [UInt8]) throws(SyntaxError) {
        var records: [Record] = []
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        var quoted = false
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var bytes = text[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var iterator = bytes.makeIterator()
        var pending: UInt8? = iterator.next()

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = []
            fieldWasQuoted = false
        }

        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while let byte = pending {
            pending = iterator.next()
            if quoted {
                if byte == quote {
                    if pending == quote {
                        field.append(quote)
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            case quote:
                throw SyntaxError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            case comma:
                fields.append(field)
                field = []
                fieldWasQuoted = false
            case cr where pending == lf:
                continue
            case lf, cr:
                endRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted { throw SyntaxError(line: line, message: "text after a closing quote") }
                field.append(byte)
            }
        }
        if quoted { throw SyntaxError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        self.records = records
    }

    /// The header's column names as text, or why one is not UTF-8: names key the rows, so they must be text.
    static func columnNames(_ header: Record) throws(SyntaxError) -> [String] {
        var names: [String] = []
        for (index, field) in header.fields.enumerated() {
            switch field.withUnsafeBufferPointer({ InvalidUTF8.decode($0) }) {
            case .success(let name): names.append(name)
            case .failure(let invalid):
                throw SyntaxError(line: header.line, message: "the name of column \(index + 1) is not UTF-8 (\(invalid)); save the file as UTF-8")
            }
        }
        return names
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
