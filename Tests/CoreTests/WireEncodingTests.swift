import Core
import CoreTestSupport
import Testing

@Suite(.tags(.unit)) struct WireEncodingTests {
    @Test func aLeadPayloadRoundTripsUnchangedTimestampDigitsIncluded() throws {
        let request = try CreateEngagementContextRequest(wire: Fixtures.createLeadContext, at: "")
        guard case .lead(let lead) = request.payload else {
            Issue.record("expected a Lead payload")
            return
        }
        #expect(lead.customer.industry == .retail)
        #expect(lead.customer.address.countryCode == .us)
        #expect(lead.interactions[0].interactionDate == Timestamp("2025-06-30T14:05:09.123456789Z"))
        #expect(lead.interactions[0].contact.phone == "+14155550100")
        let body = AWSJSON.encode(request)
        #expect(String(decoding: body, as: UTF8.self) == Fixtures.createLeadContext.serialized())
        #expect(try AWSJSON.decode(CreateEngagementContextRequest.self, from: body) == request)
    }

    @Test func responsesToleratesNullsAndUnknownMembersAndKeepEveryDigit() throws {
        let body = """
            {"Id":"eng-0123456789abcd","Arn":"arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement/eng-0123456789abcd",
             "Title":"Acme","Description":null,"CreatedAt":"2025-07-01T08:00:00.123456789Z","CreatedBy":"123456789012",
             "MemberCount":2,"ModifiedAt":"2025-07-01T09:30:15.000000001Z","ModifiedBy":"123456789012",
             "Contexts":[{"Id":"1","Type":"Lead","Payload":{"Lead":{"Customer":{"CompanyName":"Acme","Address":{"CountryCode":"US"}},
               "Interactions":[{"SourceType":"Event","SourceId":"e1","SourceName":"Summit","CustomerAction":"Demo",
               "Contact":{"BusinessTitle":"CTO","Email":"a@b.example","FirstName":"A","LastName":"B"},"Sentiment":"warm"}]}}}],
             "SomethingNew":{"nested":[1,2,3]}}
            """
        let response = try AWSJSON.decode(GetEngagementResponse.self, from: Array(body.utf8))
        #expect(response.description == nil)
        #expect(response.memberCount == 2)
        #expect(response.modifiedAt?.text == "2025-07-01T09:30:15.000000001Z")
        #expect(response.createdAt?.components?.fractionDigits == "123456789")
        let wire = response.wire
        #expect(wire["Description"] == nil)
        #expect(wire["SomethingNew"] == nil)
        #expect(wire["ModifiedAt"] == "2025-07-01T09:30:15.000000001Z")
        #expect(wire["Contexts"]?.arrayValue?.first?["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.first?["Sentiment"] == nil)
    }

    @Test func theModifiedAtTextGoesBackUnchangedInAnUpdate() throws {
        let reply = #"{"EngagementId":"eng-0123456789abcd","EngagementArn":"arn:aws:x","EngagementLastModifiedAt":"2025-07-01T09:30:15.987654321Z","ContextId":"1"}"#
        let response = try AWSJSON.decode(UpdateEngagementContextResponse.self, from: Array(reply.utf8))
        var update = try UpdateEngagementContextRequest(wire: Fixtures.updateLeadContext, at: "")
        update.engagementLastModifiedAt = response.engagementLastModifiedAt
        let body = String(decoding: AWSJSON.encode(update), as: UTF8.self)
        #expect(body.contains(#""EngagementLastModifiedAt":"2025-07-01T09:30:15.987654321Z""#))
    }

    @Test func aUnionWithZeroOrTwoMembersDoesNotDecode() {
        let both = Fixtures.createLeadContext.setting(["Payload", "CustomerProject"], to: Fixtures.customerProjectContext["Payload"]!["CustomerProject"]!)
        #expect(throws: WireDecodingError(path: "Payload", message: "exactly one member must be set, found Lead, CustomerProject")) {
            try CreateEngagementContextRequest(wire: both, at: "")
        }
        #expect(throws: WireDecodingError(path: "Payload", message: "exactly one member must be set, found none")) {
            try CreateEngagementContextRequest(wire: Fixtures.createLeadContext.setting(["Payload"], to: [:]), at: "")
        }
    }

    @Test func aUnionMemberFromANewerServiceIsKept() throws {
        let payload: JSONValue = ["Opportunity": ["Stage": "Prospect"]]
        let decoded = try EngagementContextPayload(wire: payload, at: "Payload")
        #expect(decoded == .unknown(member: "Opportunity", value: ["Stage": "Prospect"]))
        #expect(decoded.wire == payload)
    }

    @Test func decodingNamesTheFieldThatDoesNotFit() {
        let bad = Fixtures.createLeadContext.setting(["Payload", "Lead", "Interactions", 0, "Contact"], to: "Jane")
        #expect(throws: WireDecodingError(path: "Payload.Lead.Interactions[0].Contact", message: "expected an object, found a string")) {
            try CreateEngagementContextRequest(wire: bad, at: "")
        }
    }

    @Test func theTargetHeaderNamesTheServiceAndOperation() {
        #expect(AWSJSON.target(of: "CreateEngagement") == "AWSPartnerCentralSelling.CreateEngagement")
        #expect(AWSJSON.contentType == "application/x-amz-json-1.0")
    }

    @Test(arguments: [
        ("2025-06-30T14:05:09Z", true), ("2025-06-30T14:05:09.123456Z", true), ("2025-06-30T14:05:09.123456789Z", true),
        ("2025-06-30T14:05:09-07:00", true), ("2025-06-30t14:05:09z", true), ("2025-06-30T14:05:09.Z", false),
        ("2025-06-30T24:00:00Z", false), ("2025-02-30T10:00:00Z", false), ("2025-06-30", false), ("", false),
        ("2025-06-30T23:59:60Z", false), ("0000-01-01T00:00:00Z", false), ("2024-02-29T00:00:00Z", true),
        ("2100-02-29T00:00:00Z", false), ("2000-02-29T00:00:00Z", true), ("0001-01-01T00:00:00Z", true),
        ("9999-12-31T23:59:59.999999999Z", true), ("2025-06-30T10:00:00+24:00", false), ("2025-06-30T10:00:00+05:60", false),
    ])
    func timestampsParseOnlyAsRealInstants(_ text: String, _ valid: Bool) {
        #expect((Timestamp(text).components != nil) == valid)
    }

    @Test(arguments: [
        ("2025-06-30T10:00:00+05:30", "2025-06-30T04:30:00Z"),
        ("2025-06-30t14:05:09.120z", "2025-06-30T14:05:09.120Z"),
        ("2025-06-30T14:05:09.123456789-07:00", "2025-06-30T21:05:09.123456789Z"),
        ("2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00Z"),
        ("2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00Z"),
        ("0001-01-01T05:00:00+05:00", "0001-01-01T00:00:00Z"),
        ("2025-06-30T14:05:09Z", "2025-06-30T14:05:09Z"),
    ])
    func aTimestampKeepsItsTextAndNamesTheSameInstantInUTC(_ sent: String, _ inUTC: String) throws {
        #expect(Timestamp(sent).text == sent)
        #expect(try Timestamp(wire: .string(sent), at: "InteractionDate").text == sent)
        #expect(Timestamp(sent).inUTC.text == inUTC)
        #expect(try Timestamp(wire: .string(sent), at: "InteractionDate").inUTC.text == inUTC)
    }

    @Test(arguments: ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
    func anInstantWhoseUTCYearLeaves1To9999IsNotATimestamp(_ text: String) {
        #expect(Timestamp(text).components == nil)
        #expect(Timestamp(text).text == text)
        #expect(Timestamp(text).inUTC.text == text)
    }

    /// What the sandbox stores: every member the model types as a timestamp, at any depth, in UTC; the
    /// decoded request itself keeps what was sent.
    @Test func aRequestDocumentsTimestampsAreWrittenInUTCByTheModel() throws {
        let sent = Fixtures.createLeadContext.setting(["Payload", "Lead", "Interactions", 0, "InteractionDate"], to: "2025-06-30T10:00:00.5+05:30")
            .setting(["Payload", "Lead", "Interactions", 0, "SourceName"], to: "2025-06-30T10:00:00+05:30")
        let request = try CreateEngagementContextRequest(wire: sent, at: "")
        #expect(request.wire["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.first?["InteractionDate"] == "2025-06-30T10:00:00.5+05:30")
        let stored = request.wire.timestampsInUTC(as: "CreateEngagementContextRequest")
        let interaction = stored["Payload"]?["Lead"]?["Interactions"]?.arrayValue?.first
        #expect(interaction?["InteractionDate"] == "2025-06-30T04:30:00.5Z")
        // A string member that merely looks like a time is not the model's timestamp and stays as sent.
        #expect(interaction?["SourceName"] == "2025-06-30T10:00:00+05:30")
    }
}

@Suite(.tags(.unit)) struct ErrorDocumentTests {
    @Test func theErrorDocumentCarriesTheMessageMemberTheModelNames() {
        let error = ServiceError.requestValidation([ValidationExceptionError(fieldName: "Title", message: "must be 1 to 40 characters, got 0", code: .invalidStringFormat)])
        let document = error.wire
        #expect(document["__type"] == "ValidationException")
        #expect(document["Message"] == .string(error.message))
        #expect(document["message"] == .string(error.message))
        #expect(document["Reason"] == "REQUEST_VALIDATION_FAILED")
        #expect(document["ErrorList"]?.arrayValue?.first?["FieldName"] == "Title")
        #expect(ServiceError.conflict("another write came first").wire["Message"] == "another write came first")
    }
}
