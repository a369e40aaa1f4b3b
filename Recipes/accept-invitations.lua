-- accept-invitations: answer every engagement invitation the caller has received and not yet answered:
-- each accepted into an opportunity of the caller's own, or rejected when a pattern names it.
--
--   engage run accept-invitations [--param reject_if=PATTERN] [--param reason=TEXT] [--catalog Sandbox] [--dry-run]
--
-- Lists every invitation the caller received (ListEngagementInvitations, ParticipantType RECEIVER) in the
-- catalog engage runs on, oldest first. A PENDING one is read (GetEngagementInvitation) and, when
-- reject_if (a Lua pattern, as string.find takes it) is found in its customer's CompanyName or its
-- project's Title, rejected (RejectEngagementInvitation, with reason as RejectionReason when given);
-- otherwise accepted through StartEngagementByAcceptingInvitationTask, which joins the engagement and
-- makes the caller's opportunity from the invitation's payload. Every pending invitation is read and
-- matched before anything is written, so a pattern Lua refuses when matching one of them, an empty
-- pattern, or a reason longer than the model's 80 characters writes nothing. An invitation that is no
-- longer pending is not answered again: EXPIRED ones (15 days after their InvitationDate) are reported as
-- skipped, ACCEPTED and REJECTED ones as answered before, an accepted one with the opportunity its
-- accepting task made (ListEngagementByAcceptingInvitationTasks).
--
-- Each task carries the ClientToken "accept-invitations/" and the invitation id, and each answered
-- invitation is one item of the run journal, so running the same command again after a failure or a
-- kill -9 answers each invitation once: one the killed run answered is no longer pending, and its task
-- replays rather than making a second opportunity. A task the service answers FAILED (its ReasonCode:
-- InvitationValidationFailed when the invitation expired meanwhile) is reported and the run goes on.
-- --dry-run answers as the real run would: over --endpoint-url or --aws the dry run copies each invitation
-- and its engagement from the service into its local overlay before the pretend answer.
-- Returns { accepted = N, rejected = N, failed = N, expired = N, answered_before = N,
--   invitations = { { invitation, engagement, company, title, outcome, opportunity, reason }, … } }, one
-- entry per invitation received; outcome is accepted, rejected, failed, expired, or accepted before /
-- rejected before.

local TOKEN_PREFIX = "accept-invitations/"
local MAX_REASON = 80

-- The customer's company name and the project's title an invitation's payload carries (a lead
-- invitation has no project).
local function described(payload)
  local invitation = payload and (payload.OpportunityInvitation or payload.LeadInvitation) or {}
  return invitation.Customer and invitation.Customer.CompanyName, invitation.Project and invitation.Project.Title
end

-- Whether the pattern is found in the company or the title; a pattern Lua refuses is the parameter's error.
local function matches(pattern, company, title)
  for _, text in ipairs({ company or "", title or "" }) do
    local ok, found = pcall(string.find, text, pattern)
    if not ok then error("parameter 'reject_if': " .. tostring(found):gsub("^.-:%d+: ", ""), 0) end
    if found then return true end
  end
  return false
end

local function check_reason(reason)
  local length = utf8.len(reason)
  if not length then error("parameter 'reason' is not UTF-8 text", 0) end
  if length < 1 or length > MAX_REASON then
    error(string.format("parameter 'reason' (RejectionReason) must be 1 to %d characters, got %d", MAX_REASON, length), 0)
  end
end

-- The opportunity the invitation's completed accepting task made, if one did.
local function opportunity_of(invitation_id)
  for task in each(list_engagement_by_accepting_invitation_tasks, { EngagementInvitationIdentifier = { invitation_id }, TaskStatus = { "COMPLETE" } }) do
    return task.OpportunityId
  end
end

local function label(entry)
  return string.format("%s (%s%s)", entry.invitation, entry.company or "no company", entry.title and (", " .. entry.title) or "")
end

-- Accepts or rejects one pending invitation, as decided.
local function answer(entry, p)
  if entry.reject then
    reject_engagement_invitation{ Identifier = entry.invitation, RejectionReason = p.reason }
    log(string.format("%s: rejected, it matches '%s'", label(entry), p.reject_if))
    return { outcome = "rejected", reason = p.reason }
  end
  local task = start_engagement_by_accepting_invitation_task{ Identifier = entry.invitation, ClientToken = TOKEN_PREFIX .. entry.invitation }
  if task.TaskStatus == "COMPLETE" then
    log(string.format("%s: accepted, opportunity %s (task %s)", label(entry), task.OpportunityId, task.TaskId))
    return { outcome = "accepted", opportunity = task.OpportunityId }
  end
  log(string.format("%s: task %s %s: %s %s", label(entry), task.TaskId, task.TaskStatus, task.ReasonCode or "", task.Message or ""))
  return { outcome = "failed", reason = task.ReasonCode }
end

return recipe{
  description = "Accept every pending engagement invitation received, each into an opportunity, or reject those a pattern names",
  params = {
    reject_if = { type = "string", help = "a Lua pattern: an invitation whose customer company name or project title contains it is rejected" },
    reason = { type = "string", help = "the RejectionReason sent with each rejection (1 to 80 characters)" },
  },
  run = function(p)
    -- An empty pattern is found in every text: rejecting everything is not what an empty value means.
    if p.reject_if == "" then error("parameter 'reject_if' is empty; give a Lua pattern, or leave it out to accept every invitation", 0) end
    if p.reason then check_reason(p.reason) end
    -- Read and decide everything first: a bad pattern is found before any write.
    local entries = {}
    for summary in each(list_engagement_invitations, { ParticipantType = "RECEIVER" }) do
      local entry = { invitation = summary.Id, engagement = summary.EngagementId, status = summary.Status }
      if summary.Status == "PENDING" then
        local invitation = get_engagement_invitation{ Identifier = summary.Id }
        entry.company, entry.title = described(invitation.Payload)
        entry.reject = p.reject_if ~= nil and matches(p.reject_if, entry.company, entry.title)
      end
      entries[#entries + 1] = entry
    end

    local counts = { accepted = 0, rejected = 0, failed = 0, expired = 0, answered_before = 0 }
    local report = json.decode("[]")
    for done, entry in ipairs(entries) do
      local result
      if entry.status == "PENDING" then
        result = item(entry.invitation, function() return answer(entry, p) end, label(entry))
        counts[result.outcome] = counts[result.outcome] + 1
      elseif entry.status == "EXPIRED" then
        counts.expired = counts.expired + 1
        result = { outcome = "expired" }
        log(string.format("%s: skipped, it expired before it was answered", entry.invitation))
      else
        counts.answered_before = counts.answered_before + 1
        result = { outcome = entry.status:lower() .. " before" }
        if entry.status == "ACCEPTED" then result.opportunity = opportunity_of(entry.invitation) end
      end
      report[#report + 1] = { invitation = entry.invitation, engagement = entry.engagement, company = entry.company, title = entry.title,
        outcome = result.outcome, opportunity = result.opportunity, reason = result.reason }
      progress(done, #entries)
    end
    counts.invitations = report
    return counts
  end,
}
