-- export: write every engagement of the catalog, contexts included, to a JSON or CSV file.
--
--   engage run export --param out=engagements.json [--param format=json|csv] [--param page_size=20]
--
-- Pages through ListEngagements (page_size engagements a page, 1 to 100, oldest first) and reads each
-- engagement with GetEngagement, so its contexts come along.
--   json: an array of the GetEngagement responses (members by name, as json.encode writes them).
--   csv:  RFC 4180 (CRLF line ends; a cell with a comma, a quote or a line break is quoted, its quotes
--         doubled), with the header
--           id,title,description,created_at,modified_at,context_types,lead_company,lead_interactions,qualification_status
--         one row per engagement: context_types lists its contexts' types in order, joined by ';'; the
--         lead_* columns and qualification_status describe its first Lead context and are empty without one.
-- The file is written next to out and renamed over it at the end, so a failed run leaves out as it was;
-- with --dry-run nothing is written. It only reads the service. Returns { engagements = N, out = PATH,
-- written = true|false }.

local CSV_COLUMNS = { "id", "title", "description", "created_at", "modified_at", "context_types",
  "lead_company", "lead_interactions", "qualification_status" }

local function csv_cell(value)
  local text = tostring(value or "")
  if text:find('[,"\r\n]') then return '"' .. text:gsub('"', '""') .. '"' end
  return text
end

-- One line of the file; cells may be nil (an empty cell), so the columns are counted, not the cells.
local function csv_row(cells)
  local quoted = {}
  for i = 1, #CSV_COLUMNS do quoted[i] = csv_cell(cells[i]) end
  return table.concat(quoted, ",") .. "\r\n"
end

local function first_lead(engagement)
  for _, context in ipairs(engagement.Contexts or {}) do
    if context.Type == "Lead" and context.Payload and context.Payload.Lead then return context.Payload.Lead end
  end
end

local function csv_of(engagement)
  local types = {}
  for i, context in ipairs(engagement.Contexts or {}) do types[i] = context.Type end
  local lead = first_lead(engagement)
  return csv_row{ engagement.Id, engagement.Title, engagement.Description, engagement.CreatedAt, engagement.ModifiedAt,
    table.concat(types, ";"), lead and lead.Customer and lead.Customer.CompanyName,
    lead and #(lead.Interactions or {}), lead and lead.QualificationStatus }
end

-- Writes text to a file beside path, then renames it over path.
local function write_file(path, text)
  local partial = path .. ".partial"
  local file = assert(io.open(partial, "wb"))
  local ok, err = file:write(text)
  file:close()
  if not ok then os.remove(partial) ; error(string.format("cannot write %s: %s", partial, err), 0) end
  assert(os.rename(partial, path))
end

return recipe{
  description = "Write every engagement, contexts included, to a JSON or CSV file",
  params = {
    out = { type = "path", output = true, required = true, help = "the file to write (its folder must exist)" },
    format = { type = "enum", values = { "json", "csv" }, default = "json", help = "json: GetEngagement responses; csv: one row per engagement" },
    page_size = { type = "number", default = 20, min = 1, max = 100, integer = true, help = "engagements per ListEngagements page" },
  },
  run = function(p)
    local engagements = json.decode("[]")   -- an array, so that no engagements is written as []
    local token
    repeat
      local page = list_engagements{ MaxResults = p.page_size, NextToken = token }
      for _, summary in ipairs(page.EngagementSummaryList) do
        engagements[#engagements + 1] = get_engagement(summary.Id)
        progress(#engagements)
      end
      token = page.NextToken
    until token == nil

    local text
    if p.format == "json" then
      text = json.encode(engagements, true) .. "\n"
    else
      local rows = { csv_row(CSV_COLUMNS) }
      for _, engagement in ipairs(engagements) do rows[#rows + 1] = csv_of(engagement) end
      text = table.concat(rows)
    end
    if dry_run then
      log(string.format("dry run: %d engagements would be written to %s as %s", #engagements, p.out, p.format))
      return { engagements = #engagements, out = p.out, written = false }
    end
    write_file(p.out, text)
    log(string.format("%d engagements written to %s as %s", #engagements, p.out, p.format))
    return { engagements = #engagements, out = p.out, written = true }
  end,
}
