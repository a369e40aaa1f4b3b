-- lead-intake: turn a CSV of leads into engagements with a Lead context each.
-- usage: engage run Recipes/lead-intake.lua [leads.csv]   (default: Recipes/samples/leads.csv)
-- columns: Company, Industry, Country, State, Contact First Name, Contact Last Name, Title, Email,
--          Source, Action, Notes

local path = arg[1] or "Recipes/samples/leads.csv"
local created = 0

for _, row in ipairs(read_csv(path)) do
  -- Builders check each value where it is made, so a bad cell names its line in the CSV.
  local ok, err = pcall(function()
    local customer = LeadCustomer{
      CompanyName = row.Company,
      Industry = row.Industry ~= "" and row.Industry or nil,
      Address = AddressSummary{ CountryCode = row.Country, StateOrRegion = row.State ~= "" and row.State or nil },
    }
    local interaction = LeadInteraction{
      SourceType = "Event", SourceId = uuid(), SourceName = row.Source, CustomerAction = row.Action,
      BusinessProblem = #row.Notes >= 20 and row.Notes or nil,
      Contact = LeadContact{ FirstName = row["Contact First Name"], LastName = row["Contact Last Name"],
        BusinessTitle = row.Title, Email = row.Email },
    }
    local engagement = create_engagement{ Title = row.Company:sub(1, 40), Description = "Lead from " .. row.Source }
    create_context{ EngagementIdentifier = engagement.Id, Type = "Lead",
      Payload = { Lead = LeadContext{ Customer = customer, Interactions = { interaction } } } }
    log(string.format("%s:%d: %s -> %s", path, row._line, row.Company, engagement.Id))
  end)
  if ok then
    created = created + 1
  else
    log(string.format("%s:%d: skipped: %s", path, row._line, tostring(err)))
  end
end

print(string.format("%d engagements created from %s", created, path))
