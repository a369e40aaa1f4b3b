-- opportunity-intake: turn a CSV of opportunities (one row each) into opportunities with a solution
-- associated, and submit them to AWS when asked.
--
--   engage run opportunity-intake --param csv=Recipes/samples/opportunities.csv [--param solution=S-1234567]
--     [--param submit=true] [--param involvement=Co-Sell] [--param visibility=Full] [--param skip_invalid=true]
--     [--dry-run]
--
-- The CSV has exactly these columns, in any order:
--   partner_opportunity_id,company,industry,country,state,city,postal,street,website,title,business_problem,
--   use_case,target_close_date,amount,currency,stage,closed_lost_reason,opportunity_type,next_steps
-- partner_opportunity_id (PartnerOpportunityIdentifier, the opportunity's id in your CRM) is required and
-- unique in the file: it names the row's opportunity on every run. company, industry, country, state, city,
-- postal, street and website make Customer.Account; title, business_problem (CustomerBusinessProblem) and
-- use_case (CustomerUseCase) the Project, with amount and currency as its ExpectedCustomerSpend (Frequency
-- Monthly, TargetCompany AWS); target_close_date (YYYY-MM-DD), stage, closed_lost_reason and next_steps the
-- LifeCycle; opportunity_type is OpportunityType. Empty cells are left out.
--
-- Every row is checked before anything is sent: against the model (builders and check), and against the
-- rules the service documents: target_close_date not in the past, currency USD or EUR (and given with an
-- amount), a US state written as its full name, stage "Closed Lost" only with a closed_lost_reason; with
-- submit=true also the members a submission needs (company, country, industry, website, title,
-- business_problem, amount, target_close_date). Bad rows are reported with their CSV line and field, and
-- nothing is written unless skip_invalid=true. The solution must be one the catalog lists.
--
-- Each row: CreateOpportunity with a ClientToken made from partner_opportunity_id, so the create repeated
-- after a kill (or by any later run) is replayed by the service and never makes a second opportunity;
-- AssociateOpportunity with the solution unless GetOpportunity lists it already; with submit=true,
-- SubmitOpportunity unless its ReviewStatus has left "Pending Submission". Running the same command again
-- after a failure or a kill finishes the job without repeating a write. A row edited after its opportunity
-- was made is not made again: the same command skips it as done, and any other sends it under the same
-- token, which the service refuses with ConflictException.
-- Returns { created = N, associated = N, submitted = N, invalid_rows = N,
--   opportunities = { [partner_opportunity_id] = "O…" } }, counting every valid row's opportunity, whether
-- this run or an earlier one wrote it.

local HEADER = { "partner_opportunity_id", "company", "industry", "country", "state", "city", "postal", "street",
  "website", "title", "business_problem", "use_case", "target_close_date", "amount", "currency", "stage",
  "closed_lost_reason", "opportunity_type", "next_steps" }
local KNOWN_COLUMNS = {}
for _, name in ipairs(HEADER) do KNOWN_COLUMNS[name] = true end
-- The currencies ExpectedCustomerSpend takes, as the service documents (the model's enum lists 168).
local CURRENCIES = { USD = true, EUR = true }
-- What SubmitOpportunity needs of an opportunity, by the column that gives it.
local NEEDED_TO_SUBMIT = { "company", "country", "industry", "website", "title", "business_problem", "amount", "target_close_date" }
local US_STATES = {}
for _, state in ipairs(StateOrRegion) do US_STATES[state] = true end

-- An empty cell is an absent member.
local function cell(row, name)
  local value = row[name]
  if value == nil or value == "" then return nil end
  return value
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

-- The row's name on every run: present, one line, and no longer than PartnerOpportunityIdentifier takes.
local function check_partner_id(row)
  local partner_id = cell(row, "partner_opportunity_id")
  if not partner_id then error("partner_opportunity_id: required, it names the row's opportunity on every run", 0) end
  if not utf8.len(partner_id) then error("partner_opportunity_id: not UTF-8 text", 0) end
  if utf8.len(partner_id) > 64 or partner_id:find("[\r\n]") then
    error(string.format("partner_opportunity_id: PartnerOpportunityIdentifier must be one line of at most 64 characters, got %d", utf8.len(partner_id)), 0)
  end
end

-- The rules the service documents that the model's shapes cannot say, each naming the column and the
-- member it fills. Run after the model's checks, so a date is known to be YYYY-MM-DD.
local function check_documented_rules(row, submit, today)
  local date = cell(row, "target_close_date")
  if date and date < today then
    error(string.format("target_close_date: LifeCycle.TargetCloseDate %s is in the past (today is %s)", date, today), 0)
  end
  local currency = cell(row, "currency")
  if cell(row, "amount") and not currency then error("currency: required with an amount (ExpectedCustomerSpend.CurrencyCode, USD or EUR)", 0) end
  if currency and not CURRENCIES[currency] then
    error(string.format("currency: ExpectedCustomerSpend.CurrencyCode must be USD or EUR, got '%s'", currency), 0)
  end
  local state = cell(row, "state")
  if row.country == "US" and state and not US_STATES[state] then
    error(string.format("state: Address.StateOrRegion '%s' is not a US state's full name, such as Washington", state), 0)
  end
  if row.stage == "Closed Lost" and not cell(row, "closed_lost_reason") then
    error("closed_lost_reason: required with stage Closed Lost (LifeCycle.ClosedLostReason)", 0)
  end
  if submit then
    local missing = {}
    for _, name in ipairs(NEEDED_TO_SUBMIT) do
      if not cell(row, name) then missing[#missing + 1] = name end
    end
    if #missing > 0 then error("to submit, these cells are needed: " .. table.concat(missing, ", "), 0) end
  end
end

-- The CreateOpportunity request of a row, checked against the model.
local function request_of(row)
  local spend
  if cell(row, "currency") then
    spend = { ExpectedCustomerSpend{ Amount = cell(row, "amount"), CurrencyCode = cell(row, "currency"), Frequency = "Monthly", TargetCompany = "AWS" } }
  end
  return {
    -- The row's own token: the same row sent again, by any run, is a replay of the first create.
    ClientToken = "opportunity-intake/" .. row.partner_opportunity_id,
    PartnerOpportunityIdentifier = row.partner_opportunity_id,
    OpportunityType = cell(row, "opportunity_type"),
    Customer = check("Customer", Customer{ Account = Account{
      CompanyName = cell(row, "company"), Industry = cell(row, "industry"), WebsiteUrl = cell(row, "website"),
      Address = Address{ CountryCode = cell(row, "country"), StateOrRegion = cell(row, "state"), City = cell(row, "city"),
        PostalCode = cell(row, "postal"), StreetAddress = cell(row, "street") } } }),
    Project = check("Project", Project{ Title = cell(row, "title"), CustomerBusinessProblem = cell(row, "business_problem"),
      CustomerUseCase = cell(row, "use_case"), ExpectedCustomerSpend = spend }),
    LifeCycle = check("LifeCycle", LifeCycle{ Stage = cell(row, "stage"), ClosedLostReason = cell(row, "closed_lost_reason"),
      TargetCloseDate = cell(row, "target_close_date"), NextSteps = cell(row, "next_steps") }),
  }
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

local function lists(values, wanted)
  for _, value in ipairs(values or {}) do
    if value == wanted then return true end
  end
  return false
end

return recipe{
  description = "Create opportunities from a CSV, associate a solution, and submit them when asked",
  params = {
    csv = { type = "path", required = true, help = "the CSV of opportunities, one row each" },
    solution = { type = "string", default = "S-1234567", help = "the solution to associate with every opportunity (S-…)" },
    submit = { type = "boolean", default = false, help = "submit each opportunity to AWS after associating the solution" },
    involvement = { type = "enum", values = { "Co-Sell", "For Visibility Only" }, default = "Co-Sell", help = "SubmitOpportunity's InvolvementType" },
    visibility = { type = "enum", values = { "Full", "Limited" }, default = "Full", help = "SubmitOpportunity's Visibility" },
    skip_invalid = { type = "boolean", default = false, help = "send the valid rows even when some are invalid" },
  },
  run = function(p)
    if not p.solution:match("^S%-%d+$") then
      error(string.format("parameter 'solution' must be a solution id such as S-1234567, got '%s'", p.solution), 0)
    end
    local rows = read_csv(p.csv)
    check_header(p.csv, rows)

    -- Check every row first.
    local today = now():sub(1, 10)
    local valid, first_line, invalid = {}, {}, 0
    for _, row in ipairs(rows) do
      local ok, request = pcall(function()
        check_partner_id(row)
        local earlier = first_line[row.partner_opportunity_id]
        if earlier then error(string.format("partner_opportunity_id: '%s' is also on line %d", row.partner_opportunity_id, earlier), 0) end
        local request = request_of(row)
        check_documented_rules(row, p.submit, today)
        return request
      end)
      if ok then
        first_line[row.partner_opportunity_id] = row._line
        valid[#valid + 1] = { row = row, request = request }
      else
        invalid = invalid + 1
        local err = request
        if type(err) == "table" then err.item = label(p.csv, row) ; err = tostring(err) else err = label(p.csv, row) .. ": " .. tostring(err) end
        log(err)
      end
    end
    if invalid > 0 and not p.skip_invalid then
      error(string.format("%s: %d of %d rows are invalid (listed above); nothing was written. Fix them, or run with --param skip_invalid=true to send the valid rows.", p.csv, invalid, #rows), 0)
    end
    local solutions = list_solutions{ Identifier = { p.solution } }.SolutionSummaries
    if #solutions == 0 then error(string.format("solution %s is not among the catalog's solutions; nothing was written", p.solution), 0) end

    -- One item per row: a repeated run skips the rows that finished and replays the rest.
    local created, associated, submitted, opportunities = 0, 0, 0, {}
    for done, entry in ipairs(valid) do
      local row = entry.row
      local result = item(row.partner_opportunity_id, function()
        local id = create_opportunity(entry.request).Id
        local opportunity = get_opportunity(id)
        -- Associating a solution twice is refused, so a run after a kill looks first.
        if not lists(opportunity.RelatedEntityIdentifiers.Solutions, p.solution) then
          associate_opportunity{ OpportunityIdentifier = id, RelatedEntityType = "Solutions", RelatedEntityIdentifier = p.solution }
        end
        local status = opportunity.LifeCycle and opportunity.LifeCycle.ReviewStatus
        if p.submit and status == "Pending Submission" then
          submit_opportunity{ Identifier = id, InvolvementType = p.involvement, Visibility = p.visibility }
          status = "Submitted"
        end
        log(string.format("%s: %s -> %s (%s)", label(p.csv, row), row.partner_opportunity_id, id, status))
        return { opportunity = id, review_status = status, submitted = p.submit and status ~= "Pending Submission" }
      end, label(p.csv, row))
      created, associated = created + 1, associated + 1
      if result.submitted then submitted = submitted + 1 end
      opportunities[row.partner_opportunity_id] = result.opportunity
      progress(done, #valid)
    end
    return { created = created, associated = associated, submitted = submitted, invalid_rows = invalid, opportunities = opportunities }
  end,
}
