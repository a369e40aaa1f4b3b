import EngageTestSupport
import Foundation
import Testing

/// The REPL in a real terminal: tmux runs the real binary and the test types as a person would, with TAB,
/// Up, Ctrl-C and Ctrl-D. Every wait is bounded.
@Suite(.tags(.process, .terminal), .serialized) struct REPLTerminalTests {
    @Test(.timeLimit(.minutes(2))) func aPartnerEngineerExploresTheAPIInTheREPL() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.start()
        try terminal.waitFor("TAB completes, help() explains, Ctrl-D quits.")
        try terminal.waitFor("sandbox:Sandbox> ")

        // A function name completes in place.
        terminal.type("print(create_con")
        terminal.press("Tab")
        try terminal.waitFor("print(create_context")
        terminal.type(")")
        terminal.press("Enter")
        try terminal.waitFor("function: ")

        // An enum value inside a builder: the second TAB lists the candidates, a unique one closes the quote.
        terminal.type(#"AddressSummary{ CountryCode = "Z"#)
        terminal.press("Tab")
        terminal.press("Tab")
        try terminal.waitFor("ZA  ZM  ZW")
        terminal.type("W")
        terminal.press("Tab")
        try terminal.waitFor(#"CountryCode = "ZW""#)
        terminal.type(" }")
        terminal.press("Enter")
        try terminal.waitFor(#"AddressSummary{ CountryCode = "ZW" }"#)

        // A field name nested in an operation's payload, from the model; Ctrl-C discards the line.
        terminal.type("create_context{ Payload = { Lead = { Customer = { Addr")
        terminal.press("Tab")
        try terminal.waitFor("{ Addr" + "ess = ")
        terminal.press("C-c")
        try terminal.waitFor("^C")

        // A multi-line chunk, an expression, an error that keeps the session's globals.
        terminal.type("for i = 1, 3 do")
        terminal.press("Enter")
        try terminal.waitFor("…> ")
        terminal.type("print(i * 10)")
        terminal.press("Enter")
        terminal.type("end")
        terminal.press("Enter")
        try terminal.waitFor("10\n20\n30")
        terminal.type("kept = 6 * 7")
        terminal.press("Enter")
        terminal.type("error('boom')")
        terminal.press("Enter")
        try terminal.waitFor("stdin:1: boom")
        terminal.type("kept + 1")
        terminal.press("Enter")
        try terminal.waitFor("\n43\n")

        // Ctrl-C stops a running chunk and the session goes on.
        terminal.type(#"print("loop" .. "ing") while true do end"#)
        terminal.press("Enter")
        // The chunk says it started, so Ctrl-C reaches it while it runs.
        try terminal.waitFor("\nlooping\n")
        terminal.press("C-c")
        try terminal.waitFor("interrupted!")
        terminal.type("kept")
        terminal.press("Enter")
        try terminal.waitFor("interrupted!\nsandbox:Sandbox> kept\n42")

        terminal.type("7 * 6 -- the last line")
        terminal.press("Enter")
        try terminal.waitFor("the last line\n42")

        // Ctrl-D on an empty line ends the session with status 0.
        terminal.press("C-d")
        try terminal.waitFor("EXITED 0")
        let history = terminal.home.appendingPathComponent("state/engage/history").path
        let mode = try FileManager.default.attributesOfItem(atPath: history)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // History is there after a restart: Up recalls the last line.
        try terminal.start()
        try terminal.waitFor("sandbox:Sandbox> ")
        terminal.press("Up")
        try terminal.waitFor("sandbox:Sandbox> 7 * 6 -- the last line")
        terminal.press("Enter")
        try terminal.waitFor("the last line\n42")
    }

    static let create = #"create_engagement{ Title = "Acme", Description = "Pilot" }"#

    /// Starts `--aws --catalog AWS`, sends a create and gives `answer` to the question it asks.
    func answerTheFirstLiveWrite(_ answer: String, on terminal: Terminal) throws {
        try terminal.start(["--aws", "--catalog", "AWS"])
        try terminal.waitFor("aws:AWS> ")
        terminal.type(Self.create)
        terminal.press("Enter")
        try terminal.waitFor("Allow writes to the AWS catalog for the rest of this run? [y/N] ")
        terminal.type(answer)
        terminal.press("Enter")
    }

    @Test(.timeLimit(.minutes(2))) func onAWSThePromptSaysSoAndALiveWriteAsksFirst() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try answerTheFirstLiveWrite("n", on: terminal)
        try terminal.waitFor("on AWS at https://partnercentral-selling.us-east-1.api.aws (region us-east-1, each operation paced to AWS's quota), catalog AWS.")
        try terminal.waitFor("WriteNotConfirmed: CreateEngagement to the AWS catalog at https://partnercentral-selling.us-east-1.api.aws was not sent: writes to it were declined")
        // Declined once is declined for the session: nothing asks again.
        terminal.type(Self.create)
        terminal.press("Enter")
        try terminal.waitFor("declined\naws:AWS> \(Self.create)\nstdin:1: WriteNotConfirmed")

        // Said yes, the write goes on to the transport, which finds no credentials before it sends anything.
        let confirming = try Terminal()
        defer { confirming.stop() }
        try answerTheFirstLiveWrite("y", on: confirming)
        try confirming.waitFor("NoCredentialsError: no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
    }

    @Test(.timeLimit(.minutes(2))) func onAnEndpointThePromptSaysSo() throws {
        let terminal = try Terminal()
        defer { terminal.stop() }
        try terminal.start(["--endpoint-url", "http://127.0.0.1:9"])
        try terminal.waitFor("on the endpoint http://127.0.0.1:9 (region us-east-1), catalog Sandbox.")
        try terminal.waitFor("endpoint:Sandbox> ")
    }
}

/// A tmux server of the test's own (private socket), a fresh HOME and store, the real engage binary.
final class Terminal {
    let socket = "engage-test-\(UUID().uuidString.prefix(8))"
    let home: URL
    private var screen = ""

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("engage-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    /// Starts engage in a new tmux session, on a store of its own unless `arguments` say otherwise, with no
    /// AWS credentials in its environment (`environment` adds to it or overrides it); the shell around it
    /// prints its exit status and then the terminal's line editing and echo modes (`TTY icanon echo`).
    func start(_ arguments: [String]? = nil, environment: [String: String] = [:], width: Int = 160) throws {
        stopSession()
        let noCredentials = ["AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=", "AWS_PROFILE=", "AWS_REGION=", "AWS_DEFAULT_REGION="]
        let defaults = ["HOME=\(home.path)", "XDG_STATE_HOME=\(home.path)/state", "LANG=C.UTF-8", "TERM=xterm"]
        let command = ["env"] + defaults + noCredentials + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [engageBinary.path] + (arguments ?? ["--store", home.appendingPathComponent("sandbox.sqlite").path])
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '"
        let line = command.map { "'\($0)'" }.joined(separator: " ") + "; echo EXITED $?; printf 'TTY '; \(modes); echo; sleep 60"
        // A server that kill-server is still taking down can refuse the new session: try again a few times.
        for attempt in 1...10 {
            if tmuxCommand(["new-session", "-d", "-x", "\(width)", "-y", "50", line]) == 0 { return }
            if attempt < 10 { Thread.sleep(forTimeInterval: 0.3) }
        }
        throw TerminalError("tmux new-session failed ten times")
    }

    /// The process id of engage in the pane: the one child of the pane's shell.
    func engageProcess() throws -> pid_t {
        let output = home.appendingPathComponent("pane-pid.txt").path
        tmuxCommand(["display-message", "-p", "#{pane_pid}"], output: output)
        let shell = (try? String(contentsOfFile: output, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        guard let child = children.split(separator: " ").first.flatMap({ pid_t($0) }) else {
            throw TerminalError("no engage under the pane's shell \(shell)")
        }
        return child
    }

    /// Makes the terminal `width` columns wide, as a person dragging its window would, and waits until engage,
    /// at its prompt, starts drawing its line again for the new width: back to the line's first row and the
    /// screen below it cleared (`CR`, `ESC[nA`, `ESC[J`). What the pane writes goes to a file (tmux's
    /// pipe-pane) from just before the resize, while no key is typed, so that can only come from the resize.
    /// Fails after ten seconds with what the pane wrote.
    func resize(width: Int, seconds: Double = 10) throws {
        let written = home.appendingPathComponent("pane-after-resize.txt")
        try? FileManager.default.removeItem(at: written)
        tmuxCommand(["pipe-pane", "-O", "cat > '\(written.path)'"])
        defer { tmuxCommand(["pipe-pane"]) }
        tmuxCommand(["resize-window", "-x", "\(width)", "-y", "50"])
        let deadline = Date().addingTimeInterval(seconds)
        var output = ""
        while Date() < deadline {
            output = (try? String(contentsOf: written, encoding: .utf8)) ?? ""
            if output.contains(/\r(\x1B\[\d+A)?\x1B\[J/) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TerminalError("engage drew nothing again after the resize to \(width) columns; the pane wrote \(output.debugDescription)")
    }

    func type(_ text: String) { _ = tmuxCommand(["send-keys", "-l", text]) }
    func press(_ key: String) { _ = tmuxCommand(["send-keys", key]) }
    /// Types `line` and presses Enter.
    func enter(_ line: String) {
        type(line)
        press("Enter")
    }

    /// Starts engage on the sandbox (see `start`) and waits for its first prompt.
    func startAtPrompt(environment: [String: String] = [:], width: Int = 160) throws {
        try start(environment: environment, width: width)
        try waitFor(sandboxPrompt)
    }

    /// Runs tmux on this terminal's socket through /bin/sh and waitpid, with its output in `output` when
    /// given. Not Foundation's Process: the tmux server that the first command starts keeps the descriptors
    /// it inherits, and Process would wait on them.
    @discardableResult
    func tmuxCommand(_ arguments: [String], output: String? = nil) -> Int32 {
        let quoted = ([tmux.path, "-L", socket] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = "exec " + quoted.joined(separator: " ") + " </dev/null >" + (output ?? "/dev/null") + " 2>/dev/null"
        var pid: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", script]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } } + [nil]
        defer { argv.forEach { free($0) } }
        // Threads of this process may block signals, and a child inherits the mask: tmux and what runs in its
        // panes must die on SIGHUP and SIGTERM, or kill-server would leave them behind.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        guard posix_spawn(&pid, "/bin/sh", nil, &attributes, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    /// Waits until the screen (with its scrollback) contains `text`; fails after ten seconds with the screen.
    func waitFor(_ text: String, seconds: Double = 10) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let capture = home.appendingPathComponent("screen.txt").path
            tmuxCommand(["capture-pane", "-p", "-J", "-S", "-300"], output: capture)
            screen = (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
            // tmux pads lines with spaces: compare without trailing spaces on either side.
            let wanted = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
            if lines.joined(separator: "\n").contains(wanted.joined(separator: "\n")) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TerminalError("the screen never showed \(text.debugDescription); it shows:\n\(screen)")
    }

    private func stopSession() { tmuxCommand(["kill-server"]) }

    func stop() {
        stopSession()
        try? FileManager.default.removeItem(at: home)
    }
}

struct TerminalError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The prompt on the sandbox's Sandbox catalog.
let sandboxPrompt = "sandbox:Sandbox> "

/// tmux from Debian's package (Scripts/setup installs it).
let tmux = URL(fileURLWithPath: "/usr/bin/tmux")
