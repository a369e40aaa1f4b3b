import Core
import Testing

@Suite struct WireEncodingTests {
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
    ])
    func timestampsParseOnlyAsISO8601(_ text: String, _ valid: Bool) {
        #expect((Timestamp(text).components != nil) == valid)
    }
}
