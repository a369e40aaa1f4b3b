/// Writes `ServiceModel+Operations.swift`: what makes each operation of the model callable in Swift. For each operation: its request
/// type's `OperationRequest` conformance (name, input shape, response type, and the dispatch to a handler),
/// a requirement of `OperationHandlers` with its default, and a typed method on `EngagementService`; and the
/// table of request types by operation name that `RawOperation` reads.
struct OperationsEmitter {
    let model: ModelFile
    let operations: [String]
    let paginators: [ModelPaginator]

    private struct Operation {
        let name: String
        let input: String
        let output: String
        let method: String
        let summary: String
    }

    private func resolved() throws -> [Operation] {
        try operations.map { name in
            guard let operation = model.operations[name], let input = operation.input else {
                throw CodeGenError("no operation \(name) with an input")
            }
            // An operation the model gives no output answers `{}`.
            let output = operation.output ?? "EmptyResponse"
            let documentation = Documentation.plainText(fromHTML: operation.documentation)
            let summary = documentation.components(separatedBy: "\n\n").first ?? ""
            return Operation(name: name, input: input, output: output, method: methodName(name), summary: summary)
        }
    }

    /// `CreateEngagement` → `createEngagement`.
    private func methodName(_ operation: String) -> String {
        operation.prefix(1).lowercased() + operation.dropFirst()
    }

    func file() throws -> String {
        let operations = try resolved()
        let emitter = SwiftEmitter(model: model)
        var output = SwiftEmitter.header
        for operation in operations {
            output += """

                extension \(operation.input): OperationRequest {
                    public typealias Response = \(operation.output)
                    public static let operationName = \(SwiftNames.stringLiteral(operation.name))
                    public static let inputShape = \(SwiftNames.stringLiteral(operation.input))

                    public static func dispatch(_ request: Validated<Self>, to handlers: some OperationHandlers) async throws(ServiceError) -> Response {
                        try await handlers.handle(request)
                    }
                }

                """
        }
        output += """

            extension ServiceModel {
                /// The request type of each operation, by operation name.
                public static let requestTypes: [String: any OperationRequest.Type] = [

            """
        for operation in operations {
            output += "        \(SwiftNames.stringLiteral(operation.name)): \(operation.input).self,\n"
        }
        output += """
                ]

                /// The paginated operations, by name, from botocore's paginators for the service.
                public static let paginators: [String: Paginator] = [

            """
        for paginator in paginators {
            let limit = paginator.limitKey.map(SwiftNames.stringLiteral) ?? "nil"
            output += "        \(SwiftNames.stringLiteral(paginator.operation)): Paginator(inputToken: \(SwiftNames.stringLiteral(paginator.inputToken)), "
            output += "outputToken: \(SwiftNames.stringLiteral(paginator.outputToken)), limitKey: \(limit), resultKey: \(SwiftNames.stringLiteral(paginator.resultKey))),\n"
        }
        output += """
                ]
            }

            /// A service that answers each operation with a function of its own (the sandbox, a dry run's overlay):
            /// `call` dispatches to `handle` by the request's type. An operation it does not handle goes to
            /// `unhandled`, which by default is the service's answer to an operation it does not serve.
            public protocol OperationHandlers: EngagementService {

            """
        for operation in operations {
            output += emitter.docComment("\(operation.name): \(operation.summary)", indent: "    ")
            output += "    func handle(_ request: Validated<\(operation.input)>) async throws(ServiceError) -> \(operation.output)\n"
        }
        output += """
                /// The answer to an operation this service has no `handle` of its own for.
                func unhandled<Request: OperationRequest>(_ request: Validated<Request>) async throws(ServiceError) -> Request.Response
            }

            extension OperationHandlers {

            """
        for (index, operation) in operations.enumerated() {
            if index > 0 { output += "\n" }
            output += """
                    public func handle(_ request: Validated<\(operation.input)>) async throws(ServiceError) -> \(operation.output) {
                        try await unhandled(request)
                    }

                """
        }
        output += """
            }

            extension EngagementService {

            """
        for (index, operation) in operations.enumerated() {
            if index > 0 { output += "\n" }
            output += emitter.docComment("\(operation.name): \(operation.summary) The request is checked against the model first.", indent: "    ")
            output += """
                    public func \(operation.method)(_ request: \(operation.input)) async throws(ServiceError) -> \(operation.output) {
                        try await call(Validated(request))
                    }

                """
        }
        output += "}\n"
        return output
    }
}
