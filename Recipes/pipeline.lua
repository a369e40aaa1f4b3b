-- pipeline: write every opportunity of the catalog with its review status, stage and AWS summary to a
-- CSV or JSON file.
--
--   engage run pipeline --param out=pipeline.json [--param format=json|csv] [--param page_size=20]
--
-- Pages through ListOpportunities (page_size opportunities a page, 1 to 100, oldest first), reads each with
-- GetOpportunity and its AWS side with GetAwsOpportunitySummary; an opportunity AWS has no summary of yet
-- (ResourceNotFoundException, as before it is submitted) gets empty AWS columns. Each opportunity is one
-- record with the members
--   id,partner_opportunity_id,company,title,stage,review_status,review_comments,target_close_date,
--   solutions,aws_stage,involvement_type,last_modified
-- where solutions lists the associated solution ids, aws_stage and involvement_type come
-- from the AWS summary and the rest from GetOpportunity (last_modified is its LastModifiedDate).
--   json: an array of objects with those members, in that order; a member without a value is null, and
--         solutions is an array.
--   csv:  RFC 4180 (CRLF line ends; a cell with a comma, a quote or a line break is quoted, its quotes
--         doubled), that header and one row per opportunity; a member without a value is an empty cell,
--         and the solutions are joined by ';'.
-- The file is written next to out and renamed over it at the end, so a failed run leaves out as it was;
-- with --dry-run nothing is written. It only reads the service. Returns { opportunities = N, out = PATH,
-- written = true|false }.

local COLUMNS = { "id", "partner_opportunity_id", "company", "title", "stage", "review_status", "review_comments",
  "target_close_date", "solutions", "aws_stage", "involvement_type", "last_modified" }

-- A list (the solutions) is one cell, its items joined by ';'.
local function csv_cell(value)
  if type(value) == "table" then value = table.concat(value, ";") end
  local text = tostring(value or "")
  if text:find('[,"\r\n]') then return '"' .. text:gsub('"', '""') .. '"' end
  return text
end

-- One line of the file; cells may be nil (an empty cell), so the columns are counted, not the cells.
local function csv_row(cells)
  local quoted = {}
  for i = 1, #COLUMNS do quoted[i] = csv_cell(cells[i]) end
  return table.concat(quoted, ",") .. "\r\n"
end

-- The AWS side of an opportunity, or nil when AWS has none yet.
local function aws_summary(id)
  local ok, answer = pcall(get_aws_opportunity_summary, { RelatedOpportunityIdentifier = id })
  if ok then return answer end
  if type(answer) == "table" and answer.code == "ResourceNotFoundException" then return nil end
  error(answer, 0)
end

-- An opportunity's record: its cells in COLUMNS' order (nil where it has no value).
local function cells_of(opportunity, aws)
  local account = opportunity.Customer and opportunity.Customer.Account or {}
  local life = opportunity.LifeCycle or {}
  -- An array even when empty, so that JSON writes it as [].
  local solutions = opportunity.RelatedEntityIdentifiers and opportunity.RelatedEntityIdentifiers.Solutions or json.decode("[]")
  return { opportunity.Id, opportunity.PartnerOpportunityIdentifier, account.CompanyName,
    opportunity.Project and opportunity.Project.Title, life.Stage, life.ReviewStatus, life.ReviewComments, life.TargetCloseDate,
    solutions, aws and aws.LifeCycle and aws.LifeCycle.Stage,
    aws and aws.InvolvementType, opportunity.LastModifiedDate }
end

-- The record as a JSON object with every member in COLUMNS' order, json.null where there is no value.
local function json_object(cells)
  local members = {}
  for i, name in ipairs(COLUMNS) do
    members[i] = json.encode(name) .. ":" .. (cells[i] == nil and "null" or json.encode(cells[i]))
  end
  return "{" .. table.concat(members, ",") .. "}"
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
  description = "Write every opportunity with its review status, stage and AWS summary to a CSV or JSON file",
  params = {
    out = { type = "path", output = true, required = true, help = "the file to write (its folder must exist)" },
    format = { type = "enum", values = { "json", "csv" }, default = "json", help = "json: an array of objects; csv: one row per opportunity" },
    page_size = { type = "number", default = 20, min = 1, max = 100, integer = true, help = "opportunities per ListOpportunities page" },
  },
  run = function(p)
    local records = {}
    local oldest_first = { SortBy = "CreatedDate", SortOrder = "ASCENDING" }
    for summary in each(list_opportunities, { MaxResults = p.page_size, Sort = oldest_first }) do
      local opportunity = get_opportunity(summary.Id)
      records[#records + 1] = cells_of(opportunity, aws_summary(opportunity.Id))
      progress(#records)
    end

    local text
    if p.format == "json" then
      local objects = {}
      for i, cells in ipairs(records) do objects[i] = "  " .. json_object(cells) end
      text = #objects == 0 and "[]\n" or "[\n" .. table.concat(objects, ",\n") .. "\n]\n"
    else
      local rows = { csv_row(COLUMNS) }
      for _, cells in ipairs(records) do rows[#rows + 1] = csv_row(cells) end
      text = table.concat(rows)
    end
    if dry_run then
      log(string.format("dry run: %d opportunities would be written to %s as %s", #records, p.out, p.format))
      return { opportunities = #records, out = p.out, written = false }
    end
    write_file(p.out, text)
    log(string.format("%d opportunities written to %s as %s", #records, p.out, p.format))
    return { opportunities = #records, out = p.out, written = true }
  end,
}
