import Core
import Foundation
import GRDB

extension SandboxService: SandboxControls {
    /// The seeded solutions, `S-1234567` (the one AWS's own Sandbox catalog offers) first.
    static let seededSolutions: [SandboxSolution] = [
        SandboxSolution(id: "S-1234567", name: "Sandbox Solution", status: .active, category: "Software Product", created: "2024-01-15T00:00:00.000000Z"),
        SandboxSolution(id: "S-2000001", name: "Data Platform Migration", status: .active, category: "Consulting Service", created: "2024-03-01T09:30:00.000000Z"),
        SandboxSolution(id: "S-2000002", name: "Managed Analytics", status: .active, category: "Managed Service", created: "2024-05-20T14:00:00.000000Z"),
        SandboxSolution(id: "S-2000003", name: "Contact Center Modernisation", status: .inactive, category: "Professional Service", created: "2024-07-04T08:15:00.000000Z"),
        SandboxSolution(id: "S-2000004", name: "Edge Appliance", status: .draft, category: "Hardware Product", created: "2024-09-10T17:45:00.000000Z"),
    ]

    /// The seeded users of the partner's account.
    public static let seededUsers: [SandboxUser] = [
        SandboxUser(email: "maria.garcia@example.com", firstName: "Maria", lastName: "Garcia", businessTitle: "OpportunityOwner"),
        SandboxUser(email: "wei.chen@example.com", firstName: "Wei", lastName: "Chen", businessTitle: "PartnerAccountManager"),
        SandboxUser(email: "amara.okafor@example.com", firstName: "Amara", lastName: "Okafor", businessTitle: "OpportunityOwner"),
    ]

    /// The seeded solutions and those added, in that order.
    static func solutions(_ db: Database) throws -> [SandboxSolution] {
        let added = try Row.fetchAll(db, sql: "SELECT id, name, status, category, created FROM sandboxSolution ORDER BY created, id").map { row in
            SandboxSolution(id: row[0], name: row[1], status: SolutionStatus(rawValue: row[2]), category: row[3], created: row[4])
        }
        return seededSolutions + added
    }

    static func users(_ db: Database) throws -> [SandboxUser] {
        let added = try Row.fetchAll(db, sql: "SELECT email, firstName, lastName, businessTitle FROM sandboxUser ORDER BY email").map { row in
            SandboxUser(email: row[0], firstName: row[1], lastName: row[2], businessTitle: row[3])
        }
        return seededUsers + added
    }

    /// Every solution the sandbox holds.
    public func solutions() async throws(ServiceError) -> [SandboxSolution] {
        try await perform(writing: false) { db in try Self.solutions(db) }
    }

    /// Every user AssignOpportunity may name.
    public func users() async throws(ServiceError) -> [SandboxUser] {
        try await perform(writing: false) { db in try Self.users(db) }
    }

    /// Adds a solution to every catalog of the store; its id and values must be what the model allows.
    public func addSolution(_ solution: SandboxSolution) async throws(ServiceError) {
        var issues = ModelValidator.validate(.string(solution.id), as: "SolutionIdentifier", at: "id")
        if solution.name.isEmpty { issues.append(ValidationExceptionError(fieldName: "name", message: "must not be empty", code: .requiredFieldMissing)) }
        if case .unknown(let status) = solution.status {
            let known = SolutionStatus.allCases.map(\.rawValue)
            issues.append(ValidationExceptionError(
                fieldName: "status", message: "\(ServiceError.excerpt(status)) is not a SolutionStatus; use \(known.joined(separator: ", "))\(Suggestion.hint(for: status, among: known))",
                code: .invalidEnumValue))
        }
        guard issues.isEmpty else { throw .requestValidation(issues) }
        try await perform { db in
            guard try !Self.solutions(db).contains(where: { $0.id == solution.id }) else {
                throw ServiceError.conflict("the sandbox already holds solution \(solution.id)")
            }
            let now = try self.now(db)
            try db.execute(sql: "INSERT INTO sandboxSolution (id, name, status, category, created) VALUES (?, ?, ?, ?, ?)",
                           arguments: [solution.id, solution.name, solution.status.rawValue, solution.category, solution.created])
            for catalog in Self.catalogs {
                try self.recordWrite(db, "AddSolution", .created, catalog: catalog, engagementId: solution.id, clientToken: nil, at: now, resourceType: .solution, actor: Self.controlActor)
            }
        }
    }

    /// Adds a user AssignOpportunity may name.
    public func addUser(_ user: SandboxUser) async throws(ServiceError) {
        var issues = ModelValidator.validate(.string(user.email), as: "Email", at: "email")
        for (field, value) in [("first_name", user.firstName), ("last_name", user.lastName)] where value.isEmpty {
            issues.append(ValidationExceptionError(fieldName: field, message: "must not be empty", code: .requiredFieldMissing))
        }
        let titles = ["OpportunityOwner", "PartnerAccountManager"]
        if !titles.contains(user.businessTitle) {
            issues.append(ValidationExceptionError(
                fieldName: "title", message: "\(ServiceError.excerpt(user.businessTitle)) is not a title; use OpportunityOwner or PartnerAccountManager\(Suggestion.hint(for: user.businessTitle, among: titles))",
                code: .invalidEnumValue))
        }
        guard issues.isEmpty else { throw .requestValidation(issues) }
        try await perform { db in
            guard try !Self.users(db).contains(where: { $0.email.lowercased() == user.email.lowercased() }) else {
                throw ServiceError.conflict("the sandbox already knows user \(user.email)")
            }
            try db.execute(sql: "INSERT INTO sandboxUser (email, firstName, lastName, businessTitle) VALUES (?, ?, ?, ?)",
                           arguments: [user.email, user.firstName, user.lastName, user.businessTitle])
            try self.recordWrite(db, "AddUser", .created, catalog: "AWS", engagementId: user.email, clientToken: nil, at: try self.now(db), resourceType: .user, actor: Self.controlActor)
        }
    }
}
