import AWSTransport
import Core
import Foundation
import OrderedJSON
import Scripting
import Testing

/// engage's HTTP transport against the stand-in endpoint, which checks every signature with botocore.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable), .timeLimit(.minutes(2)))
struct HTTPTransportTests {
    func service(_ server: StandInServer, credentials: AWSCredentials = StandInServer.credentials, retry: RetryPolicy = .standard,
                 rate: Double? = nil, timeout: Duration = .seconds(20)) -> HTTPEngagementService {
        HTTPEngagementService(endpoint: server.endpoint, credentials: credentials,
            retry: RetryPolicy(maxAttempts: retry.maxAttempts, baseDelay: .milliseconds(10)), maxRequestsPerSecond: rate, attemptTimeout: timeout)
    }

    static func get(_ id: String) -> GetEngagementRequest { GetEngagementRequest(catalog: "AWS", identifier: id) }

    static func update(_ id: String) throws -> UpdateEngagementContextRequest {
        try UpdateEngagementContextRequest(wire: [
            "Catalog": "AWS", "EngagementIdentifier": .string(id), "ContextIdentifier": "1",
            "EngagementLastModifiedAt": "2025-06-30T12:00:00Z", "Type": "Lead",
            "Payload": ["Lead": ["Customer": ["CompanyName": "Acme", "Industry": "Retail", "Address": ["CountryCode": "US"]]]],
        ], at: "")
    }

    @Test func aThrottledCallSucceedsAfterARetryAndEveryRequestVerifies() async throws {
        let server = try await StandInServer.start()
        let response = try await service(server).getEngagement(Self.get("eng-throttleonce01"))
        let received = await server.stop()
        #expect(received.count == 2)
        #expect(received.allSatisfy { $0["verified"] == true })
        #expect(received.allSatisfy { $0["target"] == "AWSPartnerCentralSelling.GetEngagement" && $0["contentType"] == "application/x-amz-json-1.0" })
        #expect(response.id == "eng-throttleonce01")
        // Every digit the service sent is kept.
        #expect(response.createdAt?.text == "2025-06-30T12:00:00.123456789Z")
        #expect(response.modifiedAt?.text == "2025-06-30T12:00:01.000000001Z")
    }

    @Test func aTimestampWithAnOffsetIsKeptAsTheServiceWroteIt() async throws {
        let server = try await StandInServer.start()
        let response = try await service(server).getEngagement(Self.get("eng-offsettime0001"))
        _ = await server.stop()
        #expect(response.createdAt?.text == "2025-06-30T14:00:00.5+02:00")
        #expect(response.modifiedAt?.text == "2025-06-30T14:00:01+02:00")
        // Its instant is still the one the sandbox would store in UTC.
        #expect(response.modifiedAt?.inUTC.text == "2025-06-30T12:00:01Z")
    }

    @Test func sessionCredentialsSendTheirTokenSigned() async throws {
        let server = try await StandInServer.start()
        let created = try await service(server, credentials: StandInServer.sessionCredentials).createEngagement(
            CreateEngagementRequest(catalog: "AWS", clientToken: "token-1", title: "Acme", description: "Pilot"))
        let received = await server.stop()
        #expect(created.id == "eng-standin0000001")
        #expect(received.first?["verified"] == true)
        #expect(received.first?["token"] == .string(StandInServer.sessionCredentials.sessionToken!))
    }

