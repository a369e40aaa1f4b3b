@testable import CodeGen
import Foundation
import Testing

/// How the generator names the model's Lua globals.
@Suite struct LuaGlobalNamesTests {
    @Test(arguments: [
        ("CreateEngagement", "create_engagement"),
        ("ListEngagements", "list_engagements"),
        ("ListEngagementByAcceptingInvitationTasks", "list_engagement_by_accepting_invitation_tasks"),
        ("GetAWSOpportunitySummary", "get_aws_opportunity_summary"),
        ("GetAwsOpportunitySummary", "get_aws_opportunity_summary"),
        ("StartEngagementFromOpportunityTask", "start_engagement_from_opportunity_task"),
        ("CreateEngagementContext", "create_engagement_context"),
    ])
    func anOperationIsItsNameInSnakeCase(operation: String, global: String) {
        #expect(LuaGlobalNames.operationGlobal(operation) == global)
    }

    /// The card's short names stay, beside the rule's name.
    @Test func theContextOperationsAlsoHaveTheirShortNames() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let model = try ModelFile(json: String(contentsOf: root.appendingPathComponent(CodeGenerator.modelPath), encoding: .utf8))
        let rows = try LuaGlobalNames.rows(model).filter { $0.model == "CreateEngagementContext" || $0.model == "UpdateEngagementContext" }
        #expect(rows.map(\.lua) == ["create_engagement_context", "create_context", "update_engagement_context", "update_context"])
        #expect(rows.map(\.isShortName) == [false, true, false, true])
    }

    @Test(arguments: [("Next", "next_"), ("Select", "select_"), ("End", "end_"), ("Type", "type_"), ("Require", "require_")])
    func anOperationWhoseNameWouldHideLuasOwnGetsAnUnderscore(operation: String, global: String) {
        #expect(LuaGlobalNames.operationGlobal(operation) == global)
    }

    @Test func buildersAndEnumTablesKeepTheModelsName() {
        #expect(LuaGlobalNames.unreserved("LeadCustomer") == "LeadCustomer")
        #expect(LuaGlobalNames.unreserved("Industry") == "Industry")
    }
}
