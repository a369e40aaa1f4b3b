import Foundation
import GRDB

/// A record of what each item of a recipe run produced, so that running the same command again skips the
/// items that finished. Kept beside the data it describes: a sandbox run's journal is in its store.
public protocol RunJournal: Sendable {
    /// What `item` of `run` returned when it finished; nil when it has not finished.
    func finishedItem(run: String, item: String) async throws(ServiceError) -> JSONValue?
    /// Notes that `item` of `run` finished with `result`.
    func recordFinishedItem(run: String, item: String, result: JSONValue) async throws(ServiceError)
}

extension SandboxService: RunJournal {
    public func finishedItem(run: String, item: String) async throws(ServiceError) -> JSONValue? {
        let text = try await perform(writing: false) { db in
            try String.fetchOne(db, sql: "SELECT result FROM runJournal WHERE run = ? AND item = ?", arguments: [run, item])
        }
        guard let text else { return nil }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw .internalError("the run journal holds an unreadable result for item \(ServiceError.excerpt(item)): \(error)")
        }
    }

    public func recordFinishedItem(run: String, item: String, result: JSONValue) async throws(ServiceError) {
        let finishedAt = Timestamp.now().text
        try await perform { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO runJournal (run, item, result, finishedAt) VALUES (?, ?, ?, ?)",
                arguments: [run, item, result.serialized(), finishedAt])
        }
    }
}
