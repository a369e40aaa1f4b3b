import Core
import Foundation

/// Temporary credentials kept in memory and fetched again shortly before they expire. Concurrent callers
/// share one fetch: while it runs, they all wait for its outcome instead of starting their own.
actor RefreshingCredentials: AWSCredentialProvider {
    /// How long before `expiration` credentials are fetched again (botocore refreshes 15 minutes early
    /// when it can and must 10 minutes early; STS's shortest session is 15 minutes).
    static let refreshWindow: TimeInterval = 5 * 60

    private let fetch: @Sendable () async throws(ServiceError) -> AWSCredentials
    private let now: @Sendable () -> Date
    private var current: AWSCredentials?
    private var refreshing: Task<Result<AWSCredentials, ServiceError>, Never>?

    init(now: @escaping @Sendable () -> Date = Date.init, fetch: @escaping @Sendable () async throws(ServiceError) -> AWSCredentials) {
        self.fetch = fetch
        self.now = now
    }

    func credentials() async throws(ServiceError) -> AWSCredentials {
        if let current, !isDue(current) { return current }
        let task: Task<Result<AWSCredentials, ServiceError>, Never>
        if let refreshing {
            task = refreshing
        } else {
            let fetch = self.fetch
            task = Task { () async -> Result<AWSCredentials, ServiceError> in
                do throws(ServiceError) { return .success(try await fetch()) } catch { return .failure(error) }
            }
            refreshing = task
        }
        let outcome = await task.value
        if refreshing == task { refreshing = nil }
        switch outcome {
        case .success(let fresh):
            current = fresh
            return fresh
        case .failure(let error):
            // Credentials inside the refresh window still work until they expire: keep using them, as
            // botocore does, and try again on the next call.
            if let current, let expiration = current.expiration, expiration > now() { return current }
            throw error
        }
    }

    private func isDue(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) < Self.refreshWindow
    }
}

/// Credentials that never change: keys from a file or the environment.
struct FixedCredentials: AWSCredentialProvider {
    let keys: AWSCredentials
    func credentials() async throws(ServiceError) -> AWSCredentials { keys }
}
