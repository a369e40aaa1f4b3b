import CShims
import Foundation

/// libedit on the terminal: emacs keys, the user's ~/.editrc, UTF-8 input, history kept in a file, and TAB
/// handed to `complete`. One per REPL session, used from one thread.
final class LineEditor {
    /// What TAB does with the text before the cursor; `repeated` is true on the second TAB in a row.
    typealias Complete = (_ before: String, _ repeated: Bool, _ editor: LineEditor) -> Bool

    private var editor: OpaquePointer?
    private let complete: Complete

    /// The outcome of reading a line.
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C: the line being typed was discarded.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case end
    }

    init(historyPath: String?, historySize: Int, complete: @escaping Complete) {
        self.complete = complete
        // libedit decodes multibyte input by the locale; C programs start in "C", which is ASCII. engage's
        // text is UTF-8 whatever the environment says.
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        let context = Unmanaged.passUnretained(self).toOpaque()
        editor = engage_editor_open("engage", historyPath, Int32(historySize), { _, before, repeated, context in
            guard let before, let context else { return 0 }
            let lineEditor = Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue()
            return lineEditor.complete(String(cString: before), repeated != 0, lineEditor) ? 1 : 0
        }, context)
    }

    deinit {
        engage_editor_close(editor)
    }

    func read(prompt: String) -> Input {
        var interrupted: Int32 = 0
        guard let line = engage_editor_read(editor, prompt, &interrupted) else { return interrupted != 0 ? .interrupted : .end }
        return .line(String(cString: line))
    }

    /// Replaces the last `characters` characters before the cursor with `text`.
    func replace(characters: Int, with text: String) {
        engage_editor_replace(editor, Int32(characters), text)
    }

    /// Prints `items` in columns below the line, as a shell lists completions.
    func list(_ items: [String]) {
        let width = Int(engage_editor_columns(editor))
        engage_editor_list(editor, Self.columns(items, width: width))
    }

    func remember(_ entry: String) {
        engage_editor_remember(editor, entry)
    }

    /// `items` laid out down then across in as many columns as fit in `width`.
    static func columns(_ items: [String], width: Int) -> String {
        let cell = (items.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        let rows = (items.count + perRow - 1) / perRow
        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<perRow {
                let index = column * rows + row
                guard index < items.count else { continue }
                let item = items[index]
                line += column == perRow - 1 || index + rows >= items.count ? item : item.padding(toLength: cell, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
