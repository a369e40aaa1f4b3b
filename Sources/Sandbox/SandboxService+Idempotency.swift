import Core
import Crypto
import Foundation
import GRDB

/// ClientToken idempotency: the same token with the same request returns the first response and writes
/// nothing; with another request it is a ConflictException. Requests are compared by SHA-256.
extension SandboxService {
    /// The first response for this client token when the same request is made again; a different request
    /// with the token is a ConflictException. Requests are compared by the SHA-256 of their JSON text.
    static func replay<Response: WireConvertible>(_ db: Database, _ catalog: String, _ operation: String, _ token: String, _ request: String) throws -> Response? {
        guard let row = try IdempotencyRow.find(db, catalog: catalog, operation: operation, clientToken: token) else { return nil }
        guard row.requestDigest == digest(request) else {
            throw ServiceError.conflict("ClientToken \(ServiceError.excerpt(token)) was already used for a different \(operation) request")
        }
        return try Response(wire: try JSONValue(parsing: row.response), at: "")
    }

    /// Stores the token with the response about to be given and returns nil, or, when the token is already
    /// stored, the first response (same request) or a ConflictException (another request). Storing first is
    /// the replay check too: one statement where a lookup and an insert would be two; a replay writes nothing.
    static func replayUnlessNew<Response: WireConvertible>(
        _ db: Database, _ catalog: String, _ operation: String, _ token: String, _ request: String, _ response: Response
    ) throws -> Response? {
        let row = IdempotencyRow(catalog: catalog, operation: operation, clientToken: token, requestDigest: digest(request), response: response.wire.serialized())
        guard try !row.insertIfNew(db) else { return nil }
        guard let first: Response = try replay(db, catalog, operation, token, request) else {
            throw ServiceError.internalError("ClientToken \(ServiceError.excerpt(token)) is stored but cannot be read back")
        }
        return first
    }

    private static func digest(_ request: String) -> Data {
        Data(SHA256.hash(data: Data(request.utf8)))
    }
}
