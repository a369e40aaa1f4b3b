import Core
import Foundation
import GRDB

/// The embedded sandbox: the service's behaviour on a local SQLite file that many processes may share.
/// docs/sandbox.md lists the rules, including those AWS leaves undocumented.
public final class SandboxService: OperationHandlers {
    /// The account every sandbox engagement belongs to (AWS's documentation example account).
    public static let accountId = "123456789012"
    public static let catalogs = ["AWS", "Sandbox"]
    /// Per the model: at most 5 contexts per engagement and 10 interactions per Lead context.
    static let maximumContexts = 5
    static let maximumInteractions = 10

    let store: LazyStore
    let region: String
    /// Who the writes made through this service are recorded as; `withAudit` gives the same store with another.
    public let audit: AuditContext
    /// Who the sandbox records as `CreatedBy` and `ModifiedBy` for the writes made through this service: the
    /// account unless `withAudit(_:caller:)` names another (`engage serve` names each request's signer). A
    /// value of the model's `AwsAccount` shape: 12 digits, or 1 to 12 word characters.
    public let caller: String

    /// Opens the store at `path` now (created when missing); `:memory:` keeps it in memory for one process.
    /// Every write is audited with `audit`.
    public convenience init(path: String, region: String = defaultRegion, audit: AuditContext = AuditContext(command: "library")) throws(ServiceError) {
        self.init(openingAtFirstCall: path, region: region, audit: audit)
        _ = try store.opened()
    }

    /// The store at `path`, opened (created and migrated when missing) by the first call that needs it,
    /// which also reports a store that cannot be opened: a script that makes no call never touches the file.
    public convenience init(openingAtFirstCall path: String, region: String = defaultRegion, audit: AuditContext = AuditContext(command: "library")) {
        self.init(store: LazyStore(path: path), region: region, audit: audit)
    }

    /// The store at `path` for a command that only reads: opened by the first call, and when the file is
    /// not there that call fails with ResourceNotFoundException naming the path; nothing is created.
    public convenience init(openingExisting path: String, region: String = defaultRegion, audit: AuditContext = AuditContext(command: "library")) {
        self.init(store: LazyStore(path: path, whenMissing: .fail), region: region, audit: audit)
    }

    /// The store at `path` for a read through `engage call`: when the file is not there, the reads are
    /// answered as by a store with nothing in it (GetEngagement's not-found, an empty list), and nothing is
    /// created; `answeredForMissingStore` then says so, for the caller to tell the person.
    public convenience init(readingIfPresent path: String, region: String = defaultRegion, audit: AuditContext = AuditContext(command: "library")) {
        self.init(store: LazyStore(path: path, whenMissing: .answerEmpty), region: region, audit: audit)
    }

    /// Whether this service's store file was not there and its reads were answered as an empty store's.
    public var answeredForMissingStore: Bool { store.answersForMissingFile }

    /// The path of the store file.
    public var storePath: String { store.path }

    init(store: LazyStore, region: String, audit: AuditContext, caller: String = SandboxService.accountId) {
        (self.store, self.region, self.audit, self.caller) = (store, region, audit, caller)
    }

