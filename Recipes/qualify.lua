-- qualify: set a lead's QualificationStatus, keeping its customer and every interaction.
--
--   engage run qualify --param engagement=eng-0123456789abcd --param status="Qualified" [--param context=1]
--
-- status is free text of 1 to 255 characters (the model's LeadQualificationStatus), checked before
-- anything is sent; engagement and context (default "1") name the Lead context.
--
-- The write is update_lead's read-modify-write: it reads the lead, changes only its QualificationStatus
-- and sends it with the engagement's ModifiedAt; when another writer (a nurture append, say) got there
-- first, the ConflictException makes it read again and retry, so nothing that writer added is lost. A
-- lead that already has the status is not written again: that is decided on the read the write would
-- go with, so of two identical qualify runs at once exactly one writes and the other answers
-- changed = false.
-- Returns { engagement = ID, context = ID, status = TEXT, previous = TEXT or nil (the status that read
-- found), changed = true|false }.

-- Enough attempts for dozens of writers on one lead: each conflict means another writer succeeded.
local RETRY = { max_attempts = 50, base_delay_ms = 10, max_delay_ms = 500 }

return recipe{
  description = "Set a lead's QualificationStatus, safe with concurrent writers",
  params = {
    engagement = { type = "string", required = true, help = "the engagement id (eng-…)" },
    context = { type = "string", default = "1", help = "the Lead context's id" },
    status = { type = "string", required = true, help = "the new QualificationStatus, 1 to 255 characters" },
  },
  run = function(p)
    -- The builder checks the status's length at this line, before any call.
    UpdateLeadContext{ QualificationStatus = p.status }
    -- fn runs on every read, retries included; the last read is the one the outcome was decided on.
    local previous
    local response = update_lead(p.engagement, p.context, function(lead)
      previous = lead.QualificationStatus
      lead.QualificationStatus = p.status
      return lead
    end, RETRY)
    local changed = not response.Unchanged
    if changed then
      log(string.format("%s/%s: %s -> %s", p.engagement, p.context, previous or "(none)", p.status))
    else
      log(string.format("%s/%s: already %s", p.engagement, p.context, p.status))
    end
    return { engagement = p.engagement, context = p.context, status = p.status, previous = previous, changed = changed }
  end,
}
