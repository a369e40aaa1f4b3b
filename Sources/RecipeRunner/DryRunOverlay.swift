import Core
import Foundation

/// What a dry run talks to when the backend is a service over HTTP: reads go to the service, writes are
/// validated and answered by a local sandbox (the overlay), and a later read of an engagement the dry run
/// wrote answers from the overlay, so the run sees its pretend writes. An engagement of the service is
/// copied into the overlay before the first pretend write to it. Nothing is sent that writes.
final class DryRunOverlay: EngagementService, RunJournal, @unchecked Sendable {
    let service: any EngagementService
    let overlay: any LocalEngagementStore
    /// The real run journal, only read: a dry run skips the items a real run finished, as on the sandbox.
    let journal: (any RunJournal)?
    private let lock = NSLock()
    /// `catalog/id` of every engagement the overlay holds: created by the dry run or copied from the service.
    private var held: Set<String> = []
    /// `catalog/id` of the engagements the dry run created, in order.
    private var created: [String] = []

    init(service: any EngagementService, overlay: any LocalEngagementStore, journal: (any RunJournal)?) {
        (self.service, self.overlay, self.journal) = (service, overlay, journal)
    }

    func createEngagement(_ request: CreateEngagementRequest) async throws(ServiceError) -> CreateEngagementResponse {
        let response = try await overlay.createEngagement(request)
        if let id = response.id {
            let key = Self.key(request.catalog, id)
            lock.withLock {
                held.insert(key)
                created.append(key)
            }
        }
        return response
    }

    func getEngagement(_ request: GetEngagementRequest) async throws(ServiceError) -> GetEngagementResponse {
        if holds(request.catalog, request.identifier) { return try await overlay.getEngagement(request) }
        return try await service.getEngagement(request)
    }

    /// The service's page, with the engagements the overlay holds as the overlay has them, and on the last
    /// page the ones the dry run created that the request's filters keep.
    func listEngagements(_ request: ListEngagementsRequest) async throws(ServiceError) -> ListEngagementsResponse {
        var page = try await service.listEngagements(request)
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

    func createEngagementContext(_ request: CreateEngagementContextRequest) async throws(ServiceError) -> CreateEngagementContextResponse {
        try await copyFromService(request.catalog, request.engagementIdentifier)
        return try await overlay.createEngagementContext(request)
    }

    func updateEngagementContext(_ request: UpdateEngagementContextRequest) async throws(ServiceError) -> UpdateEngagementContextResponse {
        try await copyFromService(request.catalog, request.engagementIdentifier)
        return try await overlay.updateEngagementContext(request)
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
    private func copyFromService(_ catalog: String, _ identifier: String) async throws(ServiceError) {
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

    private static func key(_ catalog: String, _ id: String) -> String { catalog + "/" + id }
}
