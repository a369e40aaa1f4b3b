/// The folder engage keeps its state in (the REPL's history, the run journal of runs over HTTP):
/// `$XDG_STATE_HOME/engage`, else `$HOME/.local/state/engage`. An empty or relative value counts as unset, as
/// the XDG base directory spec says, so state never lands at `/.local/state` or under wherever engage runs.
public enum StateFolder {
    /// The folder `variable` (an environment look-up) names, or nil when neither variable is an absolute path.
    public static func path(_ variable: (String) -> String?) -> String? {
        func usable(_ name: String) -> String? { variable(name).flatMap { $0.hasPrefix("/") ? $0 : nil } }
        return (usable("XDG_STATE_HOME") ?? usable("HOME").map { $0 + "/.local/state" }).map { $0 + "/engage" }
    }
}
