import CLuaShims
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
    /// The lines of an unfinished chunk, which completion reads before the current line.
    private var pending: [UInt8] = []

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

    /// Where history is kept: `$XDG_STATE_HOME/engage/history`, else `$HOME/.local/state/engage/history`.
    /// An empty or relative value counts as unset (the XDG base directory spec calls relative paths invalid);
    /// with neither usable, history lives in memory for the session.
    public enum HistoryLocation: Equatable, Sendable {
        case file(String)
        /// Why there is no file.
        case memoryOnly(String)
    }

    /// The history file the environment names (nothing is created).
    public static func historyLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> HistoryLocation {
        guard let folder = StateFolder.path({ environment[$0] }) else {
            return .memoryOnly("neither XDG_STATE_HOME nor HOME is an absolute path")
        }
        return .file(folder + "/history")
    }

    /// The history file, its folder created (mode 0700); nil with a note on standard error when there is
    /// none to use, said once per session.
    private static func openHistoryFile() -> String? {
        let problem: String
        switch historyLocation() {
        case .memoryOnly(let reason):
            problem = reason
        case .file(let path):
            let folder = (path as NSString).deletingLastPathComponent
            guard let failure = makeFolder(folder) else { return path }
            problem = "\(folder) cannot be made: \(failure)"
        }
        FileHandle.standardError.write(Data("engage: history is kept for this session only: \(problem)\n".utf8))
        return nil
    }

    /// Makes `folder` and the folders above it that are missing (mode 0700); the reason when it cannot.
    private static func makeFolder(_ folder: String) -> String? {
        var path = ""
        for component in folder.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o700) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
        }
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue ? nil : "it is not a folder"
    }

    /// The prompt: backend and catalog, `sandbox:Sandbox> `, `aws:AWS> `.
    var prompt: String { "\(backend):\(catalog)> " }
    static let continuationPrompt = "…> "

    /// Runs the REPL on the terminal until Ctrl-D (status 0), or SIGTERM or SIGHUP (128 + the signal, with
    /// the terminal restored and every entered chunk already in the history file).
    public func runInteractive() async -> Int32 {
        // Ctrl-C between reads and runs does nothing; while reading it discards the line, while a chunk
        // runs it interrupts it (the editor and the engine install their own handlers for that).
        signal(SIGINT, SIG_IGN)
        let environment = ProcessInfo.processInfo.environment
        let printer = PrettyPrinter(colour: isatty(STDOUT_FILENO) != 0 && environment["NO_COLOR"] == nil)
        let editor = LineEditor(historyPath: Self.openHistoryFile(), historySize: Self.historySize) { [unowned self] before, repeated, editor in
            self.complete(before, repeated: repeated, editor: editor)
        }
        say("engage \(EngageVersion.text) on \(place), catalog \(catalog). TAB completes, help() explains, Ctrl-D quits.")
        pending = []
        // Nothing here grows with the session: completion asks the engine what it needs at TAB.
        while true {
            switch editor.read(prompt: pending.isEmpty ? prompt : Self.continuationPrompt) {
            case .end:
                say("")
                return 0
            case .ended(let signal):
                return 128 + signal
            case .interrupted:
                pending = []
            case .line(let line):
                let chunk = pending.isEmpty ? line : pending + [0x0A] + line
                guard !Self.isBlank(chunk) else { pending = []; continue }
                let evaluation = await engine.evaluate(SessionLocals.rewrite(chunk))
                editor.takeKeys()
                if evaluation == .incomplete {
                    pending = chunk
                    continue
                }
                pending = []
                if chunk.first != UInt8(ascii: " ") { editor.remember(chunk) }
                // The terminal echoed ^C with no line end.
                if case .failed(let message) = evaluation, message.hasSuffix("interrupted!") { say("") }
                report(evaluation, printer: printer)
            }
        }
    }

    /// Reads chunks from standard input with no prompt, banner, editing or history; returns 1 when a
    /// chunk failed (or the input ended inside one), else 0. The input is bytes, as a script file's is;
    /// lines may end in CRLF.
    public func runPiped(_ input: FileHandle = .standardInput) async -> Int32 {
        let printer = PrettyPrinter()
        let bytes = [UInt8](input.readDataToEndOfFile())
        var failed = false
        var pending: [UInt8] = []
        for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.last == 0x0D { line = line.dropLast() }
            let chunk = pending.isEmpty ? Array(line) : pending + [0x0A] + line
            guard !Self.isBlank(chunk) else { pending = []; continue }
            let evaluation = await engine.evaluate(SessionLocals.rewrite(chunk))
            if evaluation == .incomplete { pending = chunk; continue }
            pending = []
            if case .failed = evaluation { failed = true }
            report(evaluation, printer: printer)
        }
        if !pending.isEmpty {
            FileHandle.standardError.write(Data("engage: the input ended inside an unfinished chunk:\n".utf8) + Data(pending) + Data("\n".utf8))
            failed = true
        }
        return failed ? 1 : 0
    }

    private static func isBlank(_ chunk: [UInt8]) -> Bool {
        chunk.allSatisfy { $0 == 0x20 || (0x09...0x0D).contains($0) }
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

    /// TAB: one candidate completes in place; several complete to their common prefix, and the second TAB
    /// in a row lists them in columns.
    private func complete(_ typed: [UInt8], repeated: Bool, editor: LineEditor) -> Bool {
        // Completion reads text; a line with other bytes in it has none to offer.
        guard let before = String(validating: typed, as: UTF8.self),
            let earlier = String(validating: pending.isEmpty ? [] : pending + [0x0A], as: UTF8.self)
        else { return false }
        // The unfinished chunk's earlier lines tell which table constructor the cursor is in.
        var completion = CompletionEngine.complete(earlier + before, context: CompletionContext(session: engine))
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

extension CompletionContext {
    /// The live session of `engine`, asked at TAB: only the names that start with what was typed.
    public init(session engine: ScriptEngine) {
        self.init(
            globals: { prefix in engine.globalNames(startingWith: prefix) },
            fields: { path, prefix in engine.fieldNames(of: path.split(separator: ".").map(String.init), startingWith: prefix) },
            engagementIds: engine.engagementIdsSeen(),
            idsSeen: engine.idsSeen()
        )
    }
}
