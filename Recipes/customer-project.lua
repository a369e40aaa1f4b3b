-- customer-project: open an engagement with a CustomerProject context (the customer and the project it
-- is about) from parameters.
--
--   engage run customer-project --param title="Acme data platform" --param description="Joint pilot" \
--     --param company="Acme" --param industry="Retail" --param country=US \
--     --param website=https://www.acme.example --param project_title="Lakehouse migration" \
--     --param business_problem="Nightly reports take eleven hours on the current warehouse" \
--     --param target_date=2026-03-31
--
-- title (1 to 40 characters) and description (up to 255) are the engagement's; company, industry (one of
-- the model's 28, `engage describe Industry`), country (a CountryCode such as US) and website make the
-- customer; project_title, business_problem (20 to 2000 characters) and target_date (YYYY-MM-DD, the
-- project's TargetCompletionDate) make the project. Every parameter is required, as the model requires
-- each of these members.
--
-- The customer and the project are checked against the model before anything is sent, so a bad value
-- (an industry the model lacks, a business problem of 19 characters) writes nothing. Both writes take
-- their ClientTokens from the run, so the same command run again, whole or after a failure between the
-- two writes, returns the same engagement and context instead of opening another.
-- Returns { engagement = ID, context = ID }.

local function required(help) return { type = "string", required = true, help = help } end

return recipe{
  description = "Open an engagement with a CustomerProject context: the customer and its project",
  params = {
    title = required("the engagement's title, 1 to 40 characters"),
    description = required("the engagement's description, up to 255 characters"),
    company = required("the customer's company name"),
    industry = required("the customer's industry, one of the 28 that engage describe Industry lists"),
    country = required("the customer's CountryCode, such as US or DE"),
    website = required("the customer's website, such as https://www.example.com"),
    project_title = required("the project's title"),
    business_problem = required("the customer's business problem, 20 to 2000 characters"),
    target_date = required("the project's target completion date, YYYY-MM-DD"),
  },
  run = function(p)
    local customer = check("EngagementCustomer", EngagementCustomer{
      CompanyName = p.company, Industry = p.industry, CountryCode = p.country, WebsiteUrl = p.website })
    local project = check("EngagementCustomerProjectDetails", EngagementCustomerProjectDetails{
      Title = p.project_title, BusinessProblem = p.business_problem, TargetCompletionDate = p.target_date })

    local e = create_engagement{ Title = p.title, Description = p.description }
    local c = create_context{ EngagementIdentifier = e.Id, Type = "CustomerProject",
      Payload = { CustomerProject = CustomerProjectsContext{ Customer = customer, Project = project } } }
    log(string.format("%s: %s, CustomerProject context %s (%s)", p.title, e.Id, c.ContextId, p.company))
    return { engagement = e.Id, context = c.ContextId }
  end,
}