    /// `$XDG_DATA_HOME/engage/sandbox.sqlite`, or `~/.local/share/engage/sandbox.sqlite`.
    /// Read with getenv: a dictionary of the whole environment, or Foundation's look-up of the home folder
    /// when HOME is set, slows every start (docs/performance.md).
    public static var defaultPath: String {
        let variable = { (name: String) in getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        let dataHome = variable("XDG_DATA_HOME")
            ?? ((variable("HOME") ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("engage/sandbox.sqlite")
    }

    /// The durability settings in force on the sandbox's own connection, as SQLite reports them
    /// (`journal_mode` "wal", `synchronous` 2 for FULL): for tests and for a benchmark's bare-SQLite ceiling.
    public func storeSettings() throws -> (journalMode: String, synchronous: Int) {
        try store.opened().database.inDatabase { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "", try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }

    func arn(catalog: String, id: String) -> String {
        "arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/engagement/\(id)"
    }

    // MARK: Operations

    public func handle(_ validated: Validated<CreateEngagementRequest>) async throws(ServiceError) -> CreateEngagementResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let requestText = wire.serialized()
        let contexts = wire["Contexts"]?.arrayValue ?? []
        for (index, context) in (request.contexts ?? []).enumerated() {
            try Self.checkPayload(context.payload, matches: context.type, at: "Contexts[\(index)]")
        }
        return try await perform { db in
            let id = try Self.newEngagementId(db, catalog: request.catalog)
            let now = try self.now(db)
            let response = CreateEngagementResponse(id: id, arn: self.arn(catalog: request.catalog, id: id), modifiedAt: SandboxTime.timestamp(now))
            if let replay: CreateEngagementResponse = try self.replayUnlessNew(db, request.catalog, "CreateEngagement", request.clientToken, requestText, response) {
                return replay
            }
            try self.insertEngagement(
                db, catalog: request.catalog, id: id, title: request.title, description: request.description, contexts: contexts,
                operation: "CreateEngagement", clientToken: request.clientToken, at: now)
            return response
        }
    }

    public func handle(_ validated: Validated<GetEngagementRequest>) async throws(ServiceError) -> GetEngagementResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try self.engagementId(from: request.identifier, catalog: request.catalog, field: "Identifier")
        return try await perform(writing: false) { db in
            let engagement = try Self.engagement(db, catalog: request.catalog, id: id)
            let contexts = try ContextRow.all(db, engagementKey: engagement.key)
            let lastWrite = contexts.max { $0.modifiedMicros < $1.modifiedMicros }
            return GetEngagementResponse(
                id: engagement.id, arn: self.arn(catalog: engagement.catalog, id: engagement.id), title: engagement.title,
                description: engagement.description, createdAt: SandboxTime.timestamp(engagement.createdMicros),
                createdBy: engagement.createdBy, memberCount: engagement.memberCount,
                modifiedAt: SandboxTime.timestamp(EngagementRow.modifiedMicros(created: engagement.createdMicros, lastContextWrite: lastWrite?.modifiedMicros)),
                modifiedBy: lastWrite?.modifiedBy ?? engagement.createdBy, contexts: try contexts.map(Self.details)
            )
        }
    }

    public func handle(_ validated: Validated<ListEngagementsRequest>) async throws(ServiceError) -> ListEngagementsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let descending = request.sort?.sortOrder == .descending
        let cursor = try request.nextToken.map { token throws(ServiceError) in try PageToken(decoding: token, descending: descending) }
        let ids = try request.engagementIdentifier?.map { identifier throws(ServiceError) in
            try self.engagementId(from: identifier, catalog: request.catalog, field: "EngagementIdentifier")
        }
        let pageSize = request.maxResults ?? 20
        return try await perform(writing: false) { db in
            let rows = try EngagementListing(request: request, ids: ids, cursor: cursor, descending: descending, limit: pageSize + 1).fetch(db)
            let page = Array(rows.prefix(pageSize))
            var summaries: [EngagementSummary] = []
            for row in page {
                let types = try ContextRow.types(db, engagementKey: row.key)
                let modification = try row.lastModification(db)
                summaries.append(EngagementSummary(
                    arn: self.arn(catalog: row.catalog, id: row.id), id: row.id, title: row.title,
                    createdAt: SandboxTime.timestamp(row.createdMicros), createdBy: row.createdBy, memberCount: row.memberCount,
                    modifiedAt: SandboxTime.timestamp(modification.micros), modifiedBy: modification.by,
                    contextTypes: types.map(EngagementContextType.init(rawValue:))
                ))
            }
            let next = rows.count > pageSize ? page.last.map { PageToken(createdMicros: $0.createdMicros, id: $0.id, descending: descending).text } : nil
            return ListEngagementsResponse(engagementSummaryList: summaries, nextToken: next)
        }
    }

    public func handle(_ validated: Validated<CreateEngagementContextRequest>) async throws(ServiceError) -> CreateEngagementContextResponse {
        let request = validated.request
        let wire = try Self.checkCatalog(validated)
        let requestText = wire.serialized()
        let requestPayload = wire["Payload"] ?? .null
        try Self.checkPayload(request.payload, matches: request.type, at: "")
        let id = try self.engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        return try await perform { db in
            let operation = "CreateEngagementContext"
            guard let engagement = try EngagementRow.census(db, catalog: request.catalog, id: id) else {
                throw ServiceError.notFound("no engagement \(ServiceError.excerpt(id, quoted: false)) in catalog \(request.catalog)")
            }
            guard engagement.contextCount < Self.maximumContexts else {
                // A full engagement may be a replay of the call that filled it.
                if let replay: CreateEngagementContextResponse = try self.replay(db, request.catalog, operation, request.clientToken, requestText) {
                    return replay
                }
                throw ServiceError.quotaExceeded("engagement \(id) already has \(engagement.contextCount) contexts, the most an engagement may have")
            }
            let number = engagement.lastNumber + 1
            let modified = try self.nextModification(db, after: engagement.modifiedMicros)
            let response = CreateEngagementContextResponse(
                engagementId: id, engagementArn: self.arn(catalog: request.catalog, id: id),
                engagementLastModifiedAt: SandboxTime.timestamp(modified), contextId: String(number)
            )
            if let replay: CreateEngagementContextResponse = try self.replayUnlessNew(db, request.catalog, operation, request.clientToken, requestText, response) {
                return replay
            }
            let payload = Self.fillingInteractionDates(requestPayload, now: modified)
            try ContextRow(
                engagementKey: engagement.key, number: number,
                type: request.type.rawValue, payload: payload.serialized(), modifiedMicros: modified, modifiedBy: caller
            ).insertRow(db)
            try self.recordWrite(
                db, operation, .created, catalog: request.catalog, engagementId: id, contextId: String(number), clientToken: request.clientToken, at: modified)
            return response
        }
    }

    public func handle(_ validated: Validated<UpdateEngagementContextRequest>) async throws(ServiceError) -> UpdateEngagementContextResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let id = try self.engagementId(from: request.engagementIdentifier, catalog: request.catalog, field: "EngagementIdentifier")
        guard let expected = SandboxTime.microseconds(of: request.engagementLastModifiedAt) else {
            throw .requestValidation([ValidationExceptionError(fieldName: "EngagementLastModifiedAt", message: "is not an ISO 8601 date-time", code: .invalidStringFormat)])
        }
        return try await perform { db in
            guard let engagement = try EngagementRow.census(db, catalog: request.catalog, id: id) else {
                throw ServiceError.notFound("no engagement \(ServiceError.excerpt(id, quoted: false)) in catalog \(request.catalog)")
            }
            // Ids are exact strings: "01" and "+1" name no context, though Int() would read them as 1.
            guard let number = Int(request.contextIdentifier), String(number) == request.contextIdentifier,
                (1..<Int(ContextRow.slotsPerEngagement)).contains(number),
                var context = try ContextRow.find(db, engagementKey: engagement.key, number: number)
            else {
                throw ServiceError.notFound("engagement \(id) has no context \(ServiceError.excerpt(request.contextIdentifier))")
            }
            let current = engagement.modifiedMicros
            guard context.type == request.type.rawValue else {
                throw ServiceError.businessValidation("Type", "context \(context.contextId) is a \(context.type) context, not \(request.type.rawValue)")
            }
            guard expected == current else {
                throw ServiceError.conflict(
                    "EngagementLastModifiedAt \(request.engagementLastModifiedAt) is not the engagement's current ModifiedAt \(SandboxTime.text(current)); another write came first: read the engagement again and retry"
                )
            }
            let modified = try self.nextModification(db, after: current)
            let updated = try Self.applying(request.payload, to: try Self.storedPayload(context), type: request.type, now: modified)
            context.payload = updated.wire.timestampsInUTC(as: "EngagementContextPayload").serialized()
            context.modifiedMicros = modified
            context.modifiedBy = caller
            try context.savePayload(db)
            try self.recordWrite(
                db, "UpdateEngagementContext", .updated, catalog: request.catalog, engagementId: id, contextId: context.contextId, clientToken: nil, at: modified)
            return UpdateEngagementContextResponse(
                engagementId: id, engagementArn: self.arn(catalog: request.catalog, id: id),
                engagementLastModifiedAt: SandboxTime.timestamp(modified), contextId: context.contextId
            )
        }
    }

