import Core
import OrderedJSON
import PropertyBased
import Sandbox
import Testing

/// Every operation of the model reaches its handler on the sandbox: a handler whose signature drifts from
/// the generated requirement (a wrong response type) would otherwise be an overload nobody calls, and the
/// operation would fall to the default `unhandled` ("does not serve") unnoticed.
@Suite(.tags(.unit)) struct SandboxDispatchProperties {
    @Test(.replayable) func everyOperationOfTheModelReachesItsHandler() async throws {
        let sandbox = try SandboxService(path: ":memory:")
        // One request for each operation of the model in every round.
        let rounds = generator { dice -> [OperationCall] in
            ServiceModel.operations.map { operation in
                var request = ModelValues.value(of: operation.input, &dice).objectValue ?? [:]
                if request["Catalog"] != nil { request["Catalog"] = "Sandbox" }
                return OperationCall(operation: operation.name, request: .object(request))
            }
        }
        await propertyCheck(count: Fuzzing.iterations(5), input: rounds) { calls in
            for call in calls {
                var code: String?
                do throws(ServiceError) {
                    _ = try await RawOperation.call(call.operation, asSent: call.request, on: sandbox)
                } catch {
                    code = error.code
                }
                #expect(code != "UnknownOperationException", "\(call): \(code ?? "answered")")
            }
        }
    }
}

/// A request document built to the model for one operation.
struct OperationCall: Sendable, CustomStringConvertible {
    let operation: String
    let request: JSONValue
    var description: String { "\(operation) \(request.serialized())" }
}
