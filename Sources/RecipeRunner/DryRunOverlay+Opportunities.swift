import Core
import Foundation

/// A dry run's opportunities and invitations over HTTP, as its engagements: writes go to the overlay (after a
/// copy of the service's opportunity or invitation), reads of one the overlay holds answer from it.
extension DryRunOverlay {
    func handle(_ validated: Validated<CreateOpportunityRequest>) async throws(ServiceError) -> CreateOpportunityResponse {
        let response = try await overlay.call(validated)
        let key = Self.key(validated.request.catalog, response.id)
        lock.withLock {
            heldOpportunities.insert(key)
            createdOpportunities.append(key)
        }
        return response
    }

    func handle(_ validated: Validated<GetOpportunityRequest>) async throws(ServiceError) -> GetOpportunityResponse {
        if holdsOpportunity(validated.request.catalog, validated.request.identifier) { return try await overlay.call(validated) }
        return try await service.call(validated)
    }

    /// The overlay's summary of an opportunity it holds once the dry run submitted it, else the service's.
    func handle(_ validated: Validated<GetAwsOpportunitySummaryRequest>) async throws(ServiceError) -> GetAwsOpportunitySummaryResponse {
        let request = validated.request
        if holdsOpportunity(request.catalog, request.relatedOpportunityIdentifier) {
            do throws(ServiceError) {
                return try await overlay.call(validated)
            } catch where error.code == "ResourceNotFoundException" {}
        }
        return try await service.call(validated)
    }

    /// The service's page, with the opportunities the overlay holds as the overlay has them, and on the last
    /// page the ones the dry run created that the request's filters keep.
    func handle(_ validated: Validated<ListOpportunitiesRequest>) async throws(ServiceError) -> ListOpportunitiesResponse {
        let request = validated.request
        var page = try await service.call(validated)
        let (held, created) = lock.withLock { (heldOpportunities, createdOpportunities) }
        guard !held.isEmpty else { return page }
        var local = request
        local.maxResults = nil
        var overlaid: [String: OpportunitySummary] = [:]
        var token: String?
        repeat {
            local.nextToken = token
            let answer = try await overlay.listOpportunities(local)
            for summary in answer.opportunitySummaries { if let id = summary.id { overlaid[Self.key(request.catalog, id)] = summary } }
            token = answer.nextToken
        } while token != nil
        page.opportunitySummaries = page.opportunitySummaries.map { summary in summary.id.flatMap { overlaid[Self.key(request.catalog, $0)] } ?? summary }
        if page.nextToken == nil { page.opportunitySummaries += created.compactMap { overlaid[$0] } }
        return page
    }

    func handle(_ validated: Validated<UpdateOpportunityRequest>) async throws(ServiceError) -> UpdateOpportunityResponse {
        try await copyOpportunity(validated.request.catalog, validated.request.identifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<AssociateOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyOpportunity(validated.request.catalog, validated.request.opportunityIdentifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<DisassociateOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyOpportunity(validated.request.catalog, validated.request.opportunityIdentifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<SubmitOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyOpportunity(validated.request.catalog, validated.request.identifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<AssignOpportunityRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyOpportunity(validated.request.catalog, validated.request.identifier)
        return try await overlay.call(validated)
    }

    /// Before the first pretend write to an opportunity of the service, the overlay gets a copy of it; one the
    /// service does not know is left out, so the overlay answers ResourceNotFoundException.
    private func copyOpportunity(_ catalog: String, _ id: String) async throws(ServiceError) {
        guard !holdsOpportunity(catalog, id) else { return }
        let opportunity: GetOpportunityResponse
        do throws(ServiceError) {
            opportunity = try await service.getOpportunity(GetOpportunityRequest(catalog: catalog, identifier: id))
        } catch {
            guard error.code == "ResourceNotFoundException" || error.code == "ValidationException" else { throw error }
            return
        }
        try await overlay.adopt(opportunity)
        _ = lock.withLock { heldOpportunities.insert(Self.key(catalog, id)) }
    }

    private func holdsOpportunity(_ catalog: String, _ id: String) -> Bool {
        lock.withLock { heldOpportunities.contains(Self.key(catalog, id)) }
    }

    // MARK: Invitations

    /// An invitation the dry run answered reads as the overlay has it; any other as the service has it.
    func handle(_ validated: Validated<GetEngagementInvitationRequest>) async throws(ServiceError) -> GetEngagementInvitationResponse {
        let key = Self.key(validated.request.catalog, validated.request.identifier)
        if lock.withLock({ heldInvitations.contains(key) }) { return try await overlay.call(validated) }
        return try await service.call(validated)
    }

    func handle(_ validated: Validated<AcceptEngagementInvitationRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyInvitation(validated.request.catalog, validated.request.identifier)
        return try await overlay.call(validated)
    }

    func handle(_ validated: Validated<RejectEngagementInvitationRequest>) async throws(ServiceError) -> EmptyResponse {
        try await copyInvitation(validated.request.catalog, validated.request.identifier)
        return try await overlay.call(validated)
    }

    /// The pretend accept: the invitation and its engagement copied into the overlay, which answers the task
    /// and holds the opportunity it makes, so later reads of it answer from the overlay.
    func handle(_ validated: Validated<StartEngagementByAcceptingInvitationTaskRequest>) async throws(ServiceError)
        -> StartEngagementByAcceptingInvitationTaskResponse
    {
        try await copyInvitation(validated.request.catalog, validated.request.identifier)
        let answer = try await overlay.call(validated)
        if let id = answer.opportunityId {
            let key = Self.key(validated.request.catalog, id)
            lock.withLock {
                heldOpportunities.insert(key)
                createdOpportunities.append(key)
            }
        }
        return answer
    }

    /// Before the first pretend answer to an invitation of the service, the overlay gets a copy of it and of
    /// its engagement; one the service does not show the caller is left out, so the overlay refuses it as
    /// the service would.
    private func copyInvitation(_ catalog: String, _ identifier: String) async throws(ServiceError) {
        let invitation: GetEngagementInvitationResponse
        do throws(ServiceError) {
            invitation = try await service.getEngagementInvitation(GetEngagementInvitationRequest(catalog: catalog, identifier: identifier))
        } catch {
            guard ["ResourceNotFoundException", "ValidationException", "AccessDeniedException"].contains(error.code) else { throw error }
            return
        }
        if let engagement = invitation.engagementId {
            try await copyFromService(catalog, engagement)
        }
        try await overlay.adopt(invitation)
        _ = lock.withLock { heldInvitations.insert(Self.key(catalog, identifier)) }
    }
}
