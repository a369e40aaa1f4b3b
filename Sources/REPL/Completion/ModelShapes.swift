import Core

/// What completion reads from the service model: a structure's members and the values a string may take.
enum ModelShapes {
    static func member(_ name: String, of structure: String) -> MemberSchema? {
        guard case .structure(let schema) = ServiceModel.shape(named: structure)?.kind else { return nil }
        return schema.member(named: name)
    }

    static func memberNames(of structure: String) -> [String] {
        guard case .structure(let schema) = ServiceModel.shape(named: structure)?.kind else { return [] }
        return schema.members.map(\.name)
    }

    /// What a `{` holding a value of this shape builds.
    static func role(_ shape: String) -> LuaPrefixScan.Role {
        switch ServiceModel.shape(named: shape)?.kind {
        case .structure: .structure(shape)
        case .list(let list): .list(element: list.member)
        default: .other
        }
    }

    /// Where the values of a string come from: a list the model gives, or the engagements the session saw.
    enum Values: Equatable {
        case listed([String])
        case engagementIds
        /// The ids the session has seen that the shape (an `…Identifier`) takes.
        case idsSeen(shape: String)
    }

    /// The values a member may take: the values its documentation lists, else its shape's.
    static func values(of member: MemberSchema) -> Values {
        member.documentedValues.isEmpty ? values(of: member.shape) : .listed(member.documentedValues)
    }

    /// An enum's values, or the engagement ids seen so far for a shape that names an engagement.
    static func values(of shape: String) -> Values {
        if shape == "EngagementIdentifier" || shape == "EngagementArnOrIdentifier" { return .engagementIds }
        guard case .string(let string) = ServiceModel.shape(named: shape)?.kind else { return .listed([]) }
        if string.enumValues.isEmpty, shape.hasSuffix("Identifier") { return .idsSeen(shape: shape) }
        return .listed(string.enumValues)
    }

    /// The values a member of this name takes wherever the model has it, when every structure agrees
    /// (`Industry`, `CountryCode`, `StateOrRegion`, `EngagementIdentifier`): used when the enclosing
    /// table's shape is unknown.
    static func values(ofMemberNamed name: String) -> Values {
        valuesByMemberName[name] ?? .listed([])
    }

    private static let valuesByMemberName: [String: Values] = {
        var seen: [String: Values?] = [:]
        for shape in ServiceModel.shapeList {
            guard case .structure(let structure) = shape.kind else { continue }
            for member in structure.members {
                let values = values(of: member)
                guard values != .listed([]) else { continue }
                // A name whose values differ from one structure to another has no values of its own.
                if let earlier = seen[member.name], earlier != values {
                    seen[member.name] = .some(nil)
                } else {
                    seen[member.name] = values
                }
            }
        }
        return seen.compactMapValues { $0 }
    }()
}
