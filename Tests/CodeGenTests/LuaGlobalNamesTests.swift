@testable import CodeGen
import Testing

/// How the generator names the model's Lua globals.
@Suite struct LuaGlobalNamesTests {
    @Test(arguments: [
        ("CreateEngagement", "create_engagement"),
        ("ListEngagements", "list_engagements"),
        ("ListEngagementByAcceptingInvitationTasks", "list_engagement_by_accepting_invitation_tasks"),
        ("GetAWSOpportunitySummary", "get_aws_opportunity_summary"),
        ("CreateEngagementContext", "create_context"),
        ("UpdateEngagementContext", "update_context"),
    ])
    func anOperationIsItsNameInSnakeCaseUnlessItHasAShortName(operation: String, global: String) {
        #expect(LuaGlobalNames.operationGlobal(operation) == global)
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
