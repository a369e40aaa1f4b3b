import Core
import Scripting
import Testing

@Suite(.tags(.unit)) struct OperationScriptTests {
    @Test func theWholeAppendStoryRunsOnTheSandbox() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            for i = 2, 10 do append_interaction(e.Id, c.ContextId, interaction("append-" .. i)) end
            local lead = get_engagement(e.Id).Contexts[1].Payload.Lead
            local ok, quota = pcall(append_interaction, e.Id, c.ContextId, interaction("eleventh"))
            local stale_ok, stale = pcall(update_context, { EngagementIdentifier = e.Id, ContextIdentifier = c.ContextId,
              EngagementLastModifiedAt = c.EngagementLastModifiedAt, Type = "Lead",
              Payload = { Lead = UpdateLeadContext{ Customer = lead.Customer } } })
            return #lead.Interactions, lead.Interactions[10].SourceId, ok, quota.code, stale_ok, stale.code, stale.retryable
            """#)
        #expect(outcome == .returned([10, "append-10", false, "ServiceQuotaExceededException", false, "ConflictException", true]))
    }

    @Test func anAppendThatMetAnotherWriterSaysHowManySendsItTook() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local alone = append_interaction(e.Id, c.ContextId, interaction("alone"))
            local interfered = false
            -- The first time fn runs, another writer appends first: the first send is stale and retried.
            local raced = update_lead(e.Id, c.ContextId, function(lead)
              if not interfered then
                interfered = true
                append_interaction(e.Id, c.ContextId, interaction("other writer"))
              end
              lead.QualificationStatus = "Qualified"
              return lead
            end)
            local lead = get_engagement(e.Id).Contexts[1].Payload.Lead
            return alone.Attempts, raced.Attempts, #lead.Interactions, lead.QualificationStatus
            """#)
        #expect(outcome == .returned([1, 2, 3, "Qualified"]))
    }

    @Test func responsesArePlainTablesWithEveryTimestampDigit() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local got = get_engagement{ Identifier = e.Id }
            return getmetatable(got) == nil, type(got.ModifiedAt), got.ModifiedAt == c.EngagementLastModifiedAt,
              #got.ModifiedAt, got.Contexts[1].Type, list_engagements{ ContextTypes = { "Lead" } }.EngagementSummaryList[1].Id == e.Id
            """#)
        #expect(outcome == .returned([true, "string", true, 27, "Lead", true]))
    }

    @Test func catalogAndClientTokenAreFilledIn() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(#"""
            local a = create_engagement{ Title = "A", Description = "B" }
            local b = create_engagement{ Title = "A", Description = "B" }
            local again = create_engagement{ Title = "A", Description = "B", ClientToken = "fixed" }
            local same = create_engagement{ Title = "A", Description = "B", ClientToken = "fixed" }
            return a.Id ~= b.Id, again.Id == same.Id, a.Arn:find(":catalog/Sandbox/", 1, true) ~= nil
            """#)
        #expect(outcome == .returned([true, true, true]))
    }

    @Test func errorValuesComeThroughPcallIntact() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(#"""
            local ok, err = pcall(function()
              return create_engagement{ Title = string.rep("t", 41), Description = "B", Colour = "red" }
            end)
            table.sort(err.fields, function(a, b) return a.FieldName < b.FieldName end)
            return ok, err.code, err.reason, err.retryable, #err.fields, err.fields[1].FieldName, err.fields[1].Code,
              err.fields[2].FieldName, err.fields[2].Code, tostring(err)
            """#)
        guard case .returned(let values) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(Array(values.prefix(9)) == [false, "ValidationException", "REQUEST_VALIDATION_FAILED", false, 2, "Colour", "INVALID_VALUE", "Title", "INVALID_STRING_FORMAT"])
        let text = values.last?.stringValue ?? ""
        #expect(text.hasPrefix("test.lua:2: ValidationException: 2 problems in the request"))
        #expect(text.contains("\n  Title: must be 1 to 40 characters, got 41"))
        #expect(text.contains("\n  Colour: unknown field 'Colour' in CreateEngagementRequest"))
    }

    @Test func anUncaughtErrorSaysFileAndLineWithATraceback() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run("local x = 1\nget_engagement('eng-00000000000000')\n")
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(message.hasPrefix("test.lua:2: ResourceNotFoundException: no engagement eng-00000000000000 in catalog Sandbox"))
        #expect(message.contains("stack traceback:"))
    }

    @Test func updateLeadAppliesAFunctionWithRetry() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            update_lead(e.Id, c.ContextId, function(lead)
              lead.QualificationStatus = "Qualified"
              lead.Customer.CompanyName = "Acme Holdings"
              lead.Interactions[#lead.Interactions + 1] = interaction("via-update-lead")
              return lead
            end)
            local lead = get_engagement(e.Id).Contexts[1].Payload.Lead
            local ok, err = pcall(update_lead, e.Id, c.ContextId, function(lead) error("no thanks") end)
            return lead.QualificationStatus, lead.Customer.CompanyName, #lead.Interactions, ok, err
            """#)
        #expect(outcome == .returned(["Qualified", "Acme Holdings", 2, false, "test.lua:20: no thanks"]))
    }

    /// With `once`, an interaction is taken as already appended only when every member it sends is stored
    /// alike: another Usecase or SourceName is another interaction; a date is compared in UTC, as stored,
    /// and a missing date matches any stored date.
    @Test func appendOnceComparesEveryMemberTheInteractionSends() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local function appended(changes)
              local new = interaction("seed")
              for k, v in pairs(changes) do new[k] = v end
              return not append_interaction(e.Id, c.ContextId, new, { once = true }).AlreadyAppended
            end
            local results = {
              appended{},
              appended{ Usecase = "Migration" },
              appended{ Usecase = "Migration" },
              appended{ Usecase = "Analytics" },
              appended{ SourceName = "AWS Summit Berlin" },
              appended{ Contact = LeadContact{ BusinessTitle = "CTO", Email = "ada@acme.example", FirstName = "Ada", LastName = "Lee", Phone = "+12065550100" } },
              appended{ InteractionDate = "2025-06-30T00:00:00Z", Usecase = "Dated" },
              appended{ InteractionDate = "2025-06-30T02:00:00+02:00", Usecase = "Dated" },
              appended{ InteractionDate = "2025-07-01T00:00:00Z", Usecase = "Dated" },
            }
            return table.unpack(results)
            """#)
        #expect(outcome == .returned([false, true, false, true, true, true, true, false, true]))
    }

    /// `same_interaction` answers as the append decides: a script can find repeats before it sends anything.
    @Test func sameInteractionIsTheRuleAppendApplies() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local function with(changes)
              local new = interaction("seed")
              for k, v in pairs(changes) do new[k] = v end
              return new
            end
            local dated = with{ InteractionDate = "2025-06-30T00:00:00Z" }
            return same_interaction(interaction("seed"), interaction("seed")),
              same_interaction(interaction("seed"), with{ Usecase = "Migration" }),
              same_interaction(dated, with{ InteractionDate = "2025-06-30T02:00:00+02:00" }),
              same_interaction(dated, interaction("seed")),
              same_interaction(interaction("seed"), dated),
              select(2, pcall(same_interaction, dated))
            """#)
        #expect(outcome == .returned([true, false, true, true, false,
                                      "bad argument #2 to 'same_interaction' (table expected, got no value)"]))
    }

    /// A callback that returns the lead as it read it sends nothing: no write, the answer says Unchanged.
    @Test func updateLeadSendsNothingWhenTheCallbackChangesNothing() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local before = get_engagement(e.Id).ModifiedAt
            local same = update_lead(e.Id, c.ContextId, function(lead) return lead end)
            local set = update_lead(e.Id, c.ContextId, function(lead) lead.QualificationStatus = "Qualified"; return lead end)
            local again = update_lead(e.Id, c.ContextId, function(lead) lead.QualificationStatus = "Qualified"; return lead end)
            return same.Unchanged, same.EngagementLastModifiedAt == before, set.Unchanged, again.Unchanged,
              again.EngagementLastModifiedAt == get_engagement(e.Id).ModifiedAt, before ~= get_engagement(e.Id).ModifiedAt
            """#)
        #expect(outcome == .returned([true, true, nil, true, true, true]))
    }

    @Test func appendRetriesAreBoundedByOptions() async throws {
        let fixture = try ScriptFixture()
        defer { fixture.remove() }
        let outcome = await fixture.run(luaHelpers + #"""
            local e, c = engagement_with_lead()
            local ok, err = pcall(append_interaction, e.Id, c.ContextId, interaction("x"), { max_attemps = 3 })
            local ok2, err2 = pcall(append_interaction, e.Id, "9", interaction("x"))
            return ok, err, ok2, err2.code
            """#)
        guard case .returned(let values) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(values[0] == false)
        #expect(values[1].stringValue?.contains("unknown option 'max_attemps' (did you mean 'max_attempts'?)") == true)
        #expect(Array(values[2...]) == [false, "ResourceNotFoundException"])
    }
}
