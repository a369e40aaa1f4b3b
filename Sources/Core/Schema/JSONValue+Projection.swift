extension JSONValue {
    /// This value with only the members the model's `shapeName` has, at every depth: a response read as a
    /// request of another shape.
    public func projected(onto shapeName: String) -> JSONValue {
        switch (ServiceModel.shape(named: shapeName)?.kind, self) {
        case (.structure(let structure)?, .object(let members)):
            var kept = JSONValue.Members()
            for member in structure.members {
                if let value = members[member.name] { kept[member.name] = value.projected(onto: member.shape) }
            }
            return .object(kept)
        case (.list(let list)?, .array(let elements)):
            return .array(elements.map { $0.projected(onto: list.member) })
        default:
            return self
        }
    }
}