    /// Inserts a new engagement `id` with `contexts` (wire form, each with its `Type` and maybe its `Payload`)
    /// and audits it and each context under `operation`.
    func insertEngagement(
        _ db: Database, catalog: String, id: String, title: String, description: String, contexts: [JSONValue], operation: String, clientToken: String?,
        at now: Int64
    ) throws {
        let key = try EngagementRow(
            catalog: catalog, id: id, title: title, description: description, createdMicros: now, createdBy: caller, memberCount: 1
        ).insertRow(db)
        try recordWrite(db, operation, .created, catalog: catalog, engagementId: id, clientToken: clientToken, at: now)
        for (index, context) in contexts.enumerated() {
            let payload = context["Payload"].map { Self.fillingInteractionDates($0, now: now).serialized() }
            try ContextRow(
                engagementKey: key, number: index + 1, type: context["Type"]?.stringValue ?? "", payload: payload ?? "null",
                modifiedMicros: now, modifiedBy: caller
            ).insertRow(db)
            try recordWrite(db, operation, .created, catalog: catalog, engagementId: id, contextId: String(index + 1), clientToken: clientToken, at: now)
        }
    }

    // MARK: Rules

    /// Runs `body` as one transaction, turning store failures into the service's errors.
    func perform<Result>(writing: Bool = true, _ body: (Database) throws -> Result) async throws(ServiceError) -> Result {
        let store = try self.store.opened()
        do {
            return writing ? try await store.write(body) : try await store.read(body)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw .internalError(store.failureDescription(error))
        }
    }

