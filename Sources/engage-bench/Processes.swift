import Foundation

/// How a program ran: its exit status, the wall time from spawn to exit, and its peak resident memory
/// when it was sampled (0 otherwise).
struct Finished {
    var status: Int32
    var seconds: Double
    var peakKilobytes: Int
}

/// A started program, spawned directly (no shell, no Foundation `Process`, whose own set-up would be timed
/// with a short-lived program): the start-up figures compare programs started the same lean way.
struct Spawned {
    let pid: pid_t
    let started: ContinuousClock.Instant

    /// Starts `executable` with the environment plus `environment`; each of `stdin`, `stdout`, `stderr` is
    /// a file path, /dev/null when nil.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         stdin: String? = nil, stdout: String? = nil, stderr: String? = nil) throws {
        let words = [executable] + arguments
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.map { "\($0.key)=\($0.value)" }
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Threads of this process may block signals, and a child inherits the mask: children must die on
        // SIGTERM (servers, tmux and what runs in its panes), so they start with none blocked.
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
        var pid: pid_t = 0
        started = .now
        let failed = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard failed == 0 else { throw BenchFailure("cannot start \(executable): \(String(cString: strerror(failed)))") }
        self.pid = pid
    }

    /// Waits for the program to end. With `samplingPeak`, its peak resident memory is `VmHWM` read every
    /// 2 ms while it runs: the `ru_maxrss` that wait4 gives would count this process's memory too, since
    /// posix_spawn's child shares it until exec and Linux carries that high-water mark across exec.
    func wait(samplingPeak: Bool = false) -> Finished {
        var status: Int32 = 0
        var peak = 0
        if samplingPeak {
            while true {
                let done = waitpid(pid, &status, WNOHANG)
                if done == pid || (done == -1 && errno != EINTR) { break }
                peak = max(peak, residentKilobytes().peak)
                usleep(2000)
            }
        } else {
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        let elapsed = ContinuousClock.now - started
        let exited = status & 0x7f == 0
        return Finished(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            seconds: elapsed.seconds,
            peakKilobytes: peak)
    }

    /// Asks the program to stop (SIGTERM) and waits for it.
    @discardableResult
    func stop() -> Finished {
        kill(pid, SIGTERM)
        return wait()
    }

    /// `VmRSS` (now) and `VmHWM` (the peak so far) of the running program, in kB.
    func residentKilobytes() -> (now: Int, peak: Int) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        return (kilobytes("VmRSS:", in: status) ?? 0, kilobytes("VmHWM:", in: status) ?? 0)
    }
}

/// Runs a program to its end; a non-zero status is a failure that names the program and shows its stderr.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         stdin: String? = nil, stdout: String? = nil, samplingPeak: Bool = false, in folder: URL) throws -> Finished {
    let errors = folder.appendingPathComponent("stderr-\(UUID().uuidString.prefix(8)).txt").path
    defer { unlink(errors) }
    let finished = try Spawned(executable, arguments, environment: environment, stdin: stdin, stdout: stdout, stderr: errors)
        .wait(samplingPeak: samplingPeak)
    guard finished.status == 0 else {
        let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        throw BenchFailure("\(([executable] + arguments).joined(separator: " ")) failed with status \(finished.status): \(said.suffix(2000))")
    }
    return finished
}

/// Runs `count` copies of a program at once (`arguments(i)` for the i-th) and returns the wall time until
/// the last one ended, with each one's outcome.
func runTogether(_ count: Int, _ executable: String, environment: [String: String] = [:], stdout: ((Int) -> String)? = nil,
                 in folder: URL, _ arguments: (Int) -> [String]) throws -> (seconds: Double, each: [Finished]) {
    let started = ContinuousClock.now
    let errors = (0..<count).map { folder.appendingPathComponent("stderr-\($0)-\(UUID().uuidString.prefix(8)).txt").path }
    defer { errors.forEach { unlink($0) } }
    let spawned = try (0..<count).map { try Spawned(executable, arguments($0), environment: environment, stdout: stdout?($0), stderr: errors[$0]) }
    let each = spawned.map { $0.wait() }
    let elapsed = ContinuousClock.now - started
    if let failed = each.firstIndex(where: { $0.status != 0 }) {
        let said = (try? String(contentsOfFile: errors[failed], encoding: .utf8)) ?? ""
        throw BenchFailure("\(executable) \(arguments(failed).joined(separator: " ")) failed with status \(each[failed].status): \(said.suffix(2000))")
    }
    return (elapsed.seconds, each)
}

/// The resident memory (kB) of a program idle at its prompt in a terminal (tmux).
func idleResidentKilobytes(_ command: [String], prompt: String, in folder: URL) throws -> Int {
    let socket = "engage-bench-\(UUID().uuidString.prefix(8))"
    let output = folder.appendingPathComponent("tmux-output.txt").path
    func tmux(_ arguments: [String]) throws -> String {
        // tmux's first command starts its server and returns; the server keeps running until kill-server.
        _ = try Spawned("/usr/bin/tmux", ["-L", socket] + arguments, stdout: output).wait()
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
    defer { _ = try? tmux(["kill-server"]) }
    _ = try tmux(["new-session", "-d", "-x", "120", "-y", "40", command.map { "'\($0)'" }.joined(separator: " ")])
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline, !(try tmux(["capture-pane", "-p"])).contains(prompt) { Thread.sleep(forTimeInterval: 0.1) }
    Thread.sleep(forTimeInterval: 1)
    let pid = try tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    return kilobytes("VmRSS:", in: status) ?? 0
}

/// The first program of that name on PATH.
func onPath(_ name: String) -> String? {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}
