@testable import AWSTransport
import Core
import Foundation
import OrderedJSON
import Testing

/// engage's Signature Version 4 against botocore's own signer (python3 here), byte for byte, for a table of
/// requests at fixed times and keys.
@Suite(.tags(.interop)) struct SigV4Tests {
    struct Case {
        var method = "POST"
        var host = "partnercentral-selling.us-east-1.api.aws"
        var path = "/"
        var query: [(String, String)] = []
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AWSPartnerCentralSelling.GetEngagement")]
        var body = #"{"Catalog":"AWS","Identifier":"eng-0123456789abcd"}"#
        var token: String?
        var region = "us-east-1"
        var service = "partnercentral-selling"
        var date = "20250630T120000Z"
        var secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    }

    static let cases: [Case] = {
        var cases = [Case()]
        var session = Case(); session.token = "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes="; cases.append(session)
        var loopback = Case(); loopback.host = "127.0.0.1:8123"; loopback.date = "20261201T235959Z"; cases.append(loopback)
        var empty = Case(); empty.body = ""; empty.method = "GET"; cases.append(empty)
        var unicode = Case(); unicode.body = #"{"Title":"Zoë Müller GmbH — “pilot”"}"#; cases.append(unicode)
        var spaces = Case(); spaces.headers.append(("X-Custom", "  a   b  c ")); cases.append(spaces)
        var query = Case(); query.query = [("b", "2 3"), ("a", "x/y~z"), ("a", "1"), ("é", "*")]; cases.append(query)
        var path = Case(); path.path = "/some path/ünï"; cases.append(path)
        // Dot segments and empty segments are normalised away before signing, as for every service but S3.
        for dotted in ["/a/../", "//", "/a//b/./c/..", "/x/./y/", "/../a"] {
            var normalised = Case(); normalised.path = dotted; cases.append(normalised)
        }
        var region = Case(); region.region = "eu-west-1"; region.service = "sts"; region.host = "sts.eu-west-1.amazonaws.com"; cases.append(region)
        var agent = Case(); agent.headers.append(("User-Agent", "engage/0.4")); cases.append(agent)
        var newYear = Case(); newYear.date = "20251231T235959Z"; newYear.secret = "another/secret+key"; cases.append(newYear)
        return cases
    }()

    @Test func everyAuthorizationHeaderIsBotocoresOwn() throws {
        let script = #"""
            import datetime, json, sys
            import botocore.auth as auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            from urllib.parse import quote
            out = []
            for case in json.load(sys.stdin):
                auth.get_current_datetime = lambda c=case: datetime.datetime.strptime(c["date"], "%Y%m%dT%H%M%SZ")
                url = "https://" + case["host"] + quote(case["path"])
                headers = {name: value for name, value in case["headers"]}
                headers["Host"] = case["host"]
                request = AWSRequest(method=case["method"], url=url, data=case["body"].encode(), headers=headers,
                                     params=[(k, v) for k, v in case["query"]])
                auth.SigV4Auth(Credentials("AKIDEXAMPLE", case["secret"], case["token"]), case["service"], case["region"]).add_auth(request)
                out.append(request.headers["Authorization"])
            print(json.dumps(out))
            """#
        let input: JSONValue = .array(Self.cases.map { c in
            ["method": .string(c.method), "host": .string(c.host), "path": .string(c.path), "body": .string(c.body),
             "query": .array(c.query.map { .array([.string($0.0), .string($0.1)]) }),
             "headers": .array(c.headers.map { .array([.string($0.name), .string($0.value)]) }),
             "token": c.token.map(JSONValue.string) ?? .null, "region": .string(c.region), "service": .string(c.service),
             "date": .string(c.date), "secret": .string(c.secret)]
        })
        let python = try runProgram("/usr/bin/env", ["python3", "-c", script], input: input.serialized())
        let expected = try JSONValue(parsing: python).arrayValue?.compactMap(\.stringValue) ?? []
        #expect(expected.count == Self.cases.count)
        for (index, c) in Self.cases.enumerated() where index < expected.count {
            var headers = c.headers + [("Host", c.host)]
            // The path as the request line carries it: percent-encoded, as botocore's URL has it.
            let sent = c.path.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/")) ?? c.path
            SigV4(region: c.region, service: c.service).sign(
                method: c.method, path: sent, query: c.query, headers: &headers, body: Array(c.body.utf8),
                credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: c.secret, sessionToken: c.token),
                date: try #require(SigV4.date(fromTimestamp: c.date)))
            #expect(headers.first { $0.name == "Authorization" }?.value == expected[index], "case \(index)")
            #expect(headers.first { $0.name == "X-Amz-Date" }?.value == c.date)
            #expect(headers.first { $0.name == "X-Amz-Security-Token" }?.value == c.token)
        }
    }

    @Test func anAuthorizationHeaderIsReadBackIntoItsParts() throws {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250630/us-east-1/partnercentral-selling/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc123"
        let parsed = try #require(SigV4Authorization(header: header))
        #expect(parsed.accessKeyId == "AKIDEXAMPLE")
        #expect(parsed.day == "20250630")
        #expect(parsed.region == "us-east-1")
        #expect(parsed.service == "partnercentral-selling")
        #expect(parsed.signedHeaders == ["content-type", "host", "x-amz-date"])
        #expect(parsed.signature == "abc123")
        for bad in ["Basic abc", "AWS4-HMAC-SHA256 Credential=AKID/2025/us-east-1/x/aws4_request, SignedHeaders=host, Signature=1",
                    "AWS4-HMAC-SHA256 Credential=AKID/20250630/us-east-1/x/aws4_request", ""] {
            #expect(SigV4Authorization(header: bad) == nil, "\(bad)")
        }
        let spaced = "AWS4-HMAC-SHA256 \tCredential=AKID/20250630/us-east-1/x/aws4_request ,\tSignedHeaders=host ,  Signature=f00 \t"
        #expect(SigV4Authorization(header: spaced)?.signature == "f00")
        #expect(SigV4Authorization(header: spaced)?.signedHeaders == ["host"])
    }

    @Test func headerValuesFoldWhiteSpaceAsBotocoreDoes() {
        #expect(SigV4.foldingWhiteSpace("  a \t b\r\n  c  ") == "a b c")
        #expect(SigV4.foldingWhiteSpace("plain") == "plain")
        #expect(SigV4.foldingWhiteSpace("   ") == "")
        // Outside ASCII, Unicode white space (here a no-break space) folds too, as Python's str.split does.
        #expect(SigV4.foldingWhiteSpace(" caf\u{E9}\u{A0}\u{A0}cr\u{E8}me ") == "caf\u{E9} cr\u{E8}me")
    }

    @Test func anXAmzDateIsReadAsUTCAndOnlyWhenItIsARealInstant() throws {
        #expect(SigV4.date(fromTimestamp: "20250630T120000Z") == Date(timeIntervalSince1970: 1_751_284_800))
        #expect(SigV4.date(fromTimestamp: "20240229T235959Z") == Date(timeIntervalSince1970: 1_709_251_199))
        for bad in ["20251301T120000Z", "20250230T120000Z", "20250630T250000Z", "2025063OT120000Z", "20250630T120000", "20250630 120000Z", ""] {
            #expect(SigV4.date(fromTimestamp: bad) == nil, "\(bad)")
        }
    }
}

struct SigV4TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
