-- rehearse-co-sell: one side of a co-selling exchange between two partners, to learn the flow; each step
-- prints what that side sees.
--
--   engage serve --credentials-file team.json        # its file names alice and bob, one store for both
--   (signed as alice) engage run rehearse-co-sell --endpoint-url http://127.0.0.1:PORT --param side=sender --param partner=bob
--   (signed as bob)   engage run rehearse-co-sell --endpoint-url http://127.0.0.1:PORT --param side=receiver --param partner=alice
--
-- A recipe runs as one identity (the key that signs its requests), so the exchange is two runs, one per
-- side, the sender's first:
--   side=sender: creates the opportunity to co-sell (customer, project, expected spend), an engagement for
--   it, and an opportunity invitation to partner (the receiver's account: an AWS account id, or a name of
--   engage serve's credentials file); then reads the invitation back as the sender sees it (PENDING, when
--   it expires).
--   side=receiver: lists the PENDING invitations it received (from partner when given), and accepts each
--   through StartEngagementByAcceptingInvitationTask, which makes the receiver's own opportunity from the
--   invitation; then reads that opportunity and the engagement's members.
-- customer and title name the customer and the project; another value makes another exchange.
--
-- Every create takes its ClientToken from the run and each acceptance "rehearse-co-sell/" and the
-- invitation id, so the same command run again (or after a kill) replays rather than repeating: the
-- sender gets the same engagement and invitation back, the receiver finds nothing left to accept.
-- Returns, for the sender, { opportunity, engagement, invitation, status, expires }; for the receiver,
-- { accepted = { { invitation, engagement, sender, task, status, opportunity, reason, members }, … } }.

local CLOSE_DATE = "2099-12-31"
local PROBLEM = "Nightly reports take eleven hours to build on the current warehouse"

local function say(side, step, text, ...)
  print(string.format("[%s] %d. " .. text, side, step, ...))
end

local function send(p)
  local spend = { { Amount = "5000", CurrencyCode = "USD", Frequency = "Monthly", TargetCompany = "AWS" } }
  local o = create_opportunity{
    Customer = { Account = { CompanyName = p.customer, Industry = "Retail", WebsiteUrl = "https://www.example.com", Address = { CountryCode = "US" } } },
    Project = { Title = p.title, CustomerBusinessProblem = PROBLEM, ExpectedCustomerSpend = spend },
    LifeCycle = { TargetCloseDate = CLOSE_DATE },
  }
  say("sender", 1, "created opportunity %s: %s, %s", o.Id, p.customer, p.title)
  local e = create_engagement{ Title = truncate(p.customer .. ": " .. p.title, 40), Description = "Co-selling " .. p.title .. " with " .. p.partner }
  say("sender", 2, "created engagement %s (%s); you are its only member", e.Id, e.Arn)
  local invitation = create_engagement_invitation{ EngagementIdentifier = e.Id, Invitation = {
    Message = "Join us on " .. p.title .. " for " .. p.customer,
    Receiver = { Account = { AwsAccountId = p.partner } },
    Payload = { OpportunityInvitation = { ReceiverResponsibilities = { "Co-Sell Facilitator" },
      Customer = { CompanyName = p.customer, Industry = "Retail", WebsiteUrl = "https://www.example.com", CountryCode = "US" },
      Project = { Title = p.title, BusinessProblem = PROBLEM, TargetCompletionDate = CLOSE_DATE, ExpectedCustomerSpend = spend } } },
  } }
  local sent = get_engagement_invitation{ Identifier = invitation.Id }
  say("sender", 3, "invited %s: invitation %s is %s until %s", p.partner, sent.Id, sent.Status, sent.ExpirationDate)
  return { opportunity = o.Id, engagement = e.Id, invitation = sent.Id, status = sent.Status, expires = sent.ExpirationDate }
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
