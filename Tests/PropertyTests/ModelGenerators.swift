import Core
import OrderedJSON

/// One step of a path into a request: a member name or a 0-based list position.
enum Step: Sendable, Hashable {
    case member(String)
    case element(Int)

    /// The path as the service's `FieldName` writes it: `Payload.Lead.Interactions[0].Contact.Email`.
    static func fieldName(_ steps: [Step]) -> String {
        steps.reduce(into: "") { text, step in
            switch step {
            case .member(let name): text += text.isEmpty ? name : "." + name
            case .element(let index): text += "[\(index)]"
            }
        }
    }
}

extension JSONValue {
    /// The value at `path`, nil when some step is missing.
    func value(at path: some Collection<Step>) -> JSONValue? {
        guard let step = path.first else { return self }
        switch (step, self) {
        case (.member(let name), .object(let members)): return members[name]?.value(at: path.dropFirst())
        case (.element(let index), .array(let elements)) where elements.indices.contains(index): return elements[index].value(at: path.dropFirst())
        default: return nil
        }
    }

    /// The value with what is at `path` replaced by `newValue`, or removed when it is nil.
    func setting(_ path: some Collection<Step>, to newValue: JSONValue?) -> JSONValue {
        guard let step = path.first else { return newValue ?? .null }
        switch (step, self) {
        case (.member(let name), .object(var members)):
            if path.count == 1, newValue == nil {
                members[name] = nil
            } else {
                members[name] = (members[name] ?? .null).setting(path.dropFirst(), to: newValue)
            }
            return .object(members)
        case (.element(let index), .array(var elements)):
            elements[index] = elements[index].setting(path.dropFirst(), to: newValue)
            return .array(elements)
        default:
            preconditionFailure("no \(step) in \(kindDescription)")
        }
    }
}

/// Values of the model's shapes built to satisfy every constraint the model states, read from the
/// generated schema itself: required members always, optional ones sometimes, one member of a union,
/// enum values, strings at and inside their length bounds (counted in code points, with characters made
/// of several scalars), the formats of the patterned shapes, lists within their sizes, real instants.
enum ModelValues {
    static func value(of shapeName: String, _ dice: inout Dice) -> JSONValue {
        guard let shape = ServiceModel.shape(named: shapeName) else { preconditionFailure("no shape \(shapeName)") }
        switch shape.kind {
        case .structure(let structure):
            var members = JSONValue.Members()
            if structure.isUnion {
                let member = dice.pick(structure.members)
                members[member.name] = value(of: member.shape, &dice)
            } else {
                for member in structure.members where member.isRequired || dice.chance(0.5) {
                    members[member.name] = value(of: member.shape, &dice)
                }
            }
            return .object(members)
        case .string(let string):
            if !string.enumValues.isEmpty { return .string(dice.pick(string.enumValues)) }
            guard let pattern = string.pattern else { return .string(JSONGen.string(&dice)) }
            if let bounds = LengthBounds(pattern) { return .string(bounds.text(&dice)) }
            return .string(formatted(shapeName, &dice))
        case .integer(let bounds):
            return .integer(Int64(dice.int((bounds.min ?? -1_000_000)...(bounds.max ?? 1_000_000))))
        case .timestamp:
            return .string(timestamp(&dice))
        case .list(let list):
            let count = dice.int((list.min ?? 0)...min(list.max ?? 4, 10))
            return .array((0..<count).map { _ in value(of: list.member, &dice) })
        case .map(let map):
            var entries = JSONValue.Members()
            for _ in 0..<dice.int((map.min ?? 0)...min(map.max ?? 3, 5)) {
                guard case .string(let key) = value(of: map.key, &dice) else { continue }
                entries[key] = value(of: map.value, &dice)
            }
            return .object(entries)
        }
    }

