-- rehearse-co-sell: one side of a co-selling exchange between two partners, to learn the flow; each step
-- prints what that side sees.
--
--   engage serve --credentials-file team.json        # its file names alice and bob, one store for both
--   (signed as alice) engage run rehearse-co-sell --endpoint-url http://127.0.0.1:PORT --param side=sender --param partner=bob
--   (signed as bob)   engage run rehearse-co-sell --endpoint-url http://127.0.0.1:PORT --param side=receiver --param partner=alice
--
-- A recipe runs as one identity (the key that signs its requests), so the exchange is two runs, one per
-- side, the sender's first:
--   side=sender: creates an engagement with a Lead context for customer, turns the lead into an
--   opportunity in the engagement (StartOpportunityFromEngagementTask) and gives it the project title
--   (business problem, expected spend, close date); creates an OpportunitySummary snapshot job of it and
--   starts it (revision 1); invites partner (the receiver's account: an AWS account id, or a name of
--   engage serve's credentials file) with an opportunity invitation; then moves the opportunity to
--   Technical Validation with next steps, and the running job takes revision 2 in the same write.
--   side=receiver: lists the PENDING invitations it received (from partner when given), and accepts each
--   through StartEngagementByAcceptingInvitationTask, which makes the receiver's own opportunity from the
--   invitation; then reads that opportunity, the engagement's members, and every revision of the
--   snapshots the sender shares (its stage and next steps).
-- customer and title name the customer and the project; another value makes another exchange.
--
-- Every create takes its ClientToken from the run and each acceptance "rehearse-co-sell/" and the
-- invitation id, and an update that finds the opportunity as wanted sends nothing, so the same command
-- run again (or after a kill) replays rather than repeating: the sender gets the same engagement,
-- opportunity, job and invitation back and no new revision, the receiver finds nothing left to accept.
-- Returns, for the sender, { engagement, opportunity, job, invitation, status, expires,
--   revisions = { { revision, by, stage, next_steps }, … } }; for the receiver, { accepted = { { invitation,
--   engagement, sender, task, status, opportunity, reason, members, snapshots = { { opportunity, revision,
--   by, stage, next_steps }, … } }, … } }.

local CLOSE_DATE = "2099-12-31"
local PROBLEM = "Nightly reports take eleven hours to build on the current warehouse"
local NEXT_STAGE, NEXT_STEPS = "Technical Validation", "Architecture workshop booked"

local function say(side, step, text, ...)
  print(string.format("[%s] %d. " .. text, side, step, ...))
end

local TEMPLATE = "OpportunitySummary"
local SPEND = { { Amount = "5000", CurrencyCode = "USD", Frequency = "Monthly", TargetCompany = "AWS" } }

-- The revisions of the opportunity's OpportunitySummary snapshots in the engagement, oldest first, each
-- with the stage and next steps it recorded.
local function revisions(engagement, opportunity)
  local found = json.decode("[]")
  for summary in each(list_resource_snapshots, { EngagementIdentifier = engagement, ResourceIdentifier = opportunity,
      ResourceSnapshotTemplateIdentifier = TEMPLATE }) do
    local snapshot = get_resource_snapshot{ EngagementIdentifier = engagement, ResourceType = "Opportunity", ResourceIdentifier = opportunity,
      ResourceSnapshotTemplateIdentifier = TEMPLATE, Revision = summary.Revision }
    local lifecycle = snapshot.Payload and snapshot.Payload.OpportunitySummary and snapshot.Payload.OpportunitySummary.Lifecycle or {}
    found[#found + 1] = { revision = snapshot.Revision, by = snapshot.CreatedBy, stage = lifecycle.Stage, next_steps = lifecycle.NextSteps }
  end
  table.sort(found, function(a, b) return a.revision < b.revision end)
  return found
end

local function numbers(list)
  local shown = {}
  for i, revision in ipairs(list) do shown[i] = tostring(revision.revision) end
  return #shown > 0 and table.concat(shown, ", ") or "none"
end

local function send(p)
  local e = create_engagement{ Title = truncate(p.customer .. ": " .. p.title, 40), Description = "Co-selling " .. p.title .. " with " .. p.partner }
  local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead", Payload = { Lead = {
    Customer = { CompanyName = p.customer, Industry = "Retail", WebsiteUrl = "https://www.example.com", Address = { CountryCode = "US" } },
    Interactions = { { SourceType = "Event", SourceId = "rehearsal-1", SourceName = "Co-sell rehearsal", CustomerAction = "Asked for a proposal",
      BusinessProblem = PROBLEM, Contact = { BusinessTitle = "CTO", Email = "cto@example.com", FirstName = "Ada", LastName = "Lee" } } } } } }
  say("sender", 1, "created engagement %s with a Lead context (%s) for %s; you are its only member", e.Id, c.ContextId, p.customer)

  local task = start_opportunity_from_engagement_task{ Identifier = e.Id, ContextIdentifier = c.ContextId }
  if task.TaskStatus ~= "COMPLETE" then
    error(string.format("rehearse-co-sell: task %s %s: %s %s", task.TaskId, task.TaskStatus, task.ReasonCode or "", task.Message or ""), 0)
  end
  local o = task.OpportunityId
  modify_opportunity(o, function(r)
    r.Project = r.Project or {}
    r.Project.Title, r.Project.CustomerBusinessProblem, r.Project.ExpectedCustomerSpend = p.title, PROBLEM, SPEND
    r.LifeCycle = r.LifeCycle or {}
    r.LifeCycle.TargetCloseDate = CLOSE_DATE
    return r
  end)
  say("sender", 2, "task %s made opportunity %s from the lead, in the engagement; gave it the project %s", task.TaskId, o, p.title)

  local job = create_resource_snapshot_job{ EngagementIdentifier = e.Id, ResourceType = "Opportunity", ResourceIdentifier = o,
    ResourceSnapshotTemplateIdentifier = TEMPLATE }
  start_resource_snapshot_job{ ResourceSnapshotJobIdentifier = job.Id }
  local running = get_resource_snapshot_job{ ResourceSnapshotJobIdentifier = job.Id }
  say("sender", 3, "snapshot job %s (%s of %s) is %s; revisions: %s", job.Id, TEMPLATE, o, running.Status, numbers(revisions(e.Id, o)))

  local invitation = create_engagement_invitation{ EngagementIdentifier = e.Id, Invitation = {
    Message = "Join us on " .. p.title .. " for " .. p.customer,
    Receiver = { Account = { AwsAccountId = p.partner } },
    Payload = { OpportunityInvitation = { ReceiverResponsibilities = { "Co-Sell Facilitator" },
      Customer = { CompanyName = p.customer, Industry = "Retail", WebsiteUrl = "https://www.example.com", CountryCode = "US" },
      Project = { Title = p.title, BusinessProblem = PROBLEM, TargetCompletionDate = CLOSE_DATE, ExpectedCustomerSpend = SPEND } } },
  } }
  local sent = get_engagement_invitation{ Identifier = invitation.Id }
  say("sender", 4, "invited %s: invitation %s, status %s, expires %s", p.partner, sent.Id, sent.Status, sent.ExpirationDate)

  local moved = modify_opportunity(o, function(r)
    r.LifeCycle.Stage, r.LifeCycle.NextSteps = NEXT_STAGE, NEXT_STEPS
    return r
  end)
  local taken = revisions(e.Id, o)
  if moved.Unchanged then
    say("sender", 5, "%s is already at %s (next steps: %s): nothing sent, no new revision; revisions: %s", o, NEXT_STAGE, NEXT_STEPS, numbers(taken))
  else
    say("sender", 5, "moved %s to %s (next steps: %s); the running job took a revision in the same write; revisions: %s", o, NEXT_STAGE, NEXT_STEPS, numbers(taken))
  end
  return { engagement = e.Id, opportunity = o, job = job.Id, invitation = sent.Id, status = sent.Status, expires = sent.ExpirationDate,
    revisions = taken }
