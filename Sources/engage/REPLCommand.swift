import ArgumentParser
import Core
import Foundation
import REPL
import Sandbox
import Scripting

/// `engage repl` (and bare `engage`): the interactive REPL on a terminal; without one, Lua read from
/// standard input chunk by chunk.
struct REPLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore the API interactively: Lua with completion of names, fields and enum values (the default command).",
        discussion: """
            On a terminal: TAB completes globals, fields inside builders and operations, enum values and \
            engagement ids; help() lists what exists and help(x) explains it; history is appended to \
            $XDG_STATE_HOME/engage/history (else $HOME/.local/state/engage/history; in memory when neither \
            is an absolute path); Ctrl-C stops a running chunk, Ctrl-D quits. Without a terminal it reads \
            Lua (bytes, LF or CRLF lines) from standard input with no prompts and exits 1 if a chunk failed.

            Examples:
              engage
              echo 'return #Industry' | engage repl
            """
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let backend = try options.backend(audit: AuditContext(command: "repl"))
        let engine = ScriptEngine(service: backend.service, catalog: options.catalog, sandbox: backend.sandboxReach)
        let session = REPLSession(engine: engine, backend: backend.promptName, place: backend.place, catalog: options.catalog)
        let status = isatty(STDIN_FILENO) != 0 ? await session.runInteractive() : await session.runPiped()
        if status != 0 { throw ExitCode(status) }
    }
}
