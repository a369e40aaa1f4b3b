import Core
import Foundation
import Sandbox

// A separate process that drives the sandbox for the multi-process tests and the benchmark:
//   sandbox-worker append STORE ENGAGEMENT COUNT TAG START   COUNT read-modify-write appends to the
//                                                            contexts in turn, from the START-th
//   sandbox-worker burst STORE COUNT                   COUNT CreateEngagement calls
// It prints one line per acknowledged write ("ok ID"), flushed at once, so a parent that kills it knows
// exactly which writes the store acknowledged.

/// Writes a line straight to the file descriptor, unbuffered, so a kill loses no acknowledged line.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sandbox-worker: \(message)\n".utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3 else { fail("usage: append STORE ENGAGEMENT COUNT TAG START | burst STORE COUNT") }
let service: SandboxService
do {
    service = try SandboxService(path: arguments[1])
} catch {
    fail("\(error)")
}

/// Appends one interaction to a Lead context, re-reading and retrying on ConflictException.
func append(engagement: String, context: String, sourceId: String) async throws -> Int {
    var attempts = 0
    while true {
        attempts += 1
        let current = try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: engagement))
        guard case .lead(let lead)? = current.contexts?.first(where: { $0.id == context })?.payload, let modifiedAt = current.modifiedAt else {
            fail("engagement \(engagement) has no Lead context \(context)")
        }
        let interaction = LeadInteraction(
            sourceType: "Worker", sourceId: sourceId, sourceName: "sandbox-worker", customerAction: "Appended",
            contact: LeadContact(businessTitle: "Tester", email: "worker@example.com", firstName: "Work", lastName: "Er"))
        let request = UpdateEngagementContextRequest(
            catalog: "Sandbox", engagementIdentifier: engagement, contextIdentifier: context, engagementLastModifiedAt: modifiedAt,
            type: .lead, payload: .lead(UpdateLeadContext(customer: lead.customer, interaction: interaction)))
        let conflict: ServiceError
        do {
            _ = try await service.updateEngagementContext(request)
            return attempts
        } catch {
            conflict = error
        }
        guard conflict.code == "ConflictException", attempts < 500 else { throw conflict }
        try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(100, 2 << min(attempts, 6)))))
    }
}

do {
    switch arguments[0] {
    case "append" where arguments.count == 6:
        guard let count = Int(arguments[3]), let start = Int(arguments[5]) else { fail("COUNT and START must be numbers") }
        let tag = arguments[4]
        let contexts = try await service.getEngagement(GetEngagementRequest(catalog: "Sandbox", identifier: arguments[2])).contexts?.compactMap(\.id) ?? []
        guard !contexts.isEmpty else { fail("engagement \(arguments[2]) has no contexts") }
        for index in 0..<count {
            let context = contexts[(start + index) % contexts.count]
            let attempts = try await append(engagement: arguments[2], context: context, sourceId: "\(tag)-\(index)")
            say("ok \(tag)-\(index) context \(context) attempts \(attempts)")
        }
    case "burst":
        guard let count = Int(arguments[2]) else { fail("COUNT must be a number") }
        for index in 0..<count {
            let created = try await service.createEngagement(CreateEngagementRequest(
                catalog: "Sandbox", clientToken: UUID().uuidString, title: "Burst \(index)", description: String(repeating: "d", count: 200)))
            say("ok \(created.id ?? "?")")
        }
    default:
        fail("unknown workload \(arguments[0])")
    }
} catch {
    fail("\(error)")
}
