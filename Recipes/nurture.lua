-- nurture: append one follow-up interaction (a webinar attended, a reply to a mail) to an existing lead.
--
--   engage run nurture --param engagement=eng-0123456789abcd [--param context=1] \
--     --param source_type=Webinar --param source_id=web-2025-07 --param source_name="Data on AWS webinar" \
--     --param action="Attended and asked for pricing" --param first_name=Ada --param last_name=Lee \
--     --param email=ada@acme.example --param title=CTO [--param phone=+12065550100] \
--     [--param date=2025-07-02] [--param use_case=Migration]
--
-- engagement and context (default "1") name the Lead context. source_type, source_id, source_name and
-- action (CustomerAction) describe the interaction; first_name, last_name, email, title (BusinessTitle)
-- and the optional phone are its contact; date (InteractionDate: ISO 8601, or a YYYY-MM-DD day taken as
-- midnight UTC; the service's time of the write when left out) and use_case (Usecase) are optional.
--
-- The interaction is checked against the model before anything is sent. The append is
-- append_interaction's: it reads the lead, sends it with the engagement's ModifiedAt and, when another
-- writer got there first (ConflictException), reads again and retries, so any number of nurture, qualify
-- or other processes may write to one lead at once. The same command run again adds nothing: a lead that
-- already has this interaction (every member alike: source, action, use case, the whole contact, and the
-- same instant when date is given) is left as it is; one that differs in any of them is appended.
-- Returns { engagement = ID, context = ID, appended = true|false }.

-- Enough attempts for dozens of writers on one lead: each conflict means another writer succeeded.
local RETRY = { max_attempts = 50, base_delay_ms = 10, max_delay_ms = 500 }

-- A day alone (2025-06-30) is taken as midnight UTC of that day.
local function timestamp(text)
  if text and text:match("^%d%d%d%d%-%d%d%-%d%d$") then return text .. "T00:00:00Z" end
  return text
end

local function required(help) return { type = "string", required = true, help = help } end
local function optional(help) return { type = "string", help = help } end

return recipe{
  description = "Append one follow-up interaction to an existing lead, safe with concurrent writers",
  params = {
    engagement = required("the engagement id (eng-…)"),
    context = { type = "string", default = "1", help = "the Lead context's id" },
    source_type = required("where the interaction came from: Event, Webinar, Email, …"),
    source_id = required("the source's id, such as a campaign or event id"),
    source_name = required("the source's name"),
    action = required("what the customer did (CustomerAction)"),
    first_name = required("the contact's first name"),
    last_name = required("the contact's last name"),
    email = required("the contact's email address"),
    title = required("the contact's business title"),
    phone = optional("the contact's phone number, such as +12065550100"),
    date = optional("when it happened: ISO 8601, or YYYY-MM-DD; default the time of the write"),
    use_case = optional("the use case discussed (Usecase)"),
  },
  run = function(p)
    local interaction = check("LeadInteraction", LeadInteraction{
      SourceType = p.source_type, SourceId = p.source_id, SourceName = p.source_name, CustomerAction = p.action,
      InteractionDate = timestamp(p.date), Usecase = p.use_case,
      Contact = LeadContact{ FirstName = p.first_name, LastName = p.last_name, Email = p.email,
        BusinessTitle = p.title, Phone = p.phone },
    })
    local response = append_interaction(p.engagement, p.context, interaction, RETRY)
    local appended = not response.AlreadyAppended
    log(string.format("%s/%s: %s %s (%s)", p.engagement, p.context,
      appended and "appended" or "already has", p.source_id, p.action))
    return { engagement = p.engagement, context = p.context, appended = appended }
  end,
}
