import AsyncHTTPClient
import Core
import Foundation

/// The HTTP side of the credential services (STS, the SSO portal): where each one is, and one bounded
/// request over a shared `HTTPClient`.
struct CredentialEndpoint: Sendable {
    /// The service's endpoint without a trailing slash: `https://sts.eu-west-1.amazonaws.com`.
    let baseURL: String
    let client: HTTPClient
    /// How long one request may take, connecting included (the client keeps trying to connect until then).
    let timeout: Duration

    /// `AWS_ENDPOINT_URL_<SERVICE>` (the SDKs' per-service override, `STS` or `SSO`), else
    /// `AWS_ENDPOINT_URL`, else `standard`.
    init(service: String, standard: String, environment: [String: String], client: HTTPClient, timeout: Duration = .seconds(30)) {
        let override = [environment["AWS_ENDPOINT_URL_\(service)"], environment["AWS_ENDPOINT_URL"]].compactMap { $0 }.first { !$0.isEmpty }
        var url = override ?? standard
        while url.hasSuffix("/") { url.removeLast() }
        (baseURL, self.client, self.timeout) = (url, client, timeout)
    }

    /// `Host` as a request to the endpoint carries it (the port only when the URL names one).
    var host: String {
        guard let components = URLComponents(string: baseURL), let name = components.host else { return baseURL }
        return components.port.map { "\(name):\($0)" } ?? name
    }

    /// A query or form value percent-encoded: every byte but letters, digits and `-_.~`.
    static func encode(_ value: String) -> String { SigV4.encode(value, keeping: unreserved) }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    struct Response {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    /// Sends one request and reads at most 1 MiB of its answer within `timeout`; `what` names the call in errors.
    func send(_ method: String, pathAndQuery: String, headers: [(name: String, value: String)], body: [UInt8] = [], what: String) async throws(ServiceError) -> Response {
        var request = HTTPClientRequest(url: baseURL + pathAndQuery)
        request.method = .init(rawValue: method)
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        if !body.isEmpty { request.body = .bytes(body) }
        do {
            let (seconds, attoseconds) = timeout.components
            let response = try await client.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                            body: Array(bytes.readableBytesView))
        } catch {
            throw .credentialRetrieval("\(what): cannot reach \(baseURL) (tried for \(timeout)): \(error)")
        }
    }
}