end

local function receive(p)
  local pending = {}
  for summary in each(list_engagement_invitations, { ParticipantType = "RECEIVER", Status = { "PENDING" },
      SenderAwsAccountId = p.partner and { p.partner } or nil }) do
    pending[#pending + 1] = summary
  end
  say("receiver", 1, "%d pending invitation%s%s", #pending, #pending == 1 and "" or "s", p.partner and (" from " .. p.partner) or "")
  local accepted = json.decode("[]")
  for _, summary in ipairs(pending) do
    local invitation = get_engagement_invitation{ Identifier = summary.Id }
    local offer = invitation.Payload and invitation.Payload.OpportunityInvitation or {}
    say("receiver", 2, "%s from %s (%s) on %s: \"%s\", customer %s, project %s, expires %s", invitation.Id, invitation.SenderAwsAccountId,
      invitation.SenderCompanyName, invitation.EngagementTitle, invitation.InvitationMessage or "",
      offer.Customer and offer.Customer.CompanyName or "-", offer.Project and offer.Project.Title or "-", invitation.ExpirationDate)
    local task = start_engagement_by_accepting_invitation_task{ Identifier = invitation.Id, ClientToken = "rehearse-co-sell/" .. invitation.Id }
    local entry = { invitation = invitation.Id, engagement = invitation.EngagementId, sender = invitation.SenderAwsAccountId,
      task = task.TaskId, status = task.TaskStatus, opportunity = task.OpportunityId, reason = task.ReasonCode }
    if task.TaskStatus ~= "COMPLETE" then
      say("receiver", 3, "task %s %s: %s %s", task.TaskId, task.TaskStatus, task.ReasonCode or "", task.Message or "")
    else
      local own = get_opportunity(task.OpportunityId)
      say("receiver", 3, "accepted; task %s made opportunity %s: %s, %s, %s", task.TaskId, own.Id, own.Customer.Account.CompanyName,
        own.Project and own.Project.Title or "-", own.LifeCycle.ReviewStatus)
      local members = json.decode("[]")
      for member in each(list_engagement_members, { Identifier = invitation.EngagementId }) do
        members[#members + 1] = member.AccountId
      end
      say("receiver", 4, "engagement %s members: %s", invitation.EngagementId, table.concat(members, ", "))
      entry.members = members
      -- What the sender shares: the snapshots of the engagement's other opportunities, each revision once.
      entry.snapshots = json.decode("[]")
      local shown = {}
      for shared in each(list_resource_snapshots, { EngagementIdentifier = invitation.EngagementId }) do
        if shared.ResourceId ~= own.Id and not shown[shared.ResourceId] then
          shown[shared.ResourceId] = true
          for _, revision in ipairs(revisions(invitation.EngagementId, shared.ResourceId)) do
            say("receiver", 5, "%s revision %d of %s by %s: stage %s, next steps %s", TEMPLATE, revision.revision, shared.ResourceId, revision.by,
              revision.stage or "-", revision.next_steps or "-")
            revision.opportunity = shared.ResourceId
            entry.snapshots[#entry.snapshots + 1] = revision
          end
        end
      end
    end
    accepted[#accepted + 1] = entry
  end
  return { accepted = accepted }
end

return recipe{
  description = "One side of a co-selling exchange between two partners (sender, then receiver), printing what it sees",
  params = {
    side = { type = "enum", values = { "sender", "receiver" }, required = true, help = "sender invites, receiver accepts" },
    partner = { type = "string", help = "the other side's account: the receiver's (required for the sender), or the sender whose invitations the receiver accepts" },
    customer = { type = "string", default = "Example Corp", help = "the customer's company name" },
    title = { type = "string", default = "Data platform migration", help = "the project's title" },
  },
  run = function(p)
    if p.side == "sender" then
      if not p.partner or p.partner == "" then error("rehearse-co-sell: side=sender needs --param partner=ACCOUNT, the receiver's account", 0) end
      return send(p)
    end
    return receive(p)
  end,
}
