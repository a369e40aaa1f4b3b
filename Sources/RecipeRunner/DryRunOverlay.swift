import Core
import Foundation

/// What a dry run talks to when the backend is a service over HTTP: reads go to the service, writes are
/// validated and answered by a local sandbox (the overlay), and a later read of an engagement the dry run
/// wrote answers from the overlay, so the run sees its pretend writes. An engagement or opportunity of the
/// service is copied into the overlay before the first pretend write to it. Nothing is sent that writes.
final class DryRunOverlay: OperationHandlers, RunJournal, @unchecked Sendable {
    let service: any EngagementService
    let overlay: any LocalEngagementStore
    /// The real run journal, only read: a dry run skips the items a real run finished, as on the sandbox.
    let journal: (any RunJournal)?
    let lock = NSLock()
    /// `catalog/id` of every engagement the overlay holds: created by the dry run or copied from the service.
    private var held: Set<String> = []
    /// `catalog/id` of the engagements the dry run created, in order.
    private var created: [String] = []
    /// `catalog/id` of every opportunity the overlay holds, and of those the dry run created, in order.
    var heldOpportunities: Set<String> = []
    var createdOpportunities: [String] = []
    /// `catalog/id` of every invitation the overlay holds, copied from the service before a pretend answer.
    var heldInvitations: Set<String> = []

    init(service: any EngagementService, overlay: any LocalEngagementStore, journal: (any RunJournal)?) {
        (self.service, self.overlay, self.journal) = (service, overlay, journal)
    }

    func handle(_ validated: Validated<CreateEngagementRequest>) async throws(ServiceError) -> CreateEngagementResponse {
        let request = validated.request
        let response = try await overlay.call(validated)
        if let id = response.id {
            let key = Self.key(request.catalog, id)
            lock.withLock {
                held.insert(key)
                created.append(key)
            }
        }
        return response
    }

    func handle(_ validated: Validated<GetEngagementRequest>) async throws(ServiceError) -> GetEngagementResponse {
        let request = validated.request
        if holds(request.catalog, request.identifier) { return try await overlay.call(validated) }
        return try await service.call(validated)
    }

    /// The service's page, with the engagements the overlay holds as the overlay has them, and on the last
    /// page the ones the dry run created that the request's filters keep.
    func handle(_ validated: Validated<ListEngagementsRequest>) async throws(ServiceError) -> ListEngagementsResponse {
        let request = validated.request
        var page = try await service.call(validated)
        let (heldKeys, createdKeys) = lock.withLock { (held, created) }
        guard !heldKeys.isEmpty else { return page }
        var local = request
        local.nextToken = nil
        local.maxResults = nil
        var overlaid: [String: EngagementSummary] = [:]
        var nextToken: String?
        repeat {
            local.nextToken = nextToken
            let answer = try await overlay.listEngagements(local)
            for summary in answer.engagementSummaryList { if let id = summary.id { overlaid[Self.key(request.catalog, id)] = summary } }
            nextToken = answer.nextToken
        } while nextToken != nil
        page.engagementSummaryList = page.engagementSummaryList.map { summary in
            summary.id.flatMap { overlaid[Self.key(request.catalog, $0)] } ?? summary
        }
        if page.nextToken == nil {
            page.engagementSummaryList += createdKeys.compactMap { overlaid[$0] }
        }
        return page
    }

    func handle(_ validated: Validated<CreateEngagementContextRequest>) async throws(ServiceError) -> CreateEngagementContextResponse {
        try await copyFromService(validated.request.catalog, validated.request.engagementIdentifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<UpdateEngagementContextRequest>) async throws(ServiceError) -> UpdateEngagementContextResponse {
        try await copyFromService(validated.request.catalog, validated.request.engagementIdentifier)
        return try await overlay.call(validated)
    }

    /// Any other operation: a read goes to the service, a write to the overlay, which answers it as the
    /// sandbox would or says it does not serve it; nothing that writes is sent.
    func unhandled<Request: OperationRequest>(_ validated: Validated<Request>) async throws(ServiceError) -> Request.Response {
        if OperationSchema.onlyReads(Request.operationName) { return try await service.call(validated) }
        return try await overlay.call(validated)
    }

    func finishedItem(run: String, item: String) async throws(ServiceError) -> JSONValue? {
        if let finished = try await overlay.finishedItem(run: run, item: item) { return finished }
        return try await journal?.finishedItem(run: run, item: item)
    }

    func recordFinishedItem(run: String, item: String, result: JSONValue) async throws(ServiceError) {
        try await overlay.recordFinishedItem(run: run, item: item, result: result)
    }

    /// Before the first pretend write to an engagement of the service, the overlay gets a copy of it. An
    /// engagement the service does not know is left out, so the overlay answers ResourceNotFoundException.
    func copyFromService(_ catalog: String, _ identifier: String) async throws(ServiceError) {
        guard !holds(catalog, identifier) else { return }
        let engagement: GetEngagementResponse
        do throws(ServiceError) {
            engagement = try await service.getEngagement(GetEngagementRequest(catalog: catalog, identifier: identifier))
        } catch {
            guard error.code == "ResourceNotFoundException" || error.code == "ValidationException" else { throw error }
            return
        }
        try await overlay.adopt(engagement, catalog: catalog)
        if let id = engagement.id { _ = lock.withLock { held.insert(Self.key(catalog, id)) } }
    }

    private func holds(_ catalog: String, _ identifier: String) -> Bool {
        lock.withLock { held.contains(Self.key(catalog, Self.id(identifier))) }
    }

    /// An engagement's id from an id or an engagement ARN (`…/engagement/eng-…`).
    private static func id(_ identifier: String) -> String {
        guard identifier.hasPrefix("arn:"), let slash = identifier.lastIndex(of: "/") else { return identifier }
        return String(identifier[identifier.index(after: slash)...])
    }

    static func key(_ catalog: String, _ id: String) -> String { catalog + "/" + id }
}
