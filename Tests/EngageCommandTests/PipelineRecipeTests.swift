import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The pipeline recipe over opportunities that opportunity-intake made and submitted: the real binary, a real
/// store, the file read back by Python's csv and json modules.
@Suite(.tags(.process)) struct PipelineRecipeTests: ScratchFolder {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engage-pipeline-\(UUID().uuidString)")
    var environment: [String: String] { ["ENGAGE_RECIPES_PATH": repositoryRoot.appendingPathComponent("Recipes").path] }
    static let columns: JSONValue = ["id", "partner_opportunity_id", "company", "title", "stage", "review_status", "review_comments",
                                     "target_close_date", "solutions", "aws_stage", "involvement_type", "last_modified"]

    func run(_ recipe: String, _ parameters: [String: String]) throws -> CommandResult {
        let arguments = ["run", recipe] + parameters.flatMap { ["--param", "\($0.key)=\($0.value)"] } + ["--store", store, "--output", "json"]
        return try runEngage(arguments, environment: environment)
    }

    func result(_ run: CommandResult) throws -> JSONValue {
        guard run.status == 0, let result = try JSONValue(parsing: run.stdout)["result"] else {
            throw TerminalError("the run failed (\(run.status)): \(run.stderr)\(run.stdout)")
        }
        return result
    }

    /// The sample's four opportunities, the first two submitted: a CSV of the sample's first two rows goes
    /// through with submit=true, then the whole sample without (the first two are replayed, not made again).
    func sampleOpportunities() throws {
        let sample = try String(contentsOf: repositoryRoot.appendingPathComponent("Recipes/samples/opportunities.csv"), encoding: .utf8)
        let firstTwo = try file("first-two.csv", sample.split(separator: "\n").prefix(3).joined(separator: "\n") + "\n")
        #expect(try result(try run("opportunity-intake", ["csv": firstTwo, "submit": "true"]))["submitted"] == 2)
        let all = repositoryRoot.appendingPathComponent("Recipes/samples/opportunities.csv").path
        #expect(try result(try run("opportunity-intake", ["csv": all]))["created"] == 4)
    }

    /// The file as Python reads it: for csv, the header and one object per row; for json, the document.
    func parsed(_ path: String, as format: String) throws -> JSONValue {
        let python = format == "csv" ? """
            import csv, json, sys
            with open(sys.argv[1], newline='') as f:
                header, *lines = list(csv.reader(f, strict=True))
            print(json.dumps({'header': header, 'rows': [dict(zip(header, line)) for line in lines]}))
            """ : """
            import json, sys
            with open(sys.argv[1]) as f:
                document = json.load(f)
            print(json.dumps({'header': list(document[0].keys()) if document else [], 'rows': document}))
            """
        let read = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", python, path])
        guard read.status == 0 else { throw TerminalError("python could not read \(path): \(read.stderr)") }
        return try JSONValue(parsing: read.stdout)
    }

    @Test func csvHasOneRowPerOpportunityWithItsReviewStatusAndAwsSummary() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try sampleOpportunities()
        // AWS's review, through the lever AWS documents for its Sandbox catalog: comments with a comma and quotes.
        let review = try runEngage(["run", "-", "--store", store], input: #"""
            for summary in each(list_opportunities, {}) do
              if summary.PartnerOpportunityIdentifier == "CRM-1001" then
                modify_opportunity(summary.Id, function(request)
                  request.LifeCycle.ReviewStatus = "Action Required"
                  request.LifeCycle.ReviewComments = 'Postal code is wrong, "98101" is Seattle'
                  return request
                end)
              end
            end
            """#)
        #expect(review.status == 0, "\(review.stderr)")
        let out = folder.appendingPathComponent("pipeline.csv").path
        #expect(try result(try run("pipeline", ["out": out, "format": "csv"]))["opportunities"] == 4)
        let file = try parsed(out, as: "csv")
        #expect(file["header"] == Self.columns)
        let rows = file["rows"]?.arrayValue ?? []
        #expect(rows.map { $0["partner_opportunity_id"]?.stringValue ?? "" } == ["CRM-1001", "CRM-1002", "CRM-1003", "CRM-1004"], "oldest first")
        #expect(rows.map { $0["review_status"]?.stringValue ?? "" } == ["Action Required", "Submitted", "Pending Submission", "Pending Submission"])
        #expect(rows.map { $0["review_comments"]?.stringValue ?? "" } == ["Postal code is wrong, \"98101\" is Seattle", "", "", ""])
        #expect(rows.map { $0["company"]?.stringValue ?? "" } == ["Acme, Inc.", "Globex", "Proseware, Inc.", "Initech"])
        #expect(rows.allSatisfy { $0["solutions"] == "S-1234567" && ($0["id"]?.stringValue ?? "").hasPrefix("O") })
        #expect(rows.map { $0["involvement_type"]?.stringValue ?? "" } == ["Co-Sell", "Co-Sell", "", ""], "no AWS summary before submission")
        #expect(rows[0]["title"] == "Lakehouse migration")
        #expect(rows[0]["stage"] == "Qualified")
        #expect(rows[0]["target_close_date"] == "2030-06-30")
        #expect(rows.allSatisfy { ($0["last_modified"]?.stringValue ?? "").hasSuffix("Z") })
    }

    @Test func jsonIsAnArrayOfObjectsWithEveryMemberNullWhereThereIsNoValue() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try sampleOpportunities()
        let out = folder.appendingPathComponent("pipeline.json").path
        #expect(try result(try run("pipeline", ["out": out]))["opportunities"] == 4)
        let file = try parsed(out, as: "json")
        #expect(file["header"] == Self.columns, "the members in the columns' order")
        let rows = file["rows"]?.arrayValue ?? []
        #expect(rows.count == 4)
        #expect(rows[0]["solutions"] == ["S-1234567"])
        #expect(rows[0]["involvement_type"] == "Co-Sell")
        #expect(rows[3]["aws_stage"] == .null)
        #expect(rows[3]["review_comments"] == .null)
        #expect(rows[3]["review_status"] == "Pending Submission")
    }

    @Test func noOpportunitiesIsAnEmptyFileOfEachFormatAndADryRunWritesNone() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let json = folder.appendingPathComponent("pipeline.json").path
        #expect(try result(try run("pipeline", ["out": json]))["opportunities"] == 0)
        #expect(try String(contentsOfFile: json, encoding: .utf8) == "[]\n")
        let csv = folder.appendingPathComponent("pipeline.csv").path
        #expect(try result(try run("pipeline", ["out": csv, "format": "csv"]))["written"] == true)
        #expect(try parsed(csv, as: "csv")["header"] == Self.columns)
        let dryOut = folder.appendingPathComponent("dry.csv").path
        let dry = try runEngage(["run", "pipeline", "--param", "out=\(dryOut)", "--dry-run", "--store", store], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("dry run: 0 opportunities would be written to"), "\(dry.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dryOut))
    }

    @Test func theRecipeExplainsItselfAndRefusesAnUnknownFormat() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let help = try runEngage(["run", "pipeline", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("pipeline: Write every opportunity with its review status, stage and AWS summary"), "\(help.stdout)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let refused = try run("pipeline", ["out": folder.appendingPathComponent("p.xml").path, "format": "xml"])
        #expect(refused.status == 2)
        #expect(try JSONValue(parsing: refused.stdout)["error"]?.stringValue?.contains("parameter 'format' must be one of json, csv") == true, "\(refused.stdout)")
    }
}
