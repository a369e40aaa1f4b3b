import Core
import Foundation
import GRDB

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
