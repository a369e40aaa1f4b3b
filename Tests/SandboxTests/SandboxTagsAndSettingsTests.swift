import Core
import CoreTestSupport
import Foundation
import Testing
@testable import Sandbox

/// Tags on the resources the sandbox issues ARNs for, and the selling-system settings of each catalog.
@Suite(.tags(.unit)) struct SandboxTagsAndSettingsTests {
    func call(_ sandbox: SandboxFixture, _ operation: String, _ request: JSONValue) async throws -> JSONValue {
        try await RawOperation.call(operation, request: request, catalog: "Sandbox", on: sandbox.service)
    }

    @Test func tagsRoundTripOnAnOpportunityAndAnEngagementAndCreateTimeTagsAreKept() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let created = try await call(sandbox, "CreateOpportunity", [
            "Customer": ["Account": ["CompanyName": "Acme", "Industry": "Other", "OtherIndustry": "Anvils"]],
            "Tags": [["Key": "team", "Value": "emea"]],
        ])
        let opportunityArn = "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/\(created["Id"]!.stringValue!)"
        let engagementArn = try #require(try await sandbox.engagement().arn)
        for arn in [opportunityArn, engagementArn] {
            try await call(sandbox, "TagResource", ["ResourceArn": .string(arn), "Tags": [["Key": "stage", "Value": "pilot"], ["Key": "owner", "Value": "ada"]]])
            try await call(sandbox, "UntagResource", ["ResourceArn": .string(arn), "TagKeys": ["owner", "absent"]])
        }
        let opportunityTags = try await call(sandbox, "ListTagsForResource", ["ResourceArn": .string(opportunityArn)])
        #expect(opportunityTags["Tags"] == [["Key": "stage", "Value": "pilot"], ["Key": "team", "Value": "emea"]])
        let engagementTags = try await call(sandbox, "ListTagsForResource", ["ResourceArn": .string(engagementArn)])
        #expect(engagementTags["Tags"] == [["Key": "stage", "Value": "pilot"]])
    }

    @Test func aBadTagRequestNamesTheMemberAndWritesNothing() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let arn = try #require(try await sandbox.engagement().arn)
        let before = try await sandbox.service.auditEntries().count
        let tooMany = JSONValue.array((0...200).map { ["Key": .string("k\($0)"), "Value": "v"] })
        let refused: [(JSONValue, String)] = [
            (tooMany, "Tags"),
            ([["Key": "a", "Value": "1"], ["Key": "a", "Value": "2"]], "Tags[1].Key"),
            ([["Key": "aws:owner", "Value": "1"]], "Tags[0].Key"),
        ]
        for (tags, field) in refused {
            let error = await serviceError { _ = try await call(sandbox, "TagResource", ["ResourceArn": .string(arn), "Tags": tags]) }
            #expect(error?.code == "ValidationException")
            #expect(error?.errorList.map(\.fieldName) == [field])
        }
        let missing = await serviceError {
            _ = try await call(sandbox, "ListTagsForResource", ["ResourceArn": "arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/O1"])
        }
        #expect(missing?.code == "ResourceNotFoundException")
        #expect(try await call(sandbox, "ListTagsForResource", ["ResourceArn": .string(arn)])["Tags"] == [])
        #expect(try await sandbox.service.auditEntries().count == before)
    }

    @Test func settingsKeepARoleAsAnArnPerCatalog() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        #expect(try await call(sandbox, "GetSellingSystemSettings", [:]) == ["Catalog": "Sandbox"])
        let put = try await call(sandbox, "PutSellingSystemSettings", ["ResourceSnapshotJobRoleIdentifier": "SnapshotRole"])
        #expect(put["ResourceSnapshotJobRoleArn"] == "arn:aws:iam::123456789012:role/SnapshotRole")
        #expect(try await call(sandbox, "GetSellingSystemSettings", [:]) == put)
        let other = try await RawOperation.call("GetSellingSystemSettings", request: [:], catalog: "AWS", on: sandbox.service)
        #expect(other == ["Catalog": "AWS"])
    }
}

/// The sandbox's clock: kept in the store, moved forward on request, and what every date rule reads.
@Suite(.tags(.unit)) struct SandboxClockTests {
    @Test func aMovedClockDatesWritesAndJudgesDatesForEveryProcessOfTheStore() async throws {
        let sandbox = try SandboxFixture()
        defer { sandbox.remove() }
        let tomorrow = String(SandboxTime.text(SandboxTime.nowMicroseconds() + 86_400_000_000).prefix(10))
        let request: JSONValue = ["Customer": ["Account": ["CompanyName": "Acme", "Industry": "Other", "OtherIndustry": "Anvils"]],
                                  "LifeCycle": ["TargetCloseDate": .string(tomorrow)]]
        _ = try await RawOperation.call("CreateOpportunity", request: request, catalog: "Sandbox", on: sandbox.service)
        let moved = try await sandbox.service.advanceClock(byMicroseconds: 16 * 86_400_000_000)
        #expect(moved.aheadByMicroseconds == 16 * 86_400_000_000)
        // Another service on the same file reads the same clock.
        let other = try SandboxService(path: sandbox.path)
        #expect(try await other.clock().aheadByMicroseconds == moved.aheadByMicroseconds)
        let late = await serviceError { _ = try await RawOperation.call("CreateOpportunity", request: request, catalog: "Sandbox", on: other) }
        #expect(late?.errorList.map(\.fieldName) == ["LifeCycle.TargetCloseDate"])
        let engagement = try await sandbox.engagement()
        #expect(try #require(engagement.modifiedAt?.text) >= moved.now)
        #expect(await serviceError { _ = try await sandbox.service.advanceClock(byMicroseconds: -1) }?.errorList.map(\.fieldName) == ["by"])
        #expect(try await sandbox.service.resetClock().aheadByMicroseconds == 0)
    }
}