    /// A value of a shape whose pattern is more than a length bound.
    static func formatted(_ shapeName: String, _ dice: inout Dice) -> String {
        func from(_ characters: String, _ count: ClosedRange<Int>) -> String {
            let pool = Array(characters)
            return String((0..<dice.int(count)).map { _ in dice.pick(pool) })
        }
        let lower = "abcdefghijklmnopqrstuvwxyz", digits = "0123456789"
        let engagementId = { (dice: inout Dice) in "eng-" + String((0..<14).map { _ in dice.pick(Array(lower + digits)) }) }
        let arn = { (dice: inout Dice) in
            "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/" + engagementId(&dice)
        }
        switch shapeName {
        case "CatalogIdentifier": return dice.chance(0.7) ? dice.pick(["AWS", "Sandbox"]) : from(lower + "ABCXYZ", 1...12)
        case "EngagementIdentifier": return engagementId(&dice)
        case "EngagementArn": return arn(&dice)
        case "EngagementArnOrIdentifier": return dice.chance(0.7) ? engagementId(&dice) : arn(&dice)
        case "AwsAccount": return dice.chance(0.5) ? from(digits, 12...12) : from(lower + "_ABC" + digits, 1...12)
        case "PhoneNumber": return "+" + from("123456789", 1...1) + from(digits, 1...14)
        case "EngagementCustomerProjectDetailsTargetCompletionDateString":
            let month = dice.int(1...12)
            return "\(dice.int(1000...9999))-\(twoDigits(month))-\(twoDigits(dice.int(1...[31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])))"
        case "Email":
            let local = from(lower + digits + "!#$%&'*+/=?^_`{|}~-", 1...20) + (dice.chance(0.3) ? "." + from(lower, 1...8) : "")
            return local + "@" + from(lower, 1...1) + from(lower + "-" + digits, 0...10) + from(digits, 1...1) + "." + from(lower, 2...6)
        case "CompanyWebsiteUrl":
            let scheme = dice.pick(["", "http://", "https://"]) + (dice.chance(0.5) ? "www." : "")
            return scheme + from(lower + digits + "-", 1...30) + "." + from(lower, 2...6) + (dice.chance(0.3) ? "/" + from(lower, 1...10) : "")
        case "Amount", "MonetaryValueAmountString", "MonetaryAmount":
            let whole = dice.chance(0.2) ? "0" : from("123456789", 1...1) + from(digits, 0...8)
            return whole + (dice.chance(0.5) ? "." + from(digits, 0...2) : "")
        case "ContextIdentifier": return from("123456789", 1...1) + from(digits, 0...3)
        case "Date":
            let month = dice.int(1...12)
            return "\(dice.int(1000...9999))-\(twoDigits(month))-\(twoDigits(dice.int(1...[31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])))"
        case "DunsNumber": return from(digits, 9...9)
        case "EngagementInvitationArnOrIdentifier":
            let id = "engi-" + from(lower + digits, 13...13)
            return dice.chance(0.7) ? id : "arn:aws:partnercentral::123456789012:Sandbox/engagement-invitation/" + id
        case "EstimationUrl":
            return "https://" + dice.pick(["calculator.aws", "pricing.calculator.aws.eu"]) + "/#/estimate?id=" + from("0123456789abcdef", 32...64)
        case "OpportunityIdentifier", "ResourceIdentifier": return "O" + from(digits, 1...19)
        case "ResourceSnapshotJobIdentifier": return "job-" + from(lower + digits, 13...13)
        case "ResourceSnapshotJobRoleIdentifier":
            let name = from(lower + digits + "-+=,.@_ABC", 1...64)
            return dice.chance(0.5) ? name : "arn:aws:iam::" + from(digits, 12...12) + ":role/" + (dice.chance(0.3) ? from(lower, 1...8) + "/" : "") + name
        case "SenderContactEmail": return from(lower + digits + ".!#$%&'*+/=?^_{|}~-", 1...20) + "@" + from(lower + "-", 1...10) + "." + from(lower, 2...6)
        case "SolutionIdentifier": return "S-" + from(digits, 1...19)
        case "TagKey": return from(lower + "ABC" + digits + " _.:/=+-@é", 1...40)
        case "TagValue": return from(lower + "ABC" + digits + " _.:/=+-@é", 0...60)
        case "TaggableResourceArn":
            return "arn:aws:partnercentral:us-east-1:123456789012:catalog/" + dice.pick(["AWS", "Sandbox"]) + "/opportunity/O" + from(digits, 1...19)
        case "TaskArnOrIdentifier":
            let id = "task-" + from(lower + digits, 13...13)
            return dice.chance(0.7) ? id : "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement-from-opportunity-task/" + id
        case "ResourceTemplateName": return from(lower + "ABC" + digits, 3...80)
        case "RejectionReasonString": return from(lower + "ABC" + digits + " ,.é", 1...80)
        default:
            preconditionFailure("no generator for the pattern of \(shapeName): add one")
        }
    }

