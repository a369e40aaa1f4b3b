import Foundation
import OrderedJSON
import Testing

/// Runs the real `engage` binary, as a user would, and checks stdout, stderr and the exit status.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
    /// The process ended by a signal (a crash, a trap), not by exiting.
    let crashed: Bool
}

func runEngage(_ arguments: String...) throws -> CommandResult {
    try runEngage(arguments)
}

/// Runs engage with `arguments`, optional standard input and extra environment variables.
func runEngage(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try runEngage(arguments, bytes: input.map { Data($0.utf8) }, environment: environment)
}

/// Runs engage with standard input given as bytes, which need not be UTF-8.
func runEngage(_ arguments: [String], bytes input: Data?, environment: [String: String] = [:]) throws -> CommandResult {
    try runProgram(engageBinary, arguments, input: input, environment: environment)
}

/// Runs a program and collects what it printed and how it ended.
func runProgram(_ executable: URL, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        // A child that exits before reading its input closes the pipe: that must be an error here, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
    }
    let errors = ErrorCollector(stderr.fileHandleForReading)
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self), stderr: errors.text(),
                         crashed: process.terminationReason == .uncaughtSignal)
}

/// Reads a pipe to its end on another thread, so a child filling both pipes cannot block.
final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `engage` executable beside the test bundle in the build folder.
let engageBinary: URL = {
    var folder = Bundle.main.bundleURL
    while folder.path != "/" {
        let candidate = folder.appendingPathComponent("engage")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    fatalError("no engage binary found beside \(Bundle.main.bundleURL.path)")
}()

@Suite struct DescribeCommandTests {
    @Test func anEnumPrintsItsValuesOnePerLine() throws {
        let result = try runEngage("describe", "Industry")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 28)
        #expect(lines.first == "Aerospace")
        #expect(lines.contains("Financial Services"))
        #expect(result.stderr.isEmpty)
    }

    @Test func anEnumInJSONIsOneDocumentWithEveryValue() throws {
        let result = try runEngage("describe", "CountryCode", "--output", "json")
        #expect(result.status == 0)
        let document = try JSONValue(parsing: result.stdout)
        #expect(document["name"] == "CountryCode")
        #expect(document["kind"] == "enum")
        #expect(document["values"]?.arrayValue?.count == 249)
        #expect(document["values"]?.arrayValue?.first == "US")
    }

    @Test func aStructureShowsMembersWithRequirementTypeAndDocumentation() throws {
        let result = try runEngage("describe", "LeadCustomer")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("LeadCustomer (structure)\n"))
        #expect(result.stdout.contains("CompanyName  [required]  string, 1 to 120 characters, sensitive"))
        #expect(result.stdout.contains("Industry  [optional]  Industry (enum, 28 values)"))
        #expect(result.stdout.contains("Address  [required]  AddressSummary (structure)"))
        #expect(result.stdout.contains("The name of the lead customer's company."))
    }

    @Test func aStructureInJSONListsMembersInModelOrder() throws {
        let result = try runEngage("describe", "LeadCustomer", "--output", "json")
        let document = try JSONValue(parsing: result.stdout)
        let members = document["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0["name"]?.stringValue } == ["Industry", "CompanyName", "WebsiteUrl", "Address", "AwsMaturity", "MarketSegment"])
        #expect(members.first { $0["name"] == "CompanyName" }?["required"] == true)
    }

    @Test func aUnionSaysExactlyOneMemberIsSet() throws {
        let result = try runEngage("describe", "EngagementContextPayload")
        #expect(result.stdout.hasPrefix("EngagementContextPayload (union: exactly one member is set)"))
    }

    @Test func anOperationShowsItsInputMembers() throws {
        let result = try runEngage("describe", "UpdateEngagementContext")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Input:  UpdateEngagementContextRequest"))
        #expect(result.stdout.contains("EngagementLastModifiedAt  [required]  timestamp"))
    }

    @Test func stateOrRegionListsTheDocumentedValues() throws {
        let result = try runEngage("describe", "StateOrRegion")
        #expect(result.stdout.split(separator: "\n").count == 62)
        #expect(result.stdout.contains("\nWashington\n"))
    }

    @Test func namesMatchIgnoringCase() throws {
        let result = try runEngage("describe", "leadcustomer")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("LeadCustomer (structure)"))
    }

    @Test func anUnknownNameFailsWithASuggestion() throws {
        let result = try runEngage("describe", "Industy")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no shape, operation or value set named 'Industy' (did you mean 'Industry'?)"))
    }

    @Test func aShapeEngageDoesNotServeIsNamedAsSuch() throws {
        let result = try runEngage("describe", "OpportunitySummary")
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a shape of the service model that engage does not serve"))
    }

    @Test func helpReadsWell() throws {
        let root = try runEngage("--help")
        #expect(root.status == 0)
        #expect(root.stdout.contains("describe"))
        let describe = try runEngage("describe", "--help")
        #expect(describe.status == 0)
        #expect(describe.stdout.contains("--output <output>"))
        #expect(describe.stdout.contains("(values: text, json; default: text)"))
    }
}
