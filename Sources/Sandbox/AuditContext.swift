import Core
import Foundation

/// Who is writing and from what: the command (`call`, `run`, `repl`, `serve`, …), the recipe and its
/// parameters, and the OS user, host and process. The sandbox stores it with every write it accepts.
public struct AuditContext: Sendable {
    public let command: String
    public let recipe: String?
    /// The recipe's parameters as one JSON object in their declared order (`{"csv": "leads.csv",
    /// "skip_invalid": false}`), nil when there are none.
    public let parameters: JSONValue?
    /// `user@host`, e.g. `ada@laptop`.
    public let actor: String
    public let processId: Int
    /// The parameters as the text the audit stores; made once here so that a write only binds it.
    let parametersText: String?

    /// A context for the writes of `command`; the actor and process default to this process's own.
    public init(command: String, recipe: String? = nil, parameters: JSONValue? = nil,
                actor: String = AuditContext.currentActor, processId: Int = AuditContext.currentProcessId) {
        (self.command, self.recipe, self.parameters, self.actor, self.processId) = (command, recipe, parameters, actor, processId)
        parametersText = parameters?.serialized()
    }

    /// This process's OS user and host as `user@host`, read once per process.
    public static let currentActor: String = "\(userName())@\(hostName())"

    /// This process's id, read once.
    public static let currentProcessId = Int(getpid())

    /// The effective user's login name; `$USER` or the uid when the password database has no entry for it
    /// (as in some containers).
    private static func userName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name, name.pointee != 0 { return String(cString: name) }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "uid \(geteuid())"
    }

    /// The host's name as `hostname` prints it; gethostname needs no network lookup.
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0, buffer[0] != 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
