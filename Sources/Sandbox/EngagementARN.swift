import Core
import Foundation

/// An engagement ARN in the only form this service issues:
/// `arn:aws:partnercentral:REGION:ACCOUNT:catalog/CATALOG/engagement/eng-` + 14 of `[0-9a-z]`.
struct EngagementARN: Equatable {
    let region: String
    let account: String
    let catalog: String
    let id: String

    /// Nil unless `text` is exactly that form: no other partition or service, no empty, extra or trailing
    /// path segments.
    init?(_ text: String) {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", fields[1] == "aws", fields[2] == "partnercentral",
            Self.isRegion(fields[3]), fields[4].count == 12, fields[4].allSatisfy(\.isASCIIDigit)
        else { return nil }
        let path = fields[5].split(separator: "/", omittingEmptySubsequences: false)
        guard path.count == 4, path[0] == "catalog", !path[1].isEmpty, path[1].allSatisfy(\.isASCIILetter), path[2] == "engagement",
            Self.isEngagementId(path[3])
        else { return nil }
        (region, account, catalog, id) = (String(fields[3]), String(fields[4]), String(path[1]), String(path[3]))
    }

    /// `us-east-1`, `eu-west-9`: lowercase letters, digits and dashes.
    private static func isRegion(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) || $0 == "-" }
    }

    /// `eng-` and 14 of `[0-9a-z]`, the model's EngagementIdentifier pattern.
    static func isEngagementId(_ text: Substring) -> Bool {
        text.hasPrefix("eng-") && text.count == 18 && text.dropFirst(4).allSatisfy { $0.isASCIIDigit || ("a"..."z").contains($0) }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIILetter: Bool { isASCII && isLetter }
}
