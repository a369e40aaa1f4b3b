import Core
import Foundation

/// How context payloads are checked against their type, changed by updates, and completed on create.
extension SandboxService {
    static func checkPayload(_ payload: EngagementContextPayload?, matches type: EngagementContextType, at path: String) throws(ServiceError) {
        guard let payload else { return }
        let member: String
        switch payload {
        case .lead: member = "Lead"
        case .customerProject: member = "CustomerProject"
        case .unknown(let name, _): member = name
        }
        guard member == type.rawValue else {
            throw .businessValidation(FieldPath.member("Payload", of: path), "a \(type.rawValue) context needs a \(type.rawValue) payload, not \(member)")
        }
    }

    /// The context after an update: a Lead's `Customer` replaces, `QualificationStatus` replaces when
    /// given, `Interaction` is appended; a CustomerProject's members replace those given. A context created
    /// without a payload (the model allows it) is updated as if its payload were empty.
    static func applying(_ update: UpdateEngagementContextPayload, to stored: EngagementContextPayload?, type: EngagementContextType, now: Int64) throws -> EngagementContextPayload {
        let current = stored ?? emptyPayload(for: update)
        switch (update, current) {
        case (.lead(let change), .lead(var lead)):
            lead.customer = change.customer
            if let status = change.qualificationStatus { lead.qualificationStatus = status }
            if var interaction = change.interaction {
                guard lead.interactions.count < maximumInteractions else {
                    throw ServiceError.quotaExceeded("the Lead context already has \(lead.interactions.count) interactions, the most a lead may have")
                }
                if interaction.interactionDate == nil { interaction.interactionDate = SandboxTime.timestamp(now) }
                lead.interactions.append(interaction)
            }
            return .lead(lead)
        case (.customerProject(let change), .customerProject(var project)):
            if let customer = change.customer { project.customer = customer }
            if let details = change.project { project.project = details }
            return .customerProject(project)
        default:
            throw ServiceError.businessValidation("Payload", "a \(type.rawValue) context needs a \(type.rawValue) payload")
        }
    }

    /// The payload an update starts from when the context has none: no interactions, no customer project.
    private static func emptyPayload(for update: UpdateEngagementContextPayload) -> EngagementContextPayload {
        switch update {
        case .lead(let change): .lead(LeadContext(customer: change.customer, interactions: []))
        case .customerProject: .customerProject(CustomerProjectsContext())
        case .unknown(let member, let value): .unknown(member: member, value: value)
        }
    }

    /// The stored payload of a context, nil when it was created without one.
    static func storedPayload(_ row: ContextRow) throws -> EngagementContextPayload? {
        row.payload == "null" ? nil : try EngagementContextPayload(wire: try JSONValue(parsing: row.payload), at: "Payload")
    }

    /// A Lead payload (as JSON) with `InteractionDate` filled in, at its place in model order, for every
    /// interaction that leaves it out. Working on the request's JSON spares decoding and re-encoding it.
    static func fillingInteractionDates(_ payload: JSONValue, now: Int64) -> JSONValue {
        guard case .object(var union) = payload, case .object(var lead)? = union["Lead"],
            case .array(var interactions)? = lead["Interactions"]
        else { return payload }
        for index in interactions.indices {
            guard case .object(var members) = interactions[index], members["InteractionDate"] == nil else { continue }
            members.updateValue(.string(SandboxTime.text(now)), forKey: "InteractionDate", insertingAt: interactionDatePosition(in: members))
            interactions[index] = .object(members)
        }
        lead["Interactions"] = .array(interactions)
        union["Lead"] = .object(lead)
        return .object(union)
    }

    /// Where InteractionDate goes among an interaction's members: after those the model lists before it.
    private static func interactionDatePosition(in members: JSONValue.Members) -> Int {
        guard let shape = ServiceModel.shape(named: "LeadInteraction"), case .structure(let interaction) = shape.kind,
            let position = interaction.members.firstIndex(where: { $0.name == "InteractionDate" })
        else { return members.count }
        let earlier = Set(interaction.members[..<position].map(\.name))
        return members.keys.filter { earlier.contains($0) }.count
    }

    static func details(_ row: ContextRow) throws -> EngagementContextDetails {
        EngagementContextDetails(id: row.contextId, type: EngagementContextType(rawValue: row.type), payload: try storedPayload(row))
    }
}
