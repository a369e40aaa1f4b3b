import CShims
import Core
import Foundation
import Scripting

/// The interactive session: reads Lua a line at a time, evaluates it as lua.c's REPL does (an expression
/// prints its values, an unfinished chunk keeps reading), prints results with `PrettyPrinter`, and keeps
/// the session's globals across errors. Without a terminal it reads chunks from standard input silently.
public final class REPLSession {
    private let engine: ScriptEngine
    private let backend: String
    private let place: String
    private let catalog: String
    private var facts = ScriptEngine.SessionFacts()
    /// The lines of an unfinished chunk, which completion reads before the current line.
    private var pending = ""

    /// History entries kept across sessions.
    public static let historySize = 1000

    /// `backend` is the prompt's short name (`sandbox`, `endpoint`, `aws`); `place` says in the banner where
    /// it is (`the sandbox (/path/to/store)`, `AWS at https://…`).
    public init(engine: ScriptEngine, backend: String, place: String, catalog: String) {
        self.engine = engine
        self.backend = backend
        self.place = place
        self.catalog = catalog
    }

    /// `$XDG_STATE_HOME/engage/history`, or `~/.local/state/engage/history`; its folder is created.
    public static func historyPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        let folder = state + "/engage"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder + "/history"
    }

    /// The prompt: backend and catalog, `sandbox:Sandbox> `, `aws:AWS> `.
    var prompt: String { "\(backend):\(catalog)> " }
    static let continuationPrompt = "…> "

    /// Runs the REPL on the terminal until Ctrl-D; returns the exit status (0).
    public func runInteractive() async -> Int32 {
        // Ctrl-C between reads and runs does nothing; while reading it discards the line, while a chunk
        // runs it interrupts it (the editor and the engine install their own handlers for that).
        signal(SIGINT, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let printer = PrettyPrinter(colour: isatty(STDOUT_FILENO) != 0 && environment["NO_COLOR"] == nil)
        let editor = LineEditor(historyPath: Self.historyPath(), historySize: Self.historySize) { [unowned self] before, repeated, editor in
            self.complete(before, repeated: repeated, editor: editor)
        }
        say("engage \(EngageVersion.text) on \(place), catalog \(catalog). TAB completes, help() explains, Ctrl-D quits.")
        facts = await engine.sessionFacts()
        pending = ""
        while true {
            switch editor.read(prompt: pending.isEmpty ? prompt : Self.continuationPrompt) {
            case .end:
                say("")
                return 0
            case .interrupted:
                pending = ""
            case .line(let line):
                let chunk = pending.isEmpty ? line : pending + "\n" + line
                guard !chunk.allSatisfy(\.isWhitespace) else { pending = ""; continue }
                let evaluation = await engine.evaluate(Self.keepingLocals(chunk))
                if evaluation == .incomplete {
                    pending = chunk
                    continue
                }
                pending = ""
                if !chunk.hasPrefix(" ") { editor.remember(chunk) }
                // The terminal echoed ^C with no line end.
                if case .failed(let message) = evaluation, message.hasSuffix("interrupted!") { say("") }
                report(evaluation, printer: printer)
                facts = await engine.sessionFacts()
            }
        }
    }

    /// Reads chunks from standard input with no prompt, banner, editing or history; returns 1 when a
    /// chunk failed (or the input ended inside one), else 0.
    public func runPiped(_ input: FileHandle = .standardInput) async -> Int32 {
        let printer = PrettyPrinter()
        let text = String(decoding: input.readDataToEndOfFile(), as: UTF8.self)
        var failed = false
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let chunk = pending.isEmpty ? line : pending + "\n" + line
            guard !chunk.allSatisfy(\.isWhitespace) else { pending = ""; continue }
            let evaluation = await engine.evaluate(Self.keepingLocals(chunk))
            if evaluation == .incomplete { pending = chunk; continue }
            pending = ""
            if case .failed = evaluation { failed = true }
            report(evaluation, printer: printer)
        }
        if !pending.isEmpty {
            FileHandle.standardError.write(Data("engage: the input ended inside an unfinished chunk:\n\(pending)\n".utf8))
            failed = true
        }
        return failed ? 1 : 0
    }

    /// A line on C's stdout, the stream Lua's `print` writes to, so the two stay in order.
    private func say(_ line: String) {
        engage_write_stdout(line + "\n")
    }

    private func report(_ evaluation: ScriptEngine.Evaluation, printer: PrettyPrinter) {
        switch evaluation {
        case .values(let values) where !values.isEmpty:
            say(printer.render(values))
        case .failed(let message):
            FileHandle.standardError.write(Data((message + "\n").utf8))
        default:
            break
        }
    }

    /// At the prompt every line is its own chunk, so `local x = 1` would be gone on the next line: a chunk
    /// that starts with `local` declares session variables instead (`x = 1`, `function f`).
    static func keepingLocals(_ chunk: String) -> String {
        let trimmed = chunk.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix("local ") || trimmed.hasPrefix("local\t") else { return chunk }
        let rest = trimmed.dropFirst("local".count).drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("function") { return String(rest) }
        // `local a, b = …` → `a, b = …`; `local a` → `a = nil`. Attributes (<const>, <close>) keep it local.
        guard !rest.contains("<"), let names = rest.prefixMatch(of: /[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*/) else { return chunk }
        let after = rest[names.range.upperBound...].drop { $0 == " " || $0 == "\t" }
        if after.hasPrefix("=") && !after.hasPrefix("==") { return String(rest) }
        if after.isEmpty || after.hasPrefix(";") { return names.output.0 + " = nil" + after }
        return chunk
    }

    /// TAB: one candidate completes in place; several complete to their common prefix, and the second TAB
    /// in a row lists them in columns.
    private func complete(_ before: String, repeated: Bool, editor: LineEditor) -> Bool {
        let context = CompletionContext(globals: facts.globals, fields: facts.fields, engagementIds: facts.engagementIds)
        // The unfinished chunk's earlier lines tell which table constructor the cursor is in.
        let earlier = pending.isEmpty ? "" : pending + "\n"
        var completion = CompletionEngine.complete(earlier + before, context: context)
        let offset = earlier.utf8.count
        guard !completion.candidates.isEmpty, completion.replace.lowerBound >= offset else { return false }
        completion.replace = completion.replace.lowerBound - offset ..< completion.replace.upperBound - offset
        let bytes = Array(before.utf8)
        guard completion.replace.upperBound <= bytes.count else { return false }
        let replaced = String(decoding: bytes[completion.replace], as: UTF8.self)
        // libedit counts characters as code points.
        let deleting = replaced.unicodeScalars.count + String(decoding: bytes[completion.replace.upperBound...], as: UTF8.self).unicodeScalars.count
        let tail = String(decoding: bytes[completion.replace.upperBound...], as: UTF8.self)
        if completion.candidates.count == 1 {
            editor.replace(characters: deleting, with: completion.candidates[0])
            return true
        }
        let prefix = CompletionEngine.commonPrefix(completion.candidates)
        if prefix.unicodeScalars.count > replaced.unicodeScalars.count + tail.unicodeScalars.count, prefix.hasPrefix(replaced) {
            editor.replace(characters: deleting, with: prefix)
            return true
        }
        guard repeated else { return false }
        editor.list(completion.display.isEmpty ? completion.candidates : completion.display)
        return true
    }
}
