import Core
import Crypto
import Foundation
import GRDB

/// ClientToken idempotency: the same token with the same request returns the first response and writes
/// nothing; with another request it is a ConflictException. Requests are compared by SHA-256. Tokens are the
/// caller's own: through `engage serve` two partners may use the same token without meeting.
extension SandboxService {
    /// The first response for this client token when the same request is made again; a different request
    /// with the token is a ConflictException. Requests are compared by the SHA-256 of their JSON text.
    func replay<Response: WireConvertible>(_ db: Database, _ catalog: String, _ operation: String, _ token: String, _ request: String) throws -> Response? {
        guard let row = try IdempotencyRow.find(db, catalog: catalog, operation: operation, clientToken: scoped(token)) else { return nil }
        guard row.requestDigest == Self.digest(request) else {
            throw ServiceError.conflict("ClientToken \(ServiceError.excerpt(token)) was already used for a different \(operation) request")
        }
        return try Response(wire: try JSONValue(parsing: row.response), at: "")
    }

    /// Stores the token with the response about to be given and returns nil, or, when the token is already
    /// stored, the first response (same request) or a ConflictException (another request). Storing first is
    /// the replay check too: one statement where a lookup and an insert would be two; a replay writes nothing.
    func replayUnlessNew<Response: WireConvertible>(
        _ db: Database, _ catalog: String, _ operation: String, _ token: String, _ request: String, _ response: Response
    ) throws -> Response? {
        let row = IdempotencyRow(catalog: catalog, operation: operation, clientToken: scoped(token), requestDigest: Self.digest(request), response: response.wire.serialized())
        guard try !row.insertIfNew(db) else { return nil }
        guard let first: Response = try replay(db, catalog, operation, token, request) else {
            throw ServiceError.internalError("ClientToken \(ServiceError.excerpt(token)) is stored but cannot be read back")
        }
        return first
    }

    /// The token as stored: the sandbox's own account's as given (so stores written before callers were
    /// told apart keep replaying), another caller's prefixed with the caller and a line break, which the
    /// model's ClientToken pattern (`.{1,255}`) keeps out of any token.
    private func scoped(_ token: String) -> String {
        caller == Self.accountId ? token : "\(caller)\n\(token)"
    }

    private static func digest(_ request: String) -> Data {
        Data(SHA256.hash(data: Data(request.utf8)))
    }
}