    /// Checks a request the model check passed against the catalog rule; returns its wire form as the sandbox
    /// stores it, every timestamp in UTC (docs/sandbox.md).
    @discardableResult
    static func checkCatalog<Request>(_ validated: Validated<Request>) throws(ServiceError) -> JSONValue {
        let issues = catalogIssues(validated.wire)
        guard issues.isEmpty else { throw .requestValidation(issues) }
        return validated.wire.timestampsInUTC(as: Request.inputShape)
    }

    /// The request's `Catalog` when it names none of the sandbox's catalogs.
    private static func catalogIssues(_ wire: JSONValue) -> [ValidationExceptionError] {
        guard let catalog = wire["Catalog"]?.stringValue, !catalogs.contains(catalog) else { return [] }
        let hint = Suggestion.hint(for: catalog, among: catalogs)
        return [ValidationExceptionError(fieldName: "Catalog", message: "\(ServiceError.excerpt(catalog)) is not a catalog; use AWS or Sandbox\(hint)", code: .invalidValue)]
    }

    /// An engagement id from an id or an ARN in the form the sandbox issues
    /// (`arn:aws:partnercentral:REGION:ACCOUNT:catalog/CATALOG/engagement/ID`). Any other text after `arn:` is
    /// not an engagement ARN (ValidationException); an ARN of another region, account or catalog names no
    /// engagement here (ResourceNotFoundException).
    func engagementId(from identifier: String, catalog: String, field: String) throws(ServiceError) -> String {
        guard identifier.hasPrefix("arn:") else { return identifier }
        guard let arn = EngagementARN(identifier) else {
            let form = "arn:aws:partnercentral:\(region):\(Self.accountId):catalog/\(catalog)/engagement/eng-…"
            throw .requestValidation([ValidationExceptionError(
                fieldName: field, message: "\(ServiceError.excerpt(identifier)) is not an engagement ARN; expected \(form)", code: .invalidStringFormat)])
        }
        guard arn.region == region, arn.account == Self.accountId else {
            throw .notFound("no engagement \(arn.id) in region \(arn.region) of account \(arn.account); the sandbox holds region \(region) of account \(Self.accountId)")
        }
        guard arn.catalog == catalog else {
            throw .notFound("\(ServiceError.excerpt(identifier, quoted: false)) belongs to catalog \(arn.catalog), not \(catalog)")
        }
        return arn.id
    }

    static func engagement(_ db: Database, catalog: String, id: String) throws -> EngagementRow {
        guard let row = try EngagementRow.find(db, catalog: catalog, id: id) else {
            throw ServiceError.notFound("no engagement \(ServiceError.excerpt(id, quoted: false)) in catalog \(catalog)")
        }
        return row
    }

    static func newEngagementId(_ db: Database, catalog: String) throws -> String {
        try unusedId("eng-", 14) { try EngagementRow.find(db, catalog: catalog, id: $0) != nil }
    }

    /// `prefix` and `count` characters of `[0-9a-z]` from the system's secure random source, drawn again
    /// while `isTaken` says the store holds one already: the form of the service's engagement, invitation,
    /// job and task ids.
    static func unusedId(_ prefix: String, _ count: Int, isTaken: (String) throws -> Bool) rethrows -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        while true {
            let id = prefix + String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
            if try !isTaken(id) { return id }
        }
    }
}
