/// One shape of the AWS service model, as the generator read it: what `engage describe` shows and what
/// validation checks. The instances live in `Model/ServiceModel+Shapes.swift`, generated from the model.
public struct ShapeSchema: Sendable {
    public let name: String
    /// The model's documentation as plain text: paragraphs separated by blank lines.
    public let documentation: String
    public let kind: Kind

    /// What kind of shape this is, with the model's constraints for that kind.
    public enum Kind: Sendable {
        case structure(StructureSchema)
        case string(StringSchema)
        case integer(IntegerSchema)
        case timestamp(TimestampSchema)
        case list(ListSchema)
        case map(MapSchema)
    }

    public init(name: String, documentation: String, kind: Kind) {
        self.name = name
        self.documentation = documentation
        self.kind = kind
    }
}

/// A structure, a union (exactly one member set) or an exception.
public struct StructureSchema: Sendable {
    public let members: [MemberSchema]
    public let isUnion: Bool
    /// "client" or "server" for exception shapes (the model's `fault` marks server errors); nil otherwise.
    public let exceptionFault: ExceptionFault?

    /// Who is at fault when an exception shape is returned.
    public enum ExceptionFault: String, Sendable {
        case client, server
    }

    /// Member positions by name, so looking a member up does not scan the list.
    private let positions: [String: Int]

    public init(members: [MemberSchema], isUnion: Bool = false, exceptionFault: ExceptionFault? = nil) {
        self.members = members
        self.isUnion = isUnion
        self.exceptionFault = exceptionFault
        positions = Dictionary(members.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// The member with this exact name.
    public func member(named name: String) -> MemberSchema? {
        positions[name].map { members[$0] }
    }
}

/// A member of a structure: its name on the wire, its target shape, and whether it is required.
public struct MemberSchema: Sendable {
    public let name: String
    public let shape: String
    public let isRequired: Bool
    /// The service fills this member in when absent so that retries are safe (`ClientToken`).
    public let isIdempotencyToken: Bool
    public let documentation: String
    /// Values the member's documentation lists as valid although its shape is a plain string
    /// (the model does this for `AddressSummary.StateOrRegion`).
    public let documentedValues: [String]

    public init(
        name: String, shape: String, isRequired: Bool, isIdempotencyToken: Bool = false, documentation: String,
        documentedValues: [String] = []
    ) {
        self.name = name
        self.shape = shape
        self.isRequired = isRequired
        self.isIdempotencyToken = isIdempotencyToken
        self.documentation = documentation
        self.documentedValues = documentedValues
    }
}

/// A string shape: an enum when `enumValues` is not empty, otherwise free text limited by `pattern`.
public struct StringSchema: Sendable {
    /// The model's regular expression; a value must match it as a whole.
    public let pattern: String?
    public let enumValues: [String]
    /// The model marks the value as sensitive (personal data); printers may mask it.
    public let isSensitive: Bool

    public init(pattern: String? = nil, enumValues: [String] = [], isSensitive: Bool = false) {
        self.pattern = pattern
        self.enumValues = enumValues
        self.isSensitive = isSensitive
    }
}

/// An integer shape with its inclusive bounds.
public struct IntegerSchema: Sendable {
    public let min: Int?
    public let max: Int?

    public init(min: Int? = nil, max: Int? = nil) {
        self.min = min
        self.max = max
    }
}

/// A timestamp shape; `format` is the model's `timestampFormat` (iso8601 for every shape engage serves).
public struct TimestampSchema: Sendable {
    public let format: String

    public init(format: String) {
        self.format = format
    }
}

/// A list shape: its element shape and inclusive bounds on the number of elements.
public struct ListSchema: Sendable {
    public let member: String
    public let min: Int?
    public let max: Int?

    public init(member: String, min: Int? = nil, max: Int? = nil) {
        self.member = member
        self.min = min
        self.max = max
    }
}

/// A map shape: string keys of the shape `key`, values of the shape `value`, and bounds on the entries.
public struct MapSchema: Sendable {
    public let key: String
    public let value: String
    public let min: Int?
    public let max: Int?

    public init(key: String, value: String, min: Int? = nil, max: Int? = nil) {
        self.key = key
        self.value = value
        self.min = min
        self.max = max
    }
}

/// How a paginated list operation pages: the request member that carries the token of the next page, the
/// response member that returns it, the request member that bounds a page, and the list of results.
public struct Paginator: Sendable, Equatable {
    public let inputToken: String
    public let outputToken: String
    public let limitKey: String?
    public let resultKey: String

    public init(inputToken: String, outputToken: String, limitKey: String?, resultKey: String) {
        (self.inputToken, self.outputToken, self.limitKey, self.resultKey) = (inputToken, outputToken, limitKey, resultKey)
    }
}

/// An operation of the service: the shapes it takes and returns and the exceptions it may raise.
public struct OperationSchema: Sendable {
    public let name: String
    public let input: String
    /// The output shape; nil for an operation that answers `{}` (`EmptyResponse`).
    public let output: String?
    public let errors: [String]
    public let documentation: String

    public init(name: String, input: String, output: String?, errors: [String], documentation: String) {
        self.name = name
        self.input = input
        self.output = output
        self.errors = errors
        self.documentation = documentation
    }
}

/// Values a model documents in prose for a plain string member, given a name so they can be listed and
/// completed like an enum (`StateOrRegion`).
public struct DocumentedValueSet: Sendable {
    public let name: String
    /// Where the model documents them: `Structure.Member`.
    public let documentedAt: String
    public let values: [String]

    public init(name: String, documentedAt: String, values: [String]) {
        self.name = name
        self.documentedAt = documentedAt
        self.values = values
    }
}

extension OperationSchema {
    /// Whether the operation only reads: its name starts with Get or List, which in this service's model is
    /// exactly the operations that change nothing. Every other operation is a write.
    public static func onlyReads(_ operationName: String) -> Bool {
        operationName.hasPrefix("Get") || operationName.hasPrefix("List")
    }
}