    /// An ISO 8601 instant as clients write it: any real date and time, a fraction of up to nine digits,
    /// `Z` or an offset, kept inside years 0001 to 9999 once moved to UTC.
    static func timestamp(_ dice: inout Dice) -> String {
        let year = dice.int(2...9998), month = dice.int(1...12)
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        var text = "\(String(repeating: "0", count: 4 - String(year).count))\(year)-\(twoDigits(month))-\(twoDigits(dice.int(1...days)))"
        text += dice.pick(["T", "t"]) + "\(twoDigits(dice.int(0...23))):\(twoDigits(dice.int(0...59))):\(twoDigits(dice.int(0...59)))"
        if dice.chance(0.6) { text += "." + JSONBytes.digits(&dice, dice.int(1...9)) }
        text += dice.chance(0.6) ? dice.pick(["Z", "z"]) : dice.pick(["+", "-"]) + "\(twoDigits(dice.int(0...23))):\(twoDigits(dice.int(0...59)))"
        return text
    }

    static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
}

/// A pattern that only bounds the length, `(?s).{m,n}` or `.{m,n}`, read here independently of Core.
struct LengthBounds {
    let min: Int
    let max: Int
    let allowsLineBreaks: Bool

    /// What ICU's `.` does not match without `(?s)`.
    static let lineTerminators: [Unicode.Scalar] = ["\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{2028}", "\u{2029}"]

    init?(_ pattern: String) {
        allowsLineBreaks = pattern.hasPrefix("(?s)")
        let body = pattern.dropFirst(allowsLineBreaks ? 4 : 0)
        guard body.hasPrefix(".{"), body.hasSuffix("}") else { return nil }
        let bounds = body.dropFirst(2).dropLast().split(separator: ",")
        guard bounds.count == 2, let min = Int(bounds[0]), let max = Int(bounds[1]) else { return nil }
        (self.min, self.max) = (min, max)
    }

    /// Text of exactly `count` code points, rich in characters made of several (combining marks, flags,
    /// emoji with skin tones), so a count of characters or of UTF-16 units would come out different.
    func text(count: Int, _ dice: inout Dice) -> String {
        var scalars = String.UnicodeScalarView()
        while scalars.count < count {
            var scalar = JSONGen.scalar(&dice)
            if !allowsLineBreaks, Self.lineTerminators.contains(scalar) { scalar = "x" }
            scalars.append(scalar)
            if scalars.count < count, dice.chance(0.2) { scalars.append(dice.pick(["\u{301}", "\u{1F3FD}", "\u{200D}", "\u{1F1EA}"])) }
        }
        return String(scalars)
    }

    /// Text at a bound or between them.
    func text(_ dice: inout Dice) -> String {
        let count = dice.chance(0.4) ? dice.pick([min, max]) : dice.int(min...Swift.min(max, min + 30))
        return text(count: count, &dice)
    }
}
