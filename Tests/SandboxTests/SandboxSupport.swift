import Core
import CoreTestSupport
import Foundation
@testable import Sandbox

/// A sandbox on a real SQLite file in a fresh temporary folder.
struct SandboxFixture {
    let folder: URL
    let path: String
    let service: SandboxService

    init(audit: AuditContext = AuditContext(command: "library")) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("sandbox.sqlite").path
        service = try SandboxService(path: path, audit: audit)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The same store, its writes recorded as made by `caller`.
    func calling(as caller: String) -> SandboxFixture {
        SandboxFixture(folder: folder, path: path, service: service.withAudit(service.audit, caller: caller))
    }

    private init(folder: URL, path: String, service: SandboxService) {
        (self.folder, self.path, self.service) = (folder, path, service)
    }

    /// A new engagement with no contexts.
    func engagement(title: String = "Acme data platform", token: String = UUID().uuidString) async throws -> CreateEngagementResponse {
        try await service.createEngagement(CreateEngagementRequest(
            catalog: "Sandbox", clientToken: token, title: title, description: "Joint engagement"))
    }

    /// A Lead context with one interaction on `engagementId`.
    func leadContext(on engagementId: String, token: String = UUID().uuidString) async throws -> CreateEngagementContextResponse {
        var request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        request.engagementIdentifier = engagementId
        request.clientToken = token
        return try await service.createEngagementContext(request)
    }

    /// An update of Lead context `contextId` that appends one interaction.
    func appendRequest(_ engagementId: String, _ contextId: String, lastModified: Timestamp, source: String = "evt") throws -> UpdateEngagementContextRequest {
        var request = try UpdateEngagementContextRequest(wire: Fixtures.updateLeadContext, at: "")
        request.engagementIdentifier = engagementId
        request.contextIdentifier = contextId
        request.engagementLastModifiedAt = lastModified
        if case .lead(var lead) = request.payload {
            lead.interaction?.sourceId = source
            request.payload = .lead(lead)
        }
        return request
    }

    func lead(_ engagementId: String, _ contextId: String) async throws -> LeadContext? {
        let engagement = try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: engagementId))
        guard case .lead(let lead)? = engagement.contexts?.first(where: { $0.id == contextId })?.payload else { return nil }
        return lead
    }

    func modifiedAt(_ engagementId: String) async throws -> Timestamp {
        try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: engagementId)).modifiedAt!
    }
}
