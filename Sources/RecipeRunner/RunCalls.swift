import Core
import Foundation
import Scripting

/// The calls a run made, as the engine reports them (validation failures included): counted with failures
/// and conflicts for the summary, shown on standard error with `-v`, and in a dry run every write listed
/// with its outcome.
public final class RunCalls: @unchecked Sendable {
    private let lock = NSLock()
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

    public init(verbose: Bool = false, recordsWrites: Bool = false) {
        self.verbose = verbose
        self.recordsWrites = recordsWrites
    }

    /// Each operation called, in first-call order, with its counts.
    public var calls: [(operation: String, tally: Tally)] { lock.withLock { order.map { ($0, tallies[$0]!) } } }
    public var writes: [Write] { lock.withLock { writeLog } }
    public var totals: Tally {
        lock.withLock { tallies.values.reduce(into: Tally()) { $0.count += $1.count; $0.failures += $1.failures; $0.conflicts += $1.conflicts } }
    }

    /// Notes one call.
    func record(_ call: OperationCall) {
        lock.withLock {
            if tallies[call.operation] == nil { order.append(call.operation) }
            tallies[call.operation, default: Tally()].count += 1
            if let failure = call.error {
                tallies[call.operation]!.failures += 1
                if failure.code == "ConflictException" { tallies[call.operation]!.conflicts += 1 }
            }
            if call.isWrite && recordsWrites {
                writeLog.append(Write(operation: call.operation, target: WriteSummary.target(call.operation, call.request, call.response),
                                      summary: WriteSummary.summary(call.operation, call.request), refusal: call.error))
            }
        }
        if verbose {
            let milliseconds = Double(call.duration.components.seconds) * 1000 + Double(call.duration.components.attoseconds) / 1e15
            let result = call.error.map { "\($0.code): \($0.message)" } ?? "ok"
            let line = "engage: \(call.operation) \(WriteSummary.target(call.operation, call.request, call.response)) \(String(format: "%.1f", milliseconds)) ms \(result)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        onCall?()
    }
}

/// The service a run's engine talks to: nothing until the backend is connected, so that while a recipe's
/// chunk only declares it every call is refused (its work belongs in `run`). A request already checked
/// against the model goes on as such, so the sandbox does not check it again.
final class GatedService: EngagementService, @unchecked Sendable {
    private let lock = NSLock()
    private var underlying: (any EngagementService)?

    /// From now on, calls go to `service`.
    func connect(to service: any EngagementService) { lock.withLock { underlying = service } }

    private func service(for operation: String) throws(ServiceError) -> any EngagementService {
        guard let underlying = lock.withLock({ underlying }) else {
            throw ServiceError(code: "RecipeDeclarationError", message: "a recipe's chunk only declares it; call \(operation) inside run = function(params) … end")
        }
        return underlying
    }

    func call<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response {
        try await service(for: Request.operationName).call(request)
    }
}

/// One-line descriptions of requests, for dry runs and `-v`.
enum WriteSummary {
    /// The resource a call is about: the engagement and context (`eng-…/1`), the job, opportunity or
    /// invitation the request names, or what the response created; for a list call, how many items the
    /// page holds: `(3 listed)`.
    static func target(_ operation: String, _ request: JSONValue, _ response: JSONValue?) -> String {
        if operation.hasPrefix("List") {
            let page = response?.objectValue?.values.first { $0.arrayValue != nil }?.arrayValue
            return page.map { "(\($0.count) listed)" } ?? "(list)"
        }
        let named = requestTargets.lazy.compactMap { request[$0]?.stringValue }.first
        let made = responseTargets.lazy.compactMap { response?[$0]?.stringValue }.first
        let resource = named ?? made ?? (operation.hasSuffix("Engagement") ? "(new engagement)" : "(new)")
        let context = request["ContextIdentifier"]?.stringValue ?? response?["ContextId"]?.stringValue
        return context.map { "\(resource)/\($0)" } ?? resource
    }

    /// The request members that name what a call is about, the most particular first.
    private static let requestTargets = [
        "ResourceSnapshotJobIdentifier", "OpportunityIdentifier", "RelatedOpportunityIdentifier", "EngagementIdentifier", "Identifier", "ResourceArn",
    ]

    /// The response members that name what a call made.
    private static let responseTargets = ["Id", "OpportunityId", "EngagementId", "TaskId"]

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
