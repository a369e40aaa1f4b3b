@testable import AWSTransport
import Core
import Foundation
import Testing

/// The HTTP transport's pieces on their own: endpoints, error documents, the retry rules, the rate limit.
@Suite(.tags(.unit)) struct HTTPTransportPartsTests {
    @Test func theServiceEndpointIsTheModelsRuleForTheRegionsPartition() throws {
        let cases = [
            ("us-east-1", "https://partnercentral-selling.us-east-1.api.aws"),
            ("eu-west-1", "https://partnercentral-selling.eu-west-1.api.aws"),
            ("us-gov-west-1", "https://partnercentral-selling.us-gov-west-1.api.aws"),
            ("cn-north-1", "https://partnercentral-selling.cn-north-1.api.amazonwebservices.com.cn"),
            ("us-iso-east-1", "https://partnercentral-selling.us-iso-east-1.api.aws.ic.gov"),
        ]
        for (region, url) in cases {
            let endpoint = try AWSEndpoint.service(region: region)
            #expect(endpoint.description == url)
            #expect(endpoint.region == region)
            #expect(endpoint.path == "/")
        }
    }

    @Test func aRegionMustBeAHostNameLabel() {
        for bad in ["", "us east 1", "us-east-1.evil.example/", "-us-east-1", "us-east-1-", "é"] {
            #expect(throws: ServiceError.self, "\(bad)") { try AWSEndpoint.service(region: bad) }
        }
        #expect(AWSEndpoint.isValidRegion("eu-central-2"))
    }

    /// The transport the command line's settings make, with `environment` in place of the process's.
    func transport(_ settings: HTTPTransportSettings, _ environment: [String: String] = [:]) throws -> HTTPEngagementService {
        try settings.service(environment: ["HOME": "/nonexistent"].merging(environment) { $1 })
    }

    @Test func attemptsComeFromTheFlagThenAWSMaxAttempts() throws {
        let endpoint = HTTPTransportSettings(target: .endpoint("http://127.0.0.1:8123"))
        #expect(try transport(endpoint).retry.maxAttempts == 3)
        #expect(try transport(endpoint, ["AWS_MAX_ATTEMPTS": "5"]).retry.maxAttempts == 5)
        var explicit = endpoint
        explicit.maxAttempts = 1
        #expect(try transport(explicit, ["AWS_MAX_ATTEMPTS": "5"]).retry.maxAttempts == 1)
        let error = #expect(throws: ServiceError.self) { try transport(endpoint, ["AWS_MAX_ATTEMPTS": "many"]) }
        #expect(error?.message == "AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more, not 'many'")
    }

    /// The region and max_attempts are read by the reader the credential chain uses, so a profile whose name
    /// is quoted in its header (`[profile "my team"]`, as the AWS CLI writes one with a space) is found.
    @Test func aQuotedProfileGivesItsRegionAndAttempts() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("engage-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        try Data("[profile \"my team\"]\nregion = eu-west-3\nmax_attempts = 6\n".utf8).write(to: home.appendingPathComponent(".aws/config"))
        let service = try transport(HTTPTransportSettings(target: .aws, profile: "my team"), ["HOME": home.path])
        #expect(service.endpoint.region == "eu-west-3")
        #expect(service.retry.maxAttempts == 6)
    }

    /// With --aws each operation keeps to AWS's published quota: the opportunity writes AWS limits to 1 per
    /// second, CreateEngagement to 15, reads to 10; writes with no published figure at 2. --max-rps
    /// overrides them all, 0 turns pacing off, and an endpoint has none unless asked.
    @Test func theRealEndpointIsPacedToAWSsQuotasByDefaultAndAnEndpointIsNot() throws {
        let quotas = try #require(try transport(HTTPTransportSettings(target: .aws)).limiter)
        #expect(quotas.uniformRate == nil)
        let expected: [String: Double] = [
            "CreateOpportunity": 1, "UpdateOpportunity": 1, "SubmitOpportunity": 1, "AssociateOpportunity": 1, "DisassociateOpportunity": 1,
            "AssignOpportunity": 1, "RejectEngagementInvitation": 1, "StartEngagementFromOpportunityTask": 1,
            "StartEngagementByAcceptingInvitationTask": 1, "CreateEngagement": 15, "GetOpportunity": 10, "ListOpportunities": 10,
            "ListSolutions": 10, "GetEngagement": 10, "CreateEngagementContext": 2, "UpdateEngagementContext": 2, "TagResource": 2,
        ]
        for (operation, rate) in expected { #expect(quotas.rate(for: operation) == rate, "\(operation)") }
        #expect(ServiceModel.operations.allSatisfy { quotas.rate(for: $0.name) > 0 })
        let overridden = try #require(try transport(HTTPTransportSettings(target: .aws, maxRequestsPerSecond: 3)).limiter)
        #expect(overridden.uniformRate == 3 && overridden.rate(for: "CreateOpportunity") == 3)
        #expect(try transport(HTTPTransportSettings(target: .aws, maxRequestsPerSecond: 0)).limiter == nil)
        #expect(try transport(HTTPTransportSettings(target: .endpoint("http://127.0.0.1:8123"))).limiter == nil)
        #expect(try transport(HTTPTransportSettings(target: .endpoint("http://127.0.0.1:8123"), maxRequestsPerSecond: 7.5)).limiter?.uniformRate == 7.5)
        let aws = try transport(HTTPTransportSettings(target: .aws), ["AWS_REGION": "ap-northeast-1"])
        #expect(aws.endpoint.description == "https://partnercentral-selling.ap-northeast-1.api.aws")
        #expect(throws: ServiceError.self) { try transport(HTTPTransportSettings(target: .aws), ["AWS_REGION": "not a region"]) }
    }

    @Test func anExplicitEndpointKeepsItsPortAndPath() throws {
        let local = try #require(AWSEndpoint(url: "http://127.0.0.1:8123", region: "us-east-1"))
        #expect(local.hostHeader == "127.0.0.1:8123")
        #expect(local.path == "/")
        let proxied = try #require(AWSEndpoint(url: "https://gateway.example/partner/", region: "eu-west-1"))
        #expect(proxied.hostHeader == "gateway.example")
        #expect(proxied.path == "/partner/")
        #expect(AWSEndpoint(url: "https://gateway.example:443", region: "us-east-1")?.hostHeader == "gateway.example")
        for bad in ["127.0.0.1:8123", "ftp://host", "http://", "not a url", "http://host/?q=1"] {
            #expect(AWSEndpoint(url: bad, region: "us-east-1") == nil, "\(bad)")
        }
    }

    @Test func errorCodesLoseTheirNamespaceAndSuffix() {
        let cases = [
            ("ValidationException", "ValidationException"),
            ("com.amazonaws.partnercentral.selling#ConflictException", "ConflictException"),
            ("ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.service/", "ThrottlingException"),
            ("aws.protocoltests#ResourceNotFoundException:http://internal", "ResourceNotFoundException"),
        ]
        for (raw, code) in cases { #expect(AWSJSONErrorResponse.errorCode(raw) == code) }
    }

    let endpoint = AWSEndpoint(url: "http://127.0.0.1:8123", region: "us-east-1")!

    func error(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> ServiceError {
        AWSJSONErrorResponse.serviceError(status: status, reasonPhrase: "Reason", headers: headers, body: Array(body.utf8), endpoint: endpoint)
    }

    @Test func aValidationExceptionKeepsItsModeledFields() {
        let decoded = error(400, #"{"__type":"ValidationException","Message":"bad","Reason":"REQUEST_VALIDATION_FAILED","ErrorList":[{"FieldName":"Title","Message":"too long","Code":"INVALID_STRING_FORMAT"}]}"#)
        #expect(decoded == ServiceError(code: "ValidationException", message: "bad", reason: .requestValidationFailed,
            errorList: [ValidationExceptionError(fieldName: "Title", message: "too long", code: .invalidStringFormat)]))
        #expect(error(400, #"{"__type":"ConflictException","message":"lower case"}"#).message == "lower case")
        #expect(error(403, #"{"__type":"AccessDeniedException","Message":"no","Reason":"INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"}"#).message
            == "no (INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE)")
    }

    @Test func theErrorTypeHeaderNamesTheErrorWhenTheBodyDoesNot() {
        let decoded = error(404, "{}", headers: [("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/")])
        #expect(decoded.code == "ResourceNotFoundException")
        #expect(error(400, #"{"__type":"ThrottlingException"}"#, headers: [("X-Amzn-ErrorType", "Other")]).code == "ThrottlingException")
    }

    @Test func aBodyThatIsNotJSONNamesTheStatusAndTheEndpoint() {
        let decoded = error(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
            headers: [("Content-Type", "text/html")])
        #expect(decoded.code == "502")
        #expect(decoded.message == "HTTP 502 Reason from http://127.0.0.1:8123, not the service's JSON error document (text/html: 502 Bad Gateway Bad Gateway)")
    }

    @Test func retriesAreForTransientFailuresOnly() {
        let cases: [(String, Int?, Bool)] = [
            ("ThrottlingException", 400, true), ("InternalServerException", 500, true), ("ServiceUnavailable", 503, true),
            ("502", 502, true), ("504", 504, true), ("EndpointConnectionError", nil, true), ("ReadTimeoutError", nil, true),
            ("ConflictException", 409, false), ("ValidationException", 400, false), ("AccessDeniedException", 403, false),
            ("UnrecognizedClientException", 403, false), ("InvalidSignatureException", 403, false), ("ResourceNotFoundException", 404, false),
            ("ServiceQuotaExceededException", 402, false), ("ConflictException", 500, false), ("501", 501, false),
        ]
        for (code, status, transient) in cases {
            #expect(RetryPolicy.isTransient(code: code, status: status) == transient, "\(code) \(String(describing: status))")
        }
    }

    @Test func backoffIsExponentialWithFullJitterUpToTheCap() {
        let policy = RetryPolicy.standard
        #expect(policy.maxAttempts == 3)
        #expect(policy.delay(beforeRetry: 1, random: 0.999_999) < .milliseconds(100))
        #expect(policy.delay(beforeRetry: 1, random: 0.5) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 20, random: 0.5) == .seconds(10))
        #expect(policy.delay(beforeRetry: 64, random: 1) == .seconds(20))
        #expect(policy.delay(beforeRetry: 2, random: 0) == .zero)
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    @Test func theRateLimiterSpacesEachOperationOnItsOwn() async {
        let limiter = RequestRateLimiter(requestsPerSecond: 10)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<15 { await limiter.waitForTurn("CreateEngagement") }
        let limited = start.duration(to: clock.now)
        // Ten tokens at once, then one every 100 ms (a loaded machine only adds to that).
        #expect(limited >= .milliseconds(450))
        // Each operation has its own bucket: with one bucket, the last two turns here would wait a second.
        let perOperation = RequestRateLimiter(requestsPerSecond: 2)
        for _ in 0..<2 { await perOperation.waitForTurn("CreateEngagement") }
        let other = clock.now
        for _ in 0..<2 { await perOperation.waitForTurn("GetEngagement") }
        #expect(other.duration(to: clock.now) < .milliseconds(500))
    }
}
