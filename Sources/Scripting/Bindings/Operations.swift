import Foundation
import CLua
import CLuaShims
import Core

/// The operations as globals (the rows of kind `.operation` in `LuaGlobals`): `create_engagement{}`,
/// `get_engagement(id)`, `list_engagements{}`, `create_context{}`, … Each takes a table shaped like boto3's
/// request dict and returns the response as a plain table; a failure raises an error value (see `ErrorValues`).
extension Bridge {
    /// The function every operation global is: it calls the operation its row names.
    static let operationFunction: engage_swift_function = { L, c in
        BoundGlobal.call(L, c) { bridge, global, L throws(LuaRaise) in try bridge.callOperation(L, global.model ?? "", function: global.name) }
    }

    /// Reads the request (a table; an id string where `OperationCallForms` allows one; nothing where every
    /// required member is filled in), calls the service, pushes the response.
    private func callOperation(_ L: OpaquePointer, _ operation: String, function: String) throws(LuaRaise) -> Int32 {
        let request: JSONValue
        switch lua_type(L, 1) {
        case LUA_TSTRING where OperationCallForms.identifierMember(of: operation) != nil:
            let member = OperationCallForms.identifierMember(of: operation) ?? ""
            request = .object([member: try Arguments.json(L, 1, function, field: member)])
        case LUA_TNONE where OperationCallForms.requestMayBeOmitted(operation), LUA_TNIL where OperationCallForms.requestMayBeOmitted(operation):
            request = [:]
        default:
            try Arguments.table(L, 1, function)
            request = try Arguments.json(L, 1, function)
        }
        try LuaValues.push(L, try perform(operation, request, position: callerPosition(L)))
        return 1
    }

    /// Calls an operation with a request document and waits for the response document.
    func perform(_ operation: String, _ request: JSONValue, position: String) throws(LuaRaise) -> JSONValue {
        guard let input = ServiceModel.operation(named: operation)?.input else { throw .message("\(position)no operation \(operation)") }
        var document = request.fitted(to: input)
        // In a recipe run, a write's ClientToken is derived from the run and the item, so the same command
        // run again replays the write instead of repeating it.
        if let session = recipeSession, let token = RawOperation.idempotencyTokenMember(of: input),
            case .object(var members) = document, members[token] == nil || members[token] == .null {
            members[token] = .string(session.nextClientToken())
            document = .object(members)
        }
        let fitted = document
        let service = self.service
        let catalog = self.catalog
        let started = ContinuousClock.now
        do {
            let response = try wait { () async throws(ServiceError) -> JSONValue in
                try await RawOperation.call(operation, request: fitted, catalog: catalog, on: service)
            }
            remember(idsIn: response)
            callObserver?(OperationCall(operation: operation, request: fitted, response: response, error: nil, duration: started.duration(to: .now)))
            return response
        } catch {
            callObserver?(OperationCall(operation: operation, request: fitted, response: nil, error: error, duration: started.duration(to: .now)))
            throw .service(error, where: position)
        }
    }

    /// Notes the ids a response (or a sandbox control's answer) carries, for completion: every string member named `Id` or `…Id`, at any
    /// depth (a list's summaries included); engagement ids also in their own list. The newest 500 of each.
    func remember(idsIn response: JSONValue) {
        var found: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key.hasSuffix("Id"), let id = member.stringValue, !id.isEmpty { found.append(id) } else { walk(member) }
                }
            case .array(let elements): elements.forEach(walk)
            default: break
            }
        }
        walk(response)
        for id in found {
            if id.hasPrefix("eng-") { seenEngagementIds.note(id) }
            seenIds.note(id)
        }
    }
}

/// The ids a session's responses carried, for completion: the newest 500, each once, where it was last seen.
/// Noting an id costs the same however many are kept, since every operation's response passes through here.
struct RecentIds {
    static let kept = 500
    /// Each id with the count of ids noted when it was last seen.
    private var lastSeen: [String: Int] = [:]
    private var noted = 0

    mutating func note(_ id: String) {
        noted += 1
        lastSeen[id] = noted
        // Trimmed in batches, so a call pays for the trim once per `kept` new ids rather than every time.
        if lastSeen.count >= 2 * Self.kept { lastSeen = Dictionary(uniqueKeysWithValues: newestLast.compactMap { id in lastSeen[id].map { (id, $0) } }) }
    }

    /// The newest `kept` ids, oldest first.
    var newestLast: [String] {
        lastSeen.sorted { $0.value < $1.value }.suffix(Self.kept).map(\.key)
    }
}

/// The shorter ways an operation's global may be called, read from the model: `get_engagement(id)` for a
/// Get whose only member to give is an `…Identifier`, and `list_engagements()` for an operation whose every
/// required member engage fills in (`Catalog`, the idempotency token).
public enum OperationCallForms {
    /// The members engage fills in when a request leaves them out.
    private static func filledIn(_ member: MemberSchema) -> Bool { member.name == "Catalog" || member.isIdempotencyToken }

    private static func requiredToGive(_ operation: String) -> [MemberSchema]? {
        guard let input = ServiceModel.operation(named: operation)?.input, case .structure(let structure)? = ServiceModel.shape(named: input)?.kind
        else { return nil }
        return structure.members.filter { $0.isRequired && !filledIn($0) }
    }

    /// The member a string given alone stands for: a Get operation's one required `…Identifier`.
    public static func identifierMember(of operation: String) -> String? {
        guard operation.hasPrefix("Get"), let required = requiredToGive(operation), required.count == 1,
            required[0].name.hasSuffix("Identifier") else { return nil }
        return required[0].name
    }

    /// Whether the call may give no request at all.
    public static func requestMayBeOmitted(_ operation: String) -> Bool {
        requiredToGive(operation)?.isEmpty == true
    }
}

/// One operation a script called, with its outcome: what a runner counts, lists in a dry run, or shows
/// with `-v`.
public struct OperationCall: Sendable {
    public let operation: String
    /// The request as the script gave it (before Catalog and a random ClientToken are filled in).
    public let request: JSONValue
    public let response: JSONValue?
    public let error: ServiceError?
    public let duration: Duration

    /// Whether the operation writes (see `OperationSchema.onlyReads`).
    public var isWrite: Bool { !OperationSchema.onlyReads(operation) }
}
