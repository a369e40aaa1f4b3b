import Core
import Foundation

/// The run journal of a recipe run over HTTP (`--endpoint-url`, `--aws`), where the service keeps none: a
/// journal `engage` opens (the sandbox's journal on a small SQLite file of its own, `defaultPath`, beside
/// the REPL's history), with each run keyed by the endpoint and region it talks to. The catalog is
/// part of every run's identity already. A re-run after a failure or a kill skips the items that finished.
public struct BackendRunJournal: RunJournal {
    let journal: any RunJournal
    /// `endpoint region`: the same recipe, parameters and catalog on another service is another run.
    let backend: String

    /// `journal` (at `defaultPath`) for runs against `endpoint` in `region`.
    public init(_ journal: any RunJournal, endpoint: String, region: String) {
        self.journal = journal
        backend = "\(endpoint) \(region)"
    }

    /// `run-journal.sqlite` in engage's state folder beside the REPL's history (`StateFolder`), else, with no
    /// usable XDG_STATE_HOME or HOME, in the account's own `~/.local/state/engage`.
    public static var defaultPath: String {
        let folder = StateFolder.path { getenv($0).map { String(cString: $0) } }
            ?? (getpwuid(getuid()).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } } ?? NSHomeDirectory()) + "/.local/state/engage"
        return folder + "/run-journal.sqlite"
    }

    public func finishedItem(run: String, item: String) async throws(ServiceError) -> JSONValue? {
        try await journal.finishedItem(run: key(run), item: item)
    }

    public func recordFinishedItem(run: String, item: String, result: JSONValue) async throws(ServiceError) {
        try await journal.recordFinishedItem(run: key(run), item: item, result: result)
    }

    private func key(_ run: String) -> String { "\(backend) \(run)" }
}
