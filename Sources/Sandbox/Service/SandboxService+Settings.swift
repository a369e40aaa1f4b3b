import Core
import Foundation
import GRDB

/// GetSellingSystemSettings and PutSellingSystemSettings: one setting per catalog, the IAM role resource
/// snapshot jobs run as, kept as an ARN.
extension SandboxService {
    public func handle(_ validated: Validated<GetSellingSystemSettingsRequest>) async throws(ServiceError) -> GetSellingSystemSettingsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let role = try await perform(writing: false) { db in
            try String.fetchOne(db, sql: "SELECT roleArn FROM sellingSystemSettings WHERE catalog = ?", arguments: [request.catalog])
        }
        return GetSellingSystemSettingsResponse(catalog: request.catalog, resourceSnapshotJobRoleArn: role)
    }

    public func handle(_ validated: Validated<PutSellingSystemSettingsRequest>) async throws(ServiceError) -> PutSellingSystemSettingsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        // A role name is a role of the caller's account: the sandbox's.
        let role = request.resourceSnapshotJobRoleIdentifier.map { $0.hasPrefix("arn:") ? $0 : "arn:aws:iam::\(Self.accountId):role/\($0)" }
        try await perform { db in
            try db.execute(
                sql: "INSERT INTO sellingSystemSettings (catalog, roleArn) VALUES (?, ?) ON CONFLICT (catalog) DO UPDATE SET roleArn = excluded.roleArn",
                arguments: [request.catalog, role])
            try self.recordWrite(
                db, "PutSellingSystemSettings", .updated, catalog: request.catalog, engagementId: request.catalog, clientToken: nil,
                at: try self.now(db), resourceType: .settings)
        }
        return PutSellingSystemSettingsResponse(catalog: request.catalog, resourceSnapshotJobRoleArn: role)
    }
}
