import Foundation

/// Calls an operation with a boto3-shaped request document and returns the response document: the way in
/// for `engage call`, the Lua bindings and the HTTP server, which all hold JSON rather than typed requests.
public enum RawOperation {
    /// Fills what the caller may leave out (`Catalog`, and a fresh `ClientToken` where the model has an
    /// idempotency token), validates against the model, and calls `service`.
    public static func call(
        _ operationName: String, request: JSONValue, catalog: String, on service: any EngagementService
    ) async throws(ServiceError) -> JSONValue {
        let operation = try operation(named: operationName)
        return try await send(withDefaults(request, for: operation, catalog: catalog), as: operation, on: service)
    }

    /// Validates and calls with the request exactly as sent, nothing filled in: the way in for the HTTP
    /// server, whose clients send what the model requires (a missing `Catalog` is their ValidationException).
    public static func call(_ operationName: String, asSent request: JSONValue, on service: any EngagementService) async throws(ServiceError) -> JSONValue {
        try await send(request, as: try operation(named: operationName), on: service)
    }

    private static func send(_ document: JSONValue, as operation: OperationSchema, on service: any EngagementService) async throws(ServiceError) -> JSONValue {
        let issues = ModelValidator.validate(document, as: operation.input)
        guard issues.isEmpty else { throw .requestValidation(issues) }
        do {
            return try await dispatch(document, as: operation, on: service)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError.requestValidation([ValidationExceptionError(fieldName: "", message: "\(error)", code: .invalidValue)])
        }
    }

    /// The typed request built from the validated document, sent as `Validated` so that a service which checks
    /// requests itself (the sandbox) does not check it twice; a document the typed form cannot hold throws.
    private static func dispatch(_ document: JSONValue, as operation: OperationSchema, on service: any EngagementService) async throws -> JSONValue {
        guard let requestType = ServiceModel.requestTypes[operation.name] else {
            throw ServiceError(code: "UnknownOperationException", message: "engage does not serve \(operation.name)")
        }
        return try await call(requestType, document, on: service)
    }

    private static func call<Request: OperationRequest>(_ type: Request.Type, _ document: JSONValue, on service: any EngagementService) async throws -> JSONValue {
        let request = try Request(wire: document, at: "")
        return try await service.call(Validated(alreadyChecked: request, wire: request.wire)).wire
    }

    /// A request document from the bytes a client sent: a JSON object in UTF-8, or the
    /// `SerializationException` the service answers anything else with.
    public static func document(parsing bytes: some Collection<UInt8>) throws(ServiceError) -> JSONValue {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw .unreadableRequest(error)
        }
        guard case .object = document else { throw .serialization("the request must be a JSON object, not \(document.kindDescription)") }
        return document
    }

    /// The served operation called `name`; otherwise an `UnknownOperationException` that suggests the nearest.
    public static func operation(named name: String) throws(ServiceError) -> OperationSchema {
        guard let operation = ServiceModel.operation(named: name) else {
            let names = ServiceModel.operations.map(\.name)
            let hint = Suggestion.hint(for: name, among: names)
            throw ServiceError(code: "UnknownOperationException", message: "no operation '\(name)'\(hint); operations: \(names.joined(separator: ", "))")
        }
        return operation
    }

    /// The member of the input shape `input` that the model marks as the idempotency token, if any.
    public static func idempotencyTokenMember(of input: String) -> String? {
        guard let shape = ServiceModel.shape(named: input), case .structure(let structure) = shape.kind else { return nil }
        return structure.members.first { $0.isIdempotencyToken }?.name
    }

    /// The request with `Catalog` and an idempotency token filled in when absent.
    public static func withDefaults(_ request: JSONValue, for operation: OperationSchema, catalog: String) -> JSONValue {
        guard case .object(var members) = request, let input = ServiceModel.shape(named: operation.input),
            case .structure(let structure) = input.kind
        else { return request }
        if structure.member(named: "Catalog") != nil, members["Catalog"] == nil || members["Catalog"] == .null {
            members["Catalog"] = .string(catalog)
        }
        for member in structure.members where member.isIdempotencyToken && (members[member.name] == nil || members[member.name] == .null) {
            members[member.name] = .string(UUID().uuidString.lowercased())
        }
        return .object(members)
    }
}
