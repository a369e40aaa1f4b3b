import Core
import OrderedJSON

/// One change that breaks exactly one constraint of a valid value: where, what it becomes (nil: removed),
/// and the one issue validation must report for it.
struct Mutation: Sendable, CustomStringConvertible {
    let path: [Step]
    let newValue: JSONValue?
    let code: ValidationExceptionErrorCode
    /// Where the issue is reported: the changed field, or for a union with two members the union.
    let reportedAt: [Step]

    init(_ path: [Step], to newValue: JSONValue?, _ code: ValidationExceptionErrorCode, reportedAt: [Step]? = nil) {
        self.path = path
        self.newValue = newValue
        self.code = code
        self.reportedAt = reportedAt ?? path
    }

    var description: String {
        "\(Step.fieldName(path)) = \(newValue.map { $0.serialized() } ?? "(removed)") → \(code.rawValue) at \(Step.fieldName(reportedAt))"
    }
}

/// Every single-constraint mutation of a valid value of a shape, found by walking it with the schema.
struct MutationFinder {
    var dice: Dice
    var found: [Mutation] = []

    mutating func walk(_ value: JSONValue, shape shapeName: String, at path: [Step]) {
        guard let shape = ServiceModel.shape(named: shapeName) else { preconditionFailure("no shape \(shapeName)") }
        switch shape.kind {
        case .structure(let structure):
            guard case .object(let members) = value else { return }
            if !path.isEmpty { found.append(Mutation(path, to: .string("a structure written as text"), .invalidValue)) }
            let unknown = "Unknown" + JSONBytes.digits(&dice, 3)
            found.append(Mutation(path + [.member(unknown)], to: .integer(1), .invalidValue))
            if structure.isUnion, let second = structure.members.first(where: { members[$0.name] == nil }) {
                found.append(Mutation(path + [.member(second.name)], to: ModelValues.value(of: second.shape, &dice), .tooManyValues, reportedAt: path))
            }
            for member in structure.members {
                guard let memberValue = members[member.name] else { continue }
                let memberPath = path + [.member(member.name)]
                if member.isRequired {
                    found.append(Mutation(memberPath, to: dice.chance(0.5) ? nil : .null, .requiredFieldMissing))
                }
                walk(memberValue, shape: member.shape, at: memberPath)
            }
        case .string(let string):
            guard case .string(let text) = value else { return }
            found.append(Mutation(path, to: dice.chance(0.5) ? .integer(7) : .bool(true), .invalidValue))
            if !string.enumValues.isEmpty {
                let wrong = [text + "x", text.lowercased(), text.uppercased(), " " + text, ""].filter { !string.enumValues.contains($0) }
                found.append(Mutation(path, to: .string(dice.pick(wrong)), .invalidEnumValue))
            } else if let pattern = string.pattern, let bounds = LengthBounds(pattern) {
                found.append(Mutation(path, to: .string(bounds.text(count: bounds.max + dice.int(1...3), &dice)), .invalidStringFormat))
                if bounds.min > 0 { found.append(Mutation(path, to: .string(bounds.text(count: bounds.min - 1, &dice)), .invalidStringFormat)) }
                if !bounds.allowsLineBreaks, bounds.max > 0 {
                    let shortest = max(1, bounds.min)
                    var scalars = Array(bounds.text(count: dice.int(shortest...max(shortest, min(bounds.max, 20))), &dice).unicodeScalars)
                    scalars[dice.int(0...scalars.count - 1)] = dice.pick(LengthBounds.lineTerminators)
                    found.append(Mutation(path, to: .string(String(String.UnicodeScalarView(scalars))), .invalidStringFormat))
                }
            } else if string.pattern != nil {
                found.append(Mutation(path, to: .string(dice.pick(Self.malformed(shapeName))), .invalidStringFormat))
            }
        case .integer(let bounds):
            found.append(Mutation(path, to: .string("12"), .invalidValue))
            if let max = bounds.max { found.append(Mutation(path, to: .integer(Int64(max) + Int64(dice.int(1...1000))), .valueOutOfRange)) }
            if let min = bounds.min { found.append(Mutation(path, to: .integer(Int64(min) - Int64(dice.int(1...1000))), .valueOutOfRange)) }
        case .timestamp:
            found.append(Mutation(path, to: .integer(1_751_270_400), .invalidValue))
            found.append(Mutation(path, to: .string(dice.pick(Self.badTimestamps)), .invalidStringFormat))
        case .list(let list):
            guard case .array(let elements) = value else { return }
            found.append(Mutation(path, to: .object([:]), .invalidValue))
            if let max = list.max {
                let longer = (0..<max + 1).map { _ in ModelValues.value(of: list.member, &dice) }
                found.append(Mutation(path, to: .array(longer), .tooManyValues))
            }
            if let min = list.min, min > 0 { found.append(Mutation(path, to: .array([]), .notEnoughValues)) }
            for (index, element) in elements.enumerated() { walk(element, shape: list.member, at: path + [.element(index)]) }
        case .map(let map):
            guard case .object(let entries) = value else { return }
            found.append(Mutation(path, to: .array([]), .invalidValue))
            for (key, entry) in entries { walk(entry, shape: map.value, at: path + [.member(key)]) }
        }
    }

