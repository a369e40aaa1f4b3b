-- lead-to-opportunity: turn every qualified lead of the catalog into an opportunity.
--
--   engage run lead-to-opportunity [--param status=Qualified] [--catalog Sandbox] [--dry-run]
--
-- Reads every engagement with a Lead context (ListEngagements with ContextTypes Lead, then GetEngagement)
-- in the catalog engage runs on (--catalog, Sandbox unless said otherwise). A lead whose
-- QualificationStatus is status (default "Qualified"; compared ignoring case and surrounding spaces) becomes
-- an opportunity through StartOpportunityFromEngagementTask; a lead without a status or with another one
-- ("Disqualified", "Sales qualified" unless status says so) is skipped and counted. A lead whose
-- engagement already lists an Opportunity among its resource associations
-- (ListEngagementResourceAssociations) has become one and is skipped and counted too.
--
-- Each task carries a ClientToken made from the engagement and context ids, so a task repeated after a kill
-- (or by any later run) is replayed by the service instead of started again. A task the service answers
-- FAILED (its ReasonCode says why: DisqualifiedLeadNotPermitted, OpportunityConflict, …) is reported with
-- its reason; the run goes on with the next lead.
-- Returns { started = N (COMPLETE), failed = N, not_qualified = N, already_opportunity = N,
--   leads = { { engagement, context, company, task, status, opportunity, reason }, … } } with one entry per
-- lead that was sent, in the order the engagements were listed.

local function trimmed_lower(text)
  return (text:gsub("^%s+", ""):gsub("%s+$", ""):lower())
end

-- The opportunity the engagement already lists as a resource association, if any.
local function associated_opportunity(engagement_id)
  for association in each(list_engagement_resource_associations, { EngagementIdentifier = engagement_id, ResourceType = "Opportunity" }) do
    return association.ResourceId
  end
end

return recipe{
  description = "Turn every qualified lead of the catalog into an opportunity",
  params = {
    status = { type = "string", default = "Qualified", help = "the QualificationStatus that makes a lead qualified (any case)" },
  },
  run = function(p)
    local wanted = trimmed_lower(p.status)
    local leads, started, failed, not_qualified, already = json.decode("[]"), 0, 0, 0, 0
    for summary in each(list_engagements, { ContextTypes = { "Lead" } }) do
      local engagement = get_engagement(summary.Id)
      for _, context in ipairs(engagement.Contexts or {}) do
        local lead = context.Type == "Lead" and context.Payload and context.Payload.Lead
        if lead then
          local company = lead.Customer and lead.Customer.CompanyName or "no company"
          local where = string.format("%s/%s (%s)", engagement.Id, context.Id, company)
          local status = lead.QualificationStatus
          local existing = status and trimmed_lower(status) == wanted and associated_opportunity(engagement.Id)
          if not status or trimmed_lower(status) ~= wanted then
            not_qualified = not_qualified + 1
            log(string.format("%s: skipped, QualificationStatus is %s", where, status and ("'" .. status .. "'") or "not set"))
          elseif existing then
            already = already + 1
            log(string.format("%s: skipped, the engagement already lists opportunity %s", where, existing))
          else
            local result = item(engagement.Id .. "/" .. context.Id, function()
              local task = start_opportunity_from_engagement_task{ Identifier = engagement.Id, ContextIdentifier = context.Id,
                ClientToken = "lead-to-opportunity/" .. engagement.Id .. "/" .. context.Id }
              if task.TaskStatus == "COMPLETE" then
                log(string.format("%s: opportunity %s (task %s)", where, task.OpportunityId, task.TaskId))
              else
                log(string.format("%s: task %s %s: %s %s", where, task.TaskId, task.TaskStatus, task.ReasonCode or "", task.Message or ""))
              end
              return { engagement = engagement.Id, context = context.Id, company = company, task = task.TaskId,
                status = task.TaskStatus, opportunity = task.OpportunityId, reason = task.ReasonCode }
            end, where)
            if result.status == "COMPLETE" then started = started + 1 else failed = failed + 1 end
            leads[#leads + 1] = result
          end
        end
      end
    end
    return { started = started, failed = failed, not_qualified = not_qualified, already_opportunity = already, leads = leads }
  end,
}
