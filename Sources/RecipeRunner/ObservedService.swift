import Core
import Foundation

/// The service a run talks to, seen from the runner: every call is counted (with failures and conflicts)
/// for the summary, shown on standard error with `-v`, refused while a recipe only declares itself, and,
/// in a dry run, every write is listed with its outcome.
public final class ObservedService: EngagementService, @unchecked Sendable {
    let underlying: any EngagementService
    private let lock = NSLock()
    private var isOpen = true
    private var tallies: [String: Tally] = [:]
    private var order: [String] = []
    private var writeLog: [Write] = []
    /// Called after every call (the progress line reads the counts).
    var onCall: (@Sendable () -> Void)?
    let verbose: Bool
    let recordsWrites: Bool

    /// Counts for one operation.
    public struct Tally: Sendable, Equatable {
        public var count = 0
        public var failures = 0
        public var conflicts = 0
    }

    /// A write as a dry run lists it.
    public struct Write: Sendable, Equatable {
        public let operation: String
        public let target: String
        public let summary: String
        /// Nil when the write would be accepted; else the error it would get.
        public let refusal: ServiceError?
    }

    public init(_ underlying: any EngagementService, verbose: Bool = false, recordsWrites: Bool = false) {
        self.underlying = underlying
        self.verbose = verbose
        self.recordsWrites = recordsWrites
    }

    /// While closed, every call is refused: a recipe's chunk only declares, its work happens in `run`.
    func setOpen(_ open: Bool) { lock.withLock { isOpen = open } }

    /// Each operation called, in first-call order, with its counts.
    public var calls: [(operation: String, tally: Tally)] { lock.withLock { order.map { ($0, tallies[$0]!) } } }
    public var writes: [Write] { lock.withLock { writeLog } }
    public var totals: Tally {
        lock.withLock { tallies.values.reduce(into: Tally()) { $0.count += $1.count; $0.failures += $1.failures; $0.conflicts += $1.conflicts } }
    }

    public func createEngagement(_ request: CreateEngagementRequest) async throws(ServiceError) -> CreateEngagementResponse {
        try await observe("CreateEngagement", request.wire, write: true) { () async throws(ServiceError) in try await underlying.createEngagement(request) }
    }

    public func getEngagement(_ request: GetEngagementRequest) async throws(ServiceError) -> GetEngagementResponse {
        try await observe("GetEngagement", request.wire, write: false) { () async throws(ServiceError) in try await underlying.getEngagement(request) }
    }

    public func listEngagements(_ request: ListEngagementsRequest) async throws(ServiceError) -> ListEngagementsResponse {
        try await observe("ListEngagements", request.wire, write: false) { () async throws(ServiceError) in try await underlying.listEngagements(request) }
    }

    public func createEngagementContext(_ request: CreateEngagementContextRequest) async throws(ServiceError) -> CreateEngagementContextResponse {
        try await observe("CreateEngagementContext", request.wire, write: true) { () async throws(ServiceError) in try await underlying.createEngagementContext(request) }
    }

    public func updateEngagementContext(_ request: UpdateEngagementContextRequest) async throws(ServiceError) -> UpdateEngagementContextResponse {
        try await observe("UpdateEngagementContext", request.wire, write: true) { () async throws(ServiceError) in try await underlying.updateEngagementContext(request) }
    }

    private func observe<Response: WireConvertible>(
        _ operation: String, _ request: JSONValue, write: Bool, _ call: () async throws(ServiceError) -> Response
    ) async throws(ServiceError) -> Response {
        guard lock.withLock({ isOpen }) else {
            throw ServiceError(code: "RecipeDeclarationError", message: "a recipe's chunk only declares it; call \(operation) inside run = function(params) … end")
        }
        let started = ContinuousClock.now
        let outcome: Result<Response, ServiceError>
        do throws(ServiceError) {
            outcome = .success(try await call())
        } catch {
            outcome = .failure(error)
        }
        let failure: ServiceError? = if case .failure(let error) = outcome { error } else { nil }
        let response: JSONValue? = if case .success(let value) = outcome { value.wire } else { nil }
        lock.withLock {
            if tallies[operation] == nil { order.append(operation) }
            tallies[operation, default: Tally()].count += 1
            if let failure {
                tallies[operation]!.failures += 1
                if failure.code == "ConflictException" { tallies[operation]!.conflicts += 1 }
            }
            if write && recordsWrites {
                writeLog.append(Write(operation: operation, target: WriteSummary.target(request, response), summary: WriteSummary.summary(operation, request), refusal: failure))
            }
        }
        if verbose {
            let elapsed = started.duration(to: .now)
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            let result = failure.map { "\($0.code): \($0.message)" } ?? "ok"
            let line = "engage: \(operation) \(WriteSummary.target(request, response)) \(String(format: "%.1f", milliseconds)) ms \(result)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        onCall?()
        return try outcome.get()
    }
}

/// One-line descriptions of requests, for dry runs and `-v`.
enum WriteSummary {
    /// The engagement and context a call is about: `eng-…/1`, or what the response created.
    static func target(_ request: JSONValue, _ response: JSONValue?) -> String {
        let engagement = request["EngagementIdentifier"]?.stringValue ?? request["Identifier"]?.stringValue
            ?? response?["Id"]?.stringValue ?? response?["EngagementId"]?.stringValue ?? "(new engagement)"
        let context = request["ContextIdentifier"]?.stringValue ?? response?["ContextId"]?.stringValue
        return context.map { "\(engagement)/\($0)" } ?? engagement
    }

    /// What a write would change, in a few words.
    static func summary(_ operation: String, _ request: JSONValue) -> String {
        switch operation {
        case "CreateEngagement":
            let contexts = request["Contexts"]?.arrayValue?.count ?? 0
            return "\(quoted(request["Title"]))" + (contexts > 0 ? " with \(contexts) context\(contexts == 1 ? "" : "s")" : "")
        case "CreateEngagementContext", "UpdateEngagementContext":
            let type = request["Type"]?.stringValue ?? "?"
            let payload = request["Payload"]?[type == "Lead" ? "Lead" : "CustomerProject"]
            var parts: [String] = []
            if let company = payload?["Customer"]?["CompanyName"] { parts.append("customer \(quoted(company))") }
            if let status = payload?["QualificationStatus"]?.stringValue { parts.append("qualification \(status)") }
            if let interactions = payload?["Interactions"]?.arrayValue { parts.append("\(interactions.count) interaction\(interactions.count == 1 ? "" : "s")") }
            if let interaction = payload?["Interaction"] {
                parts.append("+ interaction \(interaction["SourceId"]?.stringValue ?? "") \(quoted(interaction["CustomerAction"]))")
            }
            if let project = payload?["Project"]?["Title"] { parts.append("project \(quoted(project))") }
            return "\(type)" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        default:
            return ""
        }
    }

    private static func quoted(_ value: JSONValue?) -> String {
        guard let text = value?.stringValue else { return "" }
        return "\"" + (text.count > 60 ? text.prefix(59) + "…" : text) + "\""
    }
}
