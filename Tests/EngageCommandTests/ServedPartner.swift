import EngageTestSupport
import Foundation
import OrderedJSON

/// One of the two partners of a `ServedSandbox` (alice or bob) as engage's user: every command runs over
/// `--endpoint-url` signed with that partner's key, finds the recipes of `Recipes/` by name, and keeps its
/// run journal in a state folder of its own.
struct ServedPartner {
    typealias Signer = (key: String, secret: String, identity: String)

    let server: ServedSandbox
    let signer: Signer
    /// The partner's `$XDG_STATE_HOME`: where a run over an endpoint keeps its journal.
    let state: URL

    init(_ signer: Signer, of server: ServedSandbox, state folder: URL) {
        (self.server, self.signer) = (server, signer)
        state = folder.appendingPathComponent("state-\(signer.identity)")
    }

    var environment: [String: String] {
        server.isolated([
            "AWS_ACCESS_KEY_ID": signer.key, "AWS_SECRET_ACCESS_KEY": signer.secret, "XDG_STATE_HOME": state.path,
            "ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path,
        ])
    }

    /// `engage ARGUMENTS --endpoint-url …` as this partner.
    func engage(_ arguments: [String], input: String? = nil) throws -> CommandResult {
        try runEngage(arguments + ["--endpoint-url", server.endpoint], input: input, environment: environment)
    }

    /// Runs a Lua script as this partner and returns the JSON its last line printed.
    func lua(_ script: String) throws -> JSONValue {
        let result = try engage(["run", "-"], input: script)
        guard result.status == 0, let last = result.stdout.split(separator: "\n").last else {
            throw ServeTestError("the script as \(signer.identity) failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return try JSONValue(parsing: String(last))
    }

    /// Runs a recipe as this partner with `--output json` and returns its result; a failed run throws.
    func recipe(_ name: String, _ parameters: [String: String] = [:]) throws -> JSONValue {
        let run = try engage(["run", name, "--output", "json"] + parameters.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] })
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw ServeTestError("\(name) as \(signer.identity) failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return result
    }
}
