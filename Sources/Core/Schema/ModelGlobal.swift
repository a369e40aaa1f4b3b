/// One Lua global the service model gives engage: an operation, a builder or an enum table, with the model
/// name it stands for. The generator writes the list (`ServiceModel.globals`); Scripting's table of globals
/// is these rows and its helpers.
public struct ModelGlobal: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A function that calls the operation `model` (`create_engagement` → CreateEngagement).
        case operation
        /// A function that checks and marks a table as the structure `model` (`LeadCustomer`).
        case builder
        /// A read-only table of the enum `model`'s values (`Industry`).
        case enumTable
    }

    public let kind: Kind
    /// The global's name in Lua.
    public let lua: String
    /// The model's operation or shape.
    public let model: String
    /// A second name of an operation that already has a row by the naming rule (`create_context` for
    /// `create_engagement_context`): the same function, listed with the rule's name.
    public let isShortName: Bool

    public init(kind: Kind, lua: String, model: String, isShortName: Bool = false) {
        self.kind = kind
        self.lua = lua
        self.model = model
        self.isShortName = isShortName
    }
}