    static let badTimestamps = [
        "2025-02-30T00:00:00Z", "2023-02-29T12:00:00Z", "2025-01-01", "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z",
        "2025-01-01T00:00:60Z", "2025-01-01T00:00:00", "2025-01-01T00:00:00.1234567890Z", "2025-01-01T00:00:00.Z",
        "0000-12-31T23:59:59Z", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", "2025-01-01T00:00:00+24:00",
        "2025-01-01 00:00:00Z", "2025-1-01T00:00:00Z", "",
    ]

    /// Values that break a format pattern. ICU's `\d` would take any script's digits; the model's patterns
    /// are ECMAScript's (Smithy's), where `\d` is 0-9 and `\w` is ASCII, so those are broken values too.
    static func malformed(_ shapeName: String) -> [String] {
        switch shapeName {
        case "CatalogIdentifier": ["", "AWS1", "Sand box", "Ünicode", "AWS\n"]
        case "EngagementIdentifier": ["eng-123", "ENG-0123456789abcd", "eng-0123456789ABCD", "eng-0123456789abcde", "eng-0123456789abc\u{301}"]
        case "EngagementArn": ["arm:aws", "", "arn:x\ny", "ARN:aws"]
        case "EngagementArnOrIdentifier": ["eng-123", "eng-0123456789ABCD", "arn", "arn:x\ny", "eng-\u{661}123456789abcd0"]
        case "AwsAccount": ["1234567890123", "", "a-b", "abc def", "abcdefghijklm", "caf\u{E9}", "\u{661}\u{662}"]
        case "PhoneNumber": ["+0123", "5551234", "+1", "+1234567890123456", "+1 415", "+1\u{662}\u{663}\u{664}", "+\u{967}23"]
        case "EngagementCustomerProjectDetailsTargetCompletionDateString": ["2025-13-01", "0999-01-01", "2025-1-01", "2025-01-32", "2025/01/01", "2025-01-01T00:00:00Z"]
        case "Email": ["jane", "Jane@acme.example", "a@b", "a@@b.example", "a b@acme.example", "@acme.example", "jane@acme.example."]
        case "CompanyWebsiteUrl": ["acme", "a.b", "ftp://acme.example", "acme .example", "https://", String(repeating: "a", count: 252) + ".com"]
        case "Amount", "MonetaryValueAmountString", "MonetaryAmount": ["01", "1.234", "-5", "1,000", "1e3", "\u{661}"]
        case "ContextIdentifier": ["0", "01", "-1", "1a", ""]
        case "Date": ["2025-13-01", "0999-01-01", "2025-1-01", "2025-01-32", "2025/01/01", "2025-01-01T00:00:00Z"]
        case "DunsNumber": ["12345678", "1234567890", "12345678a", ""]
        case "EngagementInvitationArnOrIdentifier": ["engi-123", "ENGI-0123456789abc", "eng-0123456789abcd", "arn"]
        case "EstimationUrl": ["https://calculator.aws/#/estimate?id=abc", "http://calculator.aws/#/estimate?id=" + String(repeating: "a", count: 32), ""]
        case "OpportunityIdentifier", "ResourceIdentifier": ["O", "o123", "O12a", "O" + String(repeating: "1", count: 20), "O\u{661}"]
        case "ResourceSnapshotJobIdentifier": ["job-123", "JOB-0123456789abc", "job-0123456789ABC"]
        case "ResourceSnapshotJobRoleIdentifier": ["", "role name", "arn:aws:iam::123:role/x", String(repeating: "a", count: 65)]
        case "SenderContactEmail": ["jane", "@acme.example", "a b@acme.example"]
        case "SolutionIdentifier": ["S-", "S1234", "s-1234", "S-12a"]
        case "TagKey": ["", "a\u{1}b", String(repeating: "k", count: 129), "a#b"]
        case "TagValue": ["a\u{1}b", String(repeating: "v", count: 257), "a#b"]
        case "TaggableResourceArn": ["arn", "arn:aws:s3:::bucket", "arn:aws:partnercentral:us-east-1:123:catalog/Sandbox/opportunity/O1"]
        case "TaskArnOrIdentifier": ["task-123", "TASK-0123456789abc", "job-0123456789abc"]
        case "ResourceTemplateName": ["ab", "a b c", "a-bc", String(repeating: "a", count: 81)]
        case "RejectionReasonString": ["", "a\u{1}b", String(repeating: "r", count: 81)]
        default: preconditionFailure("no malformed values for the pattern of \(shapeName): add some")
        }
    }
}
