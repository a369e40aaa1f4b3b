import Core

/// Runs `body` and returns the ServiceError it threw, or nil.
public func serviceError(_ body: () async throws -> Void) async -> ServiceError? {
    do {
        try await body()
        return nil
    } catch let error as ServiceError {
        return error
    } catch {
        return ServiceError(code: "Unexpected", message: "\(error)")
    }
}
