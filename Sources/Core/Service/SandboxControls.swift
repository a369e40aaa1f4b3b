/// What the embedded sandbox does on request that the service's API cannot: AWS's review of a submitted
/// opportunity, its invitations to partners, the solutions and users it holds, and its clock. `engage sandbox` and Lua's `sandbox` table call these;
/// they exist only on the sandbox backend and never go over the wire.
public protocol SandboxControls: Sendable {
    /// Sets a submitted opportunity's review status as AWS's review would; returns GetOpportunity's answer.
    func review(catalog: String, opportunity: String, _ control: ReviewControl) async throws(ServiceError) -> JSONValue
    func solutions() async throws(ServiceError) -> [SandboxSolution]
    func addSolution(_ solution: SandboxSolution) async throws(ServiceError)
    func users() async throws(ServiceError) -> [SandboxUser]
    func addUser(_ user: SandboxUser) async throws(ServiceError)
    /// The sandbox's clock: the real time unless it was moved.
    func clock() async throws(ServiceError) -> SandboxClockReading
    /// Moves the sandbox's clock forward; every process sharing the store sees it.
    func advanceClock(byMicroseconds microseconds: Int64) async throws(ServiceError) -> SandboxClockReading
    /// Sets the sandbox's clock back to the real time.
    func resetClock() async throws(ServiceError) -> SandboxClockReading
    /// AWS creates an opportunity (CreateOpportunity's members; an example one when nil) and invites
    /// `receiver` (the caller when nil) to co-sell it; returns the invitation as GetEngagementInvitation answers it.
    func inviteFromAWS(catalog: String, opportunity: JSONValue?, to receiver: String?) async throws(ServiceError) -> JSONValue
}

/// What the sandbox's clock reads.
public struct SandboxClockReading: Sendable, Equatable {
    /// Now on the sandbox's clock, ISO 8601 UTC with microseconds.
    public let now: String
    /// How far the sandbox's clock is ahead of the real time.
    public let aheadByMicroseconds: Int64

    public init(now: String, aheadByMicroseconds: Int64) {
        (self.now, self.aheadByMicroseconds) = (now, aheadByMicroseconds)
    }
}

/// What AWS's people do to a submitted opportunity, done on request: `engage sandbox review`, Lua's
/// `sandbox.review`, and the lever AWS documents for its Sandbox catalog (UpdateOpportunity setting
/// ReviewStatus). These never go over the wire.
public struct ReviewControl: Sendable, Equatable {
    /// The review status to set: In review, Approved, Action Required or Rejected.
    public var status: String
    public var comments: String?
    /// `ReviewStatusReason`; a rejection without one gets a plain default.
    public var reason: String?
    /// The opportunity's stage on AWS's side (the model's AwsOpportunityStage); a default follows the status.
    public var awsStage: String?
    public var nextSteps: String?
    /// The AWS seller who takes the opportunity; a plain default when nil.
    public var sellerEmail: String?

    public init(status: String = "Approved", comments: String? = nil, reason: String? = nil, awsStage: String? = nil, nextSteps: String? = nil, sellerEmail: String? = nil) {
        (self.status, self.comments, self.reason, self.awsStage, self.nextSteps, self.sellerEmail) = (status, comments, reason, awsStage, nextSteps, sellerEmail)
    }

    /// The statuses a review may set.
    public static let targets = ["In review", "Approved", "Action Required", "Rejected"]
    /// The statuses of an opportunity AWS reviews.
    public static let reviewedStatuses = ["Submitted", "In review", "Action Required"]
}

/// A solution the sandbox holds: seeded in every store, or added with `engage sandbox solutions add`.
public struct SandboxSolution: Sendable, Equatable {
    public var id: String
    public var name: String
    public var status: SolutionStatus
    public var category: String
    /// ISO 8601 UTC.
    public var created: String

    public init(id: String, name: String, status: SolutionStatus = .active, category: String = "Software Product", created: String) {
        (self.id, self.name, self.status, self.category, self.created) = (id, name, status, category, created)
    }
}

/// A user of the partner's Partner Central account, whom AssignOpportunity may name: seeded, or added with
/// `engage sandbox users add`. The service has no API to list them (the model's documentation of AssignOpportunity).
public struct SandboxUser: Sendable, Equatable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var businessTitle: String

    public init(email: String, firstName: String, lastName: String, businessTitle: String = "OpportunityOwner") {
        (self.email, self.firstName, self.lastName, self.businessTitle) = (email, firstName, lastName, businessTitle)
    }
}


extension SandboxClockReading {
    /// How far ahead, in words: `16d 2h 5m 3s ahead of the real time`, or `the real time`.
    public var aheadText: String {
        guard aheadByMicroseconds > 0 else { return "the real time" }
        var seconds = aheadByMicroseconds / 1_000_000
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds >= size {
            parts.append("\(seconds / size)\(unit)")
            seconds %= size
        }
        if seconds > 0 || parts.isEmpty { parts.append("\(seconds)s") }
        return parts.joined(separator: " ") + " ahead of the real time"
    }

    /// The reading as one JSON object: `{"Now": …, "AheadBySeconds": …}`.
    public var json: JSONValue {
        ["Now": .string(now), "AheadBySeconds": .number(Double(aheadByMicroseconds) / 1_000_000)]
    }

    /// A duration to move the clock by, in microseconds: whole numbers each with its unit, `16d`, `1d12h`,
    /// `90m`, `30s`; nil for anything else.
    public static func microseconds(in duration: String) -> Int64? {
        let units: [Character: Int64] = ["d": 86_400_000_000, "h": 3_600_000_000, "m": 60_000_000, "s": 1_000_000]
        var total: Int64 = 0
        var digits = ""
        for character in duration {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let number = Int64(digits), number <= 36_500 * 86_400 {
                total += number * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty && !duration.isEmpty ? total : nil
    }
}
