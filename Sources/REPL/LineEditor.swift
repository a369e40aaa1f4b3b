import CEditLineShims
import Foundation

/// libedit on the terminal: emacs keys, the user's ~/.editrc, UTF-8 input (other bytes kept as typed),
/// history kept in a file, and TAB handed to `complete`. One per REPL session, used from one thread.
final class LineEditor {
    /// What TAB does with the bytes before the cursor; `repeated` is true on the second TAB in a row.
    typealias Complete = (_ before: [UInt8], _ repeated: Bool, _ editor: LineEditor) -> Bool

    private var editor: OpaquePointer?
    private let complete: Complete

    /// The outcome of reading a line.
    enum Input: Equatable {
        /// The line's bytes, as typed.
        case line([UInt8])
        /// Ctrl-C: the line being typed was discarded.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case end
        /// SIGTERM or SIGHUP: the session must end (the terminal is back in the mode it was in).
        case ended(signal: Int32)
    }

    /// `historyPath` nil keeps history for this session only.
    init(historyPath: String?, historySize: Int, complete: @escaping Complete) {
        self.complete = complete
        // libedit decodes multibyte input by the locale; C programs start in "C", which is ASCII. engage's
        // text is UTF-8 whatever the environment says.
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        let context = Unmanaged.passUnretained(self).toOpaque()
        editor = engage_editor_open("engage", historyPath, Int32(historySize), { _, before, length, repeated, context in
            guard let before, let context else { return 0 }
            let lineEditor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            let bytes = before.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            return lineEditor.complete(bytes, repeated != 0, lineEditor) ? 1 : 0
        }, context)
    }

    deinit {
        engage_editor_close(editor)
    }

    func read(prompt: String) -> Input {
        var length = 0
        var endedBy: Int32 = 0
        guard let line = engage_editor_read(editor, prompt, &length, &endedBy) else {
            switch endedBy {
            case 0: return .end
            case SIGINT: return .interrupted
            default: return .ended(signal: endedBy)
            }
        }
        return .line(Array(UnsafeBufferPointer(start: line, count: length)))
    }

    /// Takes the terminal for keys as soon as a chunk has run, before its result prints: what the user types
    /// from then on is edited by libedit, not by the terminal.
    func takeKeys() {
        engage_editor_take_keys(editor)
    }

    /// Replaces the last `characters` characters before the cursor with `text`.
    func replace(characters: Int, with text: String) {
        engage_editor_replace(editor, Int32(characters), text)
    }

    /// Prints `items` in columns below the line, as a shell lists completions, cut to fit the screen.
    func list(_ items: [String]) {
        let width = Int(engage_editor_columns(editor))
        let rows = max(3, Int(engage_editor_rows(editor)) - 4)
        engage_editor_list(editor, Self.columns(items, width: width, rows: rows))
    }

    func remember(_ entry: [UInt8]) {
        engage_editor_remember(editor, entry.map { CChar(bitPattern: $0) } + [0])
    }

    /// `items` laid out down then across in as many columns as fit in `width`, in at most `rows` lines:
    /// when they do not all fit, the last line says how many more there are (`… 180 more`).
    static func columns(_ items: [String], width: Int, rows: Int = .max) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        let fits = (items.count + perRow - 1) / perRow <= rows
        let shown = fits ? items : Array(items.prefix(perRow * max(rows - 1, 1)))
        let rowCount = (shown.count + perRow - 1) / perRow
        var lines: [String] = []
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<perRow {
                let index = column * rowCount + row
                guard index < shown.count else { continue }
                let item = shown[index]
                line += column == perRow - 1 || index + rowCount >= shown.count ? item : item.padding(toLength: cell, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        if !fits { lines.append("… \(items.count - shown.count) more") }
        return lines.joined(separator: "\n") + "\n"
    }
}
