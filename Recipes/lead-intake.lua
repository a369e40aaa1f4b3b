-- lead-intake: turn a CSV of leads (one row per interaction) into one engagement with one Lead context
-- per company, its interactions in file order.
--
--   engage run lead-intake --param csv=Recipes/samples/leads.csv [--param skip_invalid=true] [--dry-run]
--
-- The CSV has exactly this header:
--   company,industry,country,website,segment,city,state,postal,first_name,last_name,email,title,phone,
--   source_type,source_id,source_name,action,date,use_case
-- The company columns (industry, country, website, segment, city, state, postal) make the Lead's
-- customer, taken from the company's first row; every row is one interaction: its contact (first_name,
-- last_name, email, title, phone), source_type/source_id/source_name, action (CustomerAction), date
-- (InteractionDate: ISO 8601, or a YYYY-MM-DD day) and use_case (Usecase). Empty cells are left out.
--
-- The engagement's Title is the company and its Description "Lead from " and the first row's source_name,
-- cut to the model's 40 and 255 characters (truncate counts characters, never splitting one).
--
-- Every row is checked against the model before anything is sent: bad rows (a cell that is not UTF-8
-- among them) are reported with their CSV line and field, and nothing is written unless
-- skip_invalid=true. A row that append_interaction would take for an earlier row of its company
-- (same_interaction: every member alike, the date as an instant when the row gives one) is the same
-- interaction: it is reported as "line N: same interaction as line M, skipped" and not sent. A company
-- with more than 10 interactions (the model's limit on a lead) is reported and its rows past the tenth
-- are not sent.
-- Running the same command again after a failure or a kill finishes the job without repeating a write.
-- Returns { engagements = N, interactions = N (sent), invalid_rows = N, duplicate_rows = N, rows_over_quota = N }.

local HEADER = { "company", "industry", "country", "website", "segment", "city", "state", "postal",
  "first_name", "last_name", "email", "title", "phone", "source_type", "source_id", "source_name",
  "action", "date", "use_case" }
local MAX_INTERACTIONS = 10
local KNOWN_COLUMNS = {}
for _, name in ipairs(HEADER) do KNOWN_COLUMNS[name] = true end

-- An empty cell is an absent member.
local function cell(row, name)
  local value = row[name]
  if value == nil or value == "" then return nil end
  return value
end

-- A day alone (2025-06-30) is taken as midnight UTC of that day.
local function timestamp(text)
  if text and text:match("^%d%d%d%d%-%d%d%-%d%d$") then return text .. "T00:00:00Z" end
  return text
end

local function check_header(path, rows)
  local first = rows[1]
  if not first then error(path .. ": no rows after the header", 0) end
  for _, name in ipairs(HEADER) do
    if first[name] == nil then error(string.format("%s: the header has no column '%s'; it must be: %s", path, name, table.concat(HEADER, ",")), 0) end
  end
  for name in pairs(first) do
    if name ~= "_line" and not KNOWN_COLUMNS[name] then
      error(string.format("%s: unknown column '%s'; the header must be: %s", path, name, table.concat(HEADER, ",")), 0)
    end
  end
end

local function customer_of(row)
  return check("LeadCustomer", LeadCustomer{
    CompanyName = cell(row, "company"), Industry = cell(row, "industry"), WebsiteUrl = cell(row, "website"),
    MarketSegment = cell(row, "segment"),
    Address = AddressSummary{ CountryCode = cell(row, "country"), City = cell(row, "city"),
      StateOrRegion = cell(row, "state"), PostalCode = cell(row, "postal") },
  })
end

local function interaction_of(row)
  return check("LeadInteraction", LeadInteraction{
    SourceType = cell(row, "source_type"), SourceId = cell(row, "source_id"), SourceName = cell(row, "source_name"),
    CustomerAction = cell(row, "action"), InteractionDate = timestamp(cell(row, "date")), Usecase = cell(row, "use_case"),
    Contact = LeadContact{ FirstName = cell(row, "first_name"), LastName = cell(row, "last_name"),
      Email = cell(row, "email"), BusinessTitle = cell(row, "title"), Phone = cell(row, "phone") },
  })
end

-- The engagement a company's first row opens, cut to the model's lengths by characters.
local function engagement_of(row)
  return { Title = truncate(row.company, 40), Description = truncate("Lead from " .. row.source_name, 255) }
end

-- A cell as a message shows it: its text, and each byte that is not UTF-8 as \xE9.
local function shown(text)
  local parts, at = {}, 1
  while true do
    local length, bad = utf8.len(text, at)
    if length then
      parts[#parts + 1] = text:sub(at)
      return table.concat(parts)
    end
    parts[#parts + 1] = text:sub(at, bad - 1) .. string.format("\\x%02X", text:byte(bad))
    at = bad + 1
  end
end

local function label(path, row)
  return string.format("%s line %d (%s)", path, row._line, row.company ~= "" and shown(row.company) or "no company")
end

return recipe{
  description = "Import leads from a CSV: one engagement and Lead context per company, one interaction per row",
  params = {
    csv = { type = "path", required = true, help = "the CSV of leads, one row per interaction" },
    skip_invalid = { type = "boolean", default = false, help = "send the valid rows even when some are invalid" },
  },
  run = function(p)
    local rows = read_csv(p.csv)
    check_header(p.csv, rows)

    -- Check every row first; group the valid ones by company, in file order.
    local companies, order, invalid, duplicates, over_quota = {}, {}, 0, 0, 0
    for _, row in ipairs(rows) do
      local ok, customer, interaction, engagement = pcall(function() return customer_of(row), interaction_of(row), engagement_of(row) end)
      if not ok then
        invalid = invalid + 1
        local err = customer
        if type(err) == "table" then err.item = label(p.csv, row) ; err = tostring(err) else err = label(p.csv, row) .. ": " .. tostring(err) end
        log(err)
      else
        local company = companies[row.company]
        if not company then
          company = { name = row.company, first = row, customer = customer, engagement = engagement, interactions = {}, lines = {} }
          companies[row.company] = company
          order[#order + 1] = company
        end
        local earlier
        for i, kept in ipairs(company.interactions) do
          -- append_interaction's own rule: what it would take as already appended is a repeat here.
          if same_interaction(kept, interaction) then earlier = company.lines[i] ; break end
        end
        if earlier then
          duplicates = duplicates + 1
          log(string.format("%s: same interaction as line %d, skipped", label(p.csv, row), earlier))
        elseif #company.interactions < MAX_INTERACTIONS then
          company.interactions[#company.interactions + 1] = interaction
          company.lines[#company.lines + 1] = row._line
        else
          over_quota = over_quota + 1
          log(string.format("%s: not sent: %s already has %d interactions, the most a lead holds", label(p.csv, row), row.company, MAX_INTERACTIONS))
        end
      end
    end
    if invalid > 0 and not p.skip_invalid then
      error(string.format("%s: %d of %d rows are invalid (listed above); nothing was written. Fix them, or run with --param skip_invalid=true to send the valid rows.", p.csv, invalid, #rows), 0)
    end

    -- One item per company: a repeated run skips the companies that finished and replays the rest.
    local interactions = 0
    for done, company in ipairs(order) do
      local result = item(company.name, function()
        local e = create_engagement(company.engagement)
        local c = create_context{ EngagementIdentifier = e.Id, Type = "Lead",
          Payload = { Lead = LeadContext{ Customer = company.customer, Interactions = { company.interactions[1] } } } }
        for i = 2, #company.interactions do
          append_interaction(e.Id, c.ContextId, company.interactions[i])
        end
        log(string.format("%s: %s -> %s (%d interactions)", label(p.csv, company.first), company.name, e.Id, #company.interactions))
        return { company = company.name, engagement = e.Id, context = c.ContextId, interactions = #company.interactions }
      end, label(p.csv, company.first))
      interactions = interactions + result.interactions
      progress(done, #order)
    end
    return { engagements = #order, interactions = interactions, invalid_rows = invalid, duplicate_rows = duplicates,
      rows_over_quota = over_quota }
  end,
}
