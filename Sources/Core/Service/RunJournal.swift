/// A record of what each item of a recipe run produced, so that running the same command again skips the
/// items that finished. Kept beside the data it describes: a sandbox run's journal is in its store.
public protocol RunJournal: Sendable {
    /// What `item` of `run` returned when it finished; nil when it has not finished.
    func finishedItem(run: String, item: String) async throws(ServiceError) -> JSONValue?
    /// Notes that `item` of `run` finished with `result`.
    func recordFinishedItem(run: String, item: String, result: JSONValue) async throws(ServiceError)
}
