import CLuaShims
import Core

/// One global engage puts in every Lua state. The model's rows (operations, builders, enum tables) come from
/// the generator (`ServiceModel.globals`); the helpers are written by hand in `HelperGlobals`. Registration,
/// `help()`, the REPL's completion and `engage types` all read `LuaGlobals.all`, so a global is listed once.
public struct LuaGlobal: Sendable {
    public enum Kind: Sendable, Equatable {
        case operation, builder, enumTable, helper
    }

    public let kind: Kind
    /// The name scripts use.
    public let name: String
    /// The model's operation or shape the global stands for; nil for a helper.
    public let model: String?
    /// A second name of an operation (`create_context`), listed with the rule's name.
    public let isShortName: Bool
    /// A helper's one line for `help()` (a model row's documentation is the model's).
    let summary: String
    /// A helper's parameters as LuaLS writes them (`path string`, `opts? RetryOptions`), and its result.
    let parameters: [String]
    let returns: String?
    /// What a helper is made of.
    let binding: HelperBinding?

    init(_ row: ModelGlobal) {
        switch row.kind {
        case .operation: kind = .operation
        case .builder: kind = .builder
        case .enumTable: kind = .enumTable
        }
        name = row.lua
        model = row.model
        isShortName = row.isShortName
        summary = ""
        parameters = []
        returns = nil
        binding = nil
    }

    init(helper name: String, _ summary: String, parameters: [String] = [], returns: String? = nil, _ binding: HelperBinding) {
        kind = .helper
        self.name = name
        model = nil
        isShortName = false
        self.summary = summary
        self.parameters = parameters
        self.returns = returns
        self.binding = binding
    }
}

/// How a helper global comes to be in a state.
enum HelperBinding: Sendable {
    /// A Swift function (see `Bridge.call`).
    case function(engage_swift_function)
    /// A table of functions and values with its own LuaLS class: each function member as `name`, summary,
    /// parameters and result; `values` are its other members, with their LuaLS type and summary.
    case table(
        install: @Sendable (Bridge) -> Void,
        members: [(name: String, summary: String, parameters: [String], returns: String)],
        values: [(name: String, type: String, summary: String)])
    /// Written in Lua in the prelude.
    case prelude
}

/// The one table of globals, and the views its readers take of it.
public enum LuaGlobals {
    /// Every global, in the order help() lists each kind: the model's rows, then the helpers.
    public static let all: [LuaGlobal] = ServiceModel.globals.map(LuaGlobal.init) + HelperGlobals.rows

    /// The rows of one kind, in table order.
    public static func of(_ kind: LuaGlobal.Kind) -> [LuaGlobal] {
        all.filter { $0.kind == kind }
    }

    /// The row named `name`.
    public static func named(_ name: String) -> LuaGlobal? {
        all.first { $0.name == name }
    }

    /// The model's rows by name, for making a global at its first read.
    private static let modelRows = Dictionary(ServiceModel.globals.map(LuaGlobal.init).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The names of the model's rows, in table order.
    static let modelRowNames = ServiceModel.globals.map(\.lua)

    /// The model's row (operation, builder or enum table) named `name`.
    static func modelRow(named name: String) -> LuaGlobal? {
        modelRows[name]
    }

    /// The member names of a helper that is a table (`json` → decode, encode, null), in name order.
    public static func fields(of name: String) -> [String]? {
        guard case .table(_, let members, let values)? = named(name)?.binding else { return nil }
        return (members.map(\.name) + values.map(\.name)).sorted()
    }

    /// An enum table's values in model order: an enum's, or those the documentation lists for a value set.
    static func enumValues(_ shape: String) -> [String] {
        if case .string(let string)? = ServiceModel.shape(named: shape)?.kind, !string.enumValues.isEmpty { return string.enumValues }
        return ServiceModel.documentedValueSets.first { $0.name == shape }?.values ?? []
    }
}