    @Test func aConflictIsNotRetriedAndLosesItsNamespace() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server).updateEngagementContext(try Self.update("eng-conflict000001")) }
        #expect(await server.stop().count == 1)
        #expect(error == ServiceError(code: "ConflictException", message: "The engagement was modified since EngagementLastModifiedAt"))
    }

    @Test func aValidationExceptionArrivesWithTheSandboxsFields() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) {
            _ = try await service(server).createEngagement(CreateEngagementRequest(catalog: "AWS", clientToken: "t", title: "invalid", description: "d"))
        }
        #expect(await server.stop().count == 1)
        #expect(error == ServiceError(code: "ValidationException", message: "1 validation error", reason: .businessValidationFailed,
            errorList: [ValidationExceptionError(fieldName: "Title", message: "is taken", code: .duplicateKeyValue)]))
    }

    @Test func aProxysHTMLPageIsAClearErrorAfterTheRetries() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server).getEngagement(Self.get("eng-badgateway0001")) }
        #expect(await server.stop().count == 3)
        #expect(error?.code == "502")
        #expect(error?.message == "HTTP 502 Bad Gateway from \(server.url), not the service's JSON error document (text/html: 502 Bad Gateway Bad Gateway) (gave up after 3 attempts)")
    }

    @Test func anAnswerPastSixteenMebibytesIsRefusedAndNotRetried() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server).getEngagement(Self.get("eng-hugeanswer0001")) }
        #expect(await server.stop().count == 1)
        #expect(error?.code == "ResponseParserError")
        #expect(error?.message == "the answer of \(server.url) to GetEngagement is larger than 16 MiB")
    }

    @Test func aServerFaultIsRetriedOnce() async throws {
        let server = try await StandInServer.start()
        _ = try await service(server).getEngagement(Self.get("eng-servererror001"))
        #expect(await server.stop().count == 2)
    }

    @Test func throttlingStopsAtTheAttemptCount() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server, retry: RetryPolicy(maxAttempts: 2)).getEngagement(Self.get("eng-throttlealways")) }
        #expect(await server.stop().count == 2)
        #expect(error?.code == "ThrottlingException")
        #expect(error?.message == "Rate exceeded (gave up after 2 attempts)")
    }

    @Test func theErrorTypeHeaderNamesAnErrorWithAnEmptyBody() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server).getEngagement(Self.get("eng-headeronly0001")) }
        #expect(await server.stop().count == 1)
        #expect(error?.code == "ResourceNotFoundException")
    }

    @Test func aWrongSecretIsRefusedAndNotRetried() async throws {
        let server = try await StandInServer.start()
        let wrong = AWSCredentials(accessKeyId: StandInServer.credentials.accessKeyId, secretAccessKey: "not-the-secret")
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server, credentials: wrong).getEngagement(Self.get("eng-standin0000001")) }
        let received = await server.stop()
        #expect(received.count == 1)
        #expect(received.first?["verified"] == false)
        #expect(error?.code == "InvalidSignatureException")
        #expect(error?.message.contains("not-the-secret") == false)
    }

    @Test func aSlowAnswerTimesOutAndIsRetried() async throws {
        let server = try await StandInServer.start()
        let error = await #expect(throws: ServiceError.self) {
            _ = try await service(server, retry: RetryPolicy(maxAttempts: 2), timeout: .milliseconds(300)).getEngagement(Self.get("eng-slowanswer0001"))
        }
        #expect(await server.stop().count == 2)
        #expect(error?.code == "ReadTimeoutError")
    }

    @Test func nobodyListeningIsAConnectionErrorAfterTheRetries() async throws {
        let server = try await StandInServer.start()
        await server.stop()
        let error = await #expect(throws: ServiceError.self) { _ = try await service(server).getEngagement(Self.get("eng-standin0000001")) }
        #expect(error?.code == "EndpointConnectionError")
        // In words, not NIO's error dump ("connection reset (error set): Connection refused (errno: 111)").
        #expect(error?.message == "GetEngagement: cannot connect to \(server.url): connection refused (gave up after 3 attempts)")
    }

    @Test func theRateLimitPacesEachOperation() async throws {
        let server = try await StandInServer.start()
        let limited = service(server, rate: 4)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<6 { _ = try await limited.getEngagement(Self.get("eng-standin0000001")) }
        let elapsed = start.duration(to: clock.now)
        #expect(await server.stop().count == 6)
        // Four at once, then one every 250 ms.
        #expect(elapsed >= .milliseconds(450))
    }

    /// An operation beyond the engagement ones goes out signed (botocore verifies it) and comes back typed;
    /// one whose model gives no output answers `{}`.
    @Test func everyOperationOfTheModelIsSentAndItsAnswerRead() async throws {
        let server = try await StandInServer.start()
        let transport = service(server)
        let page = try await transport.listOpportunities(ListOpportunitiesRequest(catalog: "AWS"))
        let submitted = try await transport.submitOpportunity(SubmitOpportunityRequest(catalog: "AWS", identifier: "O1001", involvementType: .coSell))
        let received = await server.stop()
        #expect(page.opportunitySummaries.map(\.id) == ["O1001"])
        #expect(page.nextToken == "page-2")
        #expect(submitted == EmptyResponse())
        #expect(received.map { $0["target"] } == ["AWSPartnerCentralSelling.ListOpportunities", "AWSPartnerCentralSelling.SubmitOpportunity"])
        #expect(received.allSatisfy { $0["verified"] == true })
    }

    /// `each` follows the token to the end: a page that is empty but returns a token is not the end.
    @Test func eachWalksEveryPageOfAListUntilNoTokenComes() async throws {
        let server = try await StandInServer.start()
        let engine = ScriptEngine(service: service(server), catalog: "AWS")
        let outcome = await engine.run("""
            local ids = {}
            for o in each(list_opportunities, { MaxResults = 5 }) do ids[#ids + 1] = o.Id end
            return table.concat(ids, ",")
            """, chunkName: "=test")
        let received = await server.stop()
        #expect(outcome == .returned(["O1001,O1002,O1003"]))
        #expect(received.count == 3, "one request a page")
        // The ids the pages carried are there for the REPL to complete (get_opportunity("O…).
        #expect(engine.idsSeen() == ["O1001", "O1002", "O1003"])
    }

    /// As the SDKs do: a throttled create_opportunity is sent again with the same ClientToken and succeeds;
    /// update_opportunity on a stale LastModifiedDate raises ConflictException as an error value.
    @Test func aThrottledCreateIsRetriedAndAStaleUpdateIsAConflictValue() async throws {
        let server = try await StandInServer.start()
        let engine = ScriptEngine(service: service(server), catalog: "AWS")
        let outcome = await engine.run("""
            local o = create_opportunity{ Origin = "Partner Referral", PartnerOpportunityIdentifier = "crm-42" }
            local ok, e = pcall(update_opportunity, { Identifier = o.Id, LastModifiedDate = "2025-06-30T00:00:00Z" })
            local fresh = update_opportunity{ Identifier = o.Id, LastModifiedDate = o.LastModifiedDate }
            return o.Id, ok, e.code, e.retryable, fresh.LastModifiedDate
            """, chunkName: "=test")
        let received = await server.stop()
        #expect(outcome == .returned(["O2001", false, "ConflictException", true, "2025-07-02T00:00:00Z"]))
        #expect(received.map { $0["target"]?.stringValue ?? "" } == [
            "AWSPartnerCentralSelling.CreateOpportunity", "AWSPartnerCentralSelling.CreateOpportunity",
            "AWSPartnerCentralSelling.UpdateOpportunity", "AWSPartnerCentralSelling.UpdateOpportunity",
        ])
        #expect(received.allSatisfy { $0["verified"] == true })
    }

    /// modify_opportunity hands fn the update that keeps the opportunity as read (Id as Identifier, the members
    /// UpdateOpportunity takes), sends what fn returns with the LastModifiedDate it read, and after a conflict
    /// reads again and retries.
    @Test func modifyOpportunityReadsChangesAndRetriesAConflict() async throws {
        let server = try await StandInServer.start()
        let engine = ScriptEngine(service: service(server), catalog: "AWS")
        let outcome = await engine.run("""
            local seen = {}
            local answer = modify_opportunity("O3001", function(request)
              seen[#seen + 1] = request.LastModifiedDate
              local count = tonumber(request.Project.AdditionalComments:match("count=(%d+)"))
              request.Project.AdditionalComments = "count=" .. (count + 1)
              return request
            end, { base_delay_ms = 1 })
            local unchanged = modify_opportunity("O1001", function(request) return request end)
            return answer.Attempts, table.concat(seen, ","), unchanged.Unchanged, request == nil
            """, chunkName: "=test")
        let received = await server.stop()
        #expect(outcome == .returned([2, "2025-06-01T00:00:00Z,2025-07-01T00:00:00Z", true, true]))
        let updates = received.filter { $0["target"] == "AWSPartnerCentralSelling.UpdateOpportunity" }
        #expect(updates.count == 2)
        let sent = try #require(updates.last?["body"])
        #expect(sent["Identifier"] == "O3001")
        #expect(sent["LastModifiedDate"] == "2025-07-01T00:00:00Z")
        #expect(sent["Project"] == ["Title": "Data platform", "AdditionalComments": "count=5"])
        // Members GetOpportunity answers but UpdateOpportunity does not take are not sent.
        #expect(sent["Id"] == nil && sent["Arn"] == nil && sent["CreatedDate"] == nil && sent["RelatedEntityIdentifiers"] == nil)
        #expect(sent["LifeCycle"]?["Stage"] == "Prospect")
        #expect(received.filter { $0["target"] == "AWSPartnerCentralSelling.GetOpportunity" }.count == 3)
    }
}
