import AWSTransport
import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// `engage serve` as boto3 and the AWS CLI see it: a real server (a child process on 127.0.0.1, port 0)
/// driven by the clients installed here, which sign with their own SigV4 and parse with their own model.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3 with boto3 and its partnercentral-selling model"), .timeLimit(.minutes(2)))
struct ServeCommandTests {
    static let lead = #"""
        {'Lead': {'Customer': {'CompanyName': 'Acme', 'Address': {'CountryCode': 'US'}},
                  'Interactions': [{'SourceType': 'Event', 'SourceId': 'e1', 'SourceName': 'Summit', 'CustomerAction': 'Asked for a demo',
                                    'Contact': {'BusinessTitle': 'CTO', 'Email': 'ada@acme.example', 'FirstName': 'Ada', 'LastName': 'Lee'}}]}}
        """#

    @Test func createIsRecordedAsTheSignerAndAReplayedClientTokenReturnsTheFirstId() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            c = client()
            first = c.create_engagement(Catalog='Sandbox', ClientToken='token-1', Title='Acme', Description='Pilot')
            again = c.create_engagement(Catalog='Sandbox', ClientToken='token-1', Title='Acme', Description='Pilot')
            other = failure(lambda: c.create_engagement(Catalog='Sandbox', ClientToken='token-1', Title='Globex', Description='Pilot'))
            read = c.get_engagement(Catalog='Sandbox', Identifier=first['Id'])
            listed = c.list_engagements(Catalog='Sandbox')['EngagementSummaryList']
            out({'first': first['Id'], 'again': again['Id'], 'other': other, 'createdBy': read['CreatedBy'], 'modifiedBy': read['ModifiedBy'],
                 'count': len(listed), 'requestId': first['ResponseMetadata']['RequestId']})
            """#)
        #expect(result["again"] == result["first"])
        #expect(result["first"]?.stringValue?.wholeMatch(of: /eng-[0-9a-z]{14}/) != nil)
        #expect(result["other"]?["code"] == "ConflictException")
        #expect(result["other"]?["status"] == 409)
        #expect(result["createdBy"] == "alice")
        #expect(result["modifiedBy"] == "alice")
        #expect(result["count"] == 1)
        #expect(result["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
        // The audit names the signer and the command; the replay wrote nothing, so one row.
        let log = try runEngage(["log", "--store", server.store, "--output", "json"])
        let entries = try JSONValue(parsing: log.stdout)["Entries"]?.arrayValue ?? []
        #expect(entries.count == 1)
        #expect(entries.first?["Command"] == "serve")
        #expect(entries.first?["Actor"] == "alice")
    }

    /// The seeded solutions reach boto3, whose paginator walks them.
    @Test func boto3ListsTheSandboxsSolutionsWithItsPaginator() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            c = client()
            pages = c.get_paginator('list_solutions').paginate(Catalog='Sandbox', Status=['Active'], PaginationConfig={'PageSize': 2})
            out({'ids': [s['Id'] for page in pages for s in page['SolutionSummaries']]})
            """#)
        #expect(result["ids"] == ["S-1234567", "S-2000001", "S-2000002"])
    }

    @Test func anUpdateWithTheCurrentModifiedAtSucceedsAndAStaleOneIsBotocoresConflictException() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            alice, bob = client(), client(BOB)
            e = alice.create_engagement(Catalog='Sandbox', ClientToken='t1', Title='Acme', Description='Pilot')
            ctx = alice.create_engagement_context(Catalog='Sandbox', ClientToken='t2', EngagementIdentifier=e['Id'], Type='Lead', Payload=\#(Self.lead))
            stale = ctx['EngagementLastModifiedAt']
            update = dict(Catalog='Sandbox', EngagementIdentifier=e['Id'], ContextIdentifier=ctx['ContextId'], Type='Lead',
                          Payload={'Lead': {'Customer': {'CompanyName': 'Acme Corp', 'Address': {'CountryCode': 'US'}}}})
            fresh = bob.update_engagement_context(EngagementLastModifiedAt=stale, **update)
            try:
                bob.update_engagement_context(EngagementLastModifiedAt=stale, **update)
                conflict = None
            except bob.exceptions.ConflictException as error:
                conflict = {'message': error.response['Error']['Message'], 'Message': error.response.get('Message'),
                            'status': error.response['ResponseMetadata']['HTTPStatusCode']}
            read = alice.get_engagement(Catalog='Sandbox', Identifier=e['Id'])
            out({'fresh': fresh['EngagementLastModifiedAt'], 'stale': stale, 'conflict': conflict, 'read': read})
            """#)
        #expect(result["fresh"] != result["stale"])
        #expect(result["conflict"]?["status"] == 409)
        #expect(result["conflict"]?["message"]?.stringValue?.contains("is not the engagement's current ModifiedAt") == true)
        #expect(result["conflict"]?["Message"] == result["conflict"]?["message"])
        #expect(result["read"]?["CreatedBy"] == "alice")
        #expect(result["read"]?["ModifiedBy"] == "bob")
        #expect(result["read"]?["Contexts"]?.arrayValue?.first?["Payload"]?["Lead"]?["Customer"]?["CompanyName"] == "Acme Corp")
    }

    @Test func aValidationExceptionsReasonAndErrorListReachBotocore() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            c = client()
            e = c.create_engagement(Catalog='Sandbox', ClientToken='t1', Title='Acme', Description='Pilot')
            payload = \#(Self.lead)
            payload['Lead']['Interactions'][0]['Contact']['Email'] = 'ada-at-acme'
            payload['Lead']['Customer']['Industry'] = 'Finance'
            bad = failure(lambda: c.create_engagement_context(Catalog='Sandbox', ClientToken='t2', EngagementIdentifier=e['Id'], Type='Lead', Payload=payload))
            # Without botocore's own parameter check, a request without Catalog reaches the server, which fills nothing in.
            unchecked = client(parameter_validation=False)
            no_catalog = failure(lambda: unchecked.get_engagement(Identifier=e['Id']))
            try:
                c.get_engagement(Catalog='Sandbox', Identifier='eng-00000000000000')
                missing = None
            except c.exceptions.ResourceNotFoundException as error:
                missing = {'status': error.response['ResponseMetadata']['HTTPStatusCode'], 'message': error.response['Error']['Message']}
            out({'bad': bad, 'noCatalog': no_catalog, 'missing': missing})
            """#)
        let bad = try #require(result["bad"])
        #expect(bad["code"] == "ValidationException")
        #expect(bad["status"] == 400)
        #expect(bad["response"]?["Reason"] == "REQUEST_VALIDATION_FAILED")
        let fields = bad["response"]?["ErrorList"]?.arrayValue?.compactMap { $0["FieldName"]?.stringValue }
        #expect(fields == ["Payload.Lead.Customer.Industry", "Payload.Lead.Interactions[0].Contact.Email"])
        let codes = bad["response"]?["ErrorList"]?.arrayValue?.compactMap { $0["Code"]?.stringValue }
        #expect(codes == ["INVALID_ENUM_VALUE", "INVALID_STRING_FORMAT"])
        #expect(result["noCatalog"]?["code"] == "ValidationException")
        #expect(result["noCatalog"]?["response"]?["ErrorList"]?.arrayValue?.first?["FieldName"] == "Catalog")
        #expect(result["noCatalog"]?["response"]?["ErrorList"]?.arrayValue?.first?["Code"] == "REQUIRED_FIELD_MISSING")
        #expect(result["missing"]?["status"] == 404)
        #expect(result["missing"]?["message"]?.stringValue?.contains("eng-00000000000000") == true)
    }

    @Test func theListPaginatorWalksEveryPageInCreationOrder() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            c = client()
            made = [c.create_engagement(Catalog='Sandbox', ClientToken='t%d' % i, Title='Company %d' % i, Description='Pilot')['Id'] for i in range(5)]
            pages = list(c.get_paginator('list_engagements').paginate(Catalog='Sandbox', PaginationConfig={'PageSize': 2}))
            out({'made': made, 'pages': [[s['Id'] for s in p['EngagementSummaryList']] for p in pages],
                 'tokens': ['NextToken' in p for p in pages]})
            """#)
        let made = try #require(result["made"]?.arrayValue)
        let pages = try #require(result["pages"]?.arrayValue)
        #expect(pages.map { $0.arrayValue?.count ?? 0 } == [2, 2, 1])
        #expect(pages.flatMap { $0.arrayValue ?? [] } == made)
        #expect(result["tokens"] == [true, true, false])
    }

    @Test func aWrongSecretAnUnknownKeyAndAnUnsignedRequestAreRefusedAndWriteNothing() throws {
        let server = try ServedSandbox()
        _ = try server.python(#"client().create_engagement(Catalog='Sandbox', ClientToken='t0', Title='Acme', Description='Pilot'); out(0)"#)
        let before = try server.storeContent()
        let result = try server.python(#"""
            create = lambda c: c.create_engagement(Catalog='Sandbox', ClientToken='t1', Title='Intruder', Description='x')
            wrong_secret = failure(lambda: create(client(('AKIDALICE', 'guessed'))))
            unknown_key = failure(lambda: create(client(('AKIDMALLORY', 'alice/secret+key'))))
            body = json.dumps({'Catalog': 'Sandbox', 'ClientToken': 't2', 'Title': 'Unsigned', 'Description': 'x'}).encode()
            status, document, headers = post(signed(body, sign=False))
            out({'wrongSecret': wrong_secret, 'unknownKey': unknown_key,
                 'unsigned': {'status': status, 'document': document, 'requestId': headers.get('x-amzn-RequestId')}})
            """#)
        #expect(result["wrongSecret"]?["code"] == "InvalidSignatureException")
        #expect(result["wrongSecret"]?["status"] == 403)
        #expect(result["wrongSecret"]?["message"]?.stringValue?.hasPrefix("The request signature we calculated does not match the signature you provided") == true)
        #expect(result["unknownKey"]?["code"] == "UnrecognizedClientException")
        #expect(result["unknownKey"]?["status"] == 403)
        #expect(result["unsigned"]?["status"] == 403)
        #expect(result["unsigned"]?["document"]?["__type"] == "MissingAuthenticationTokenException")
        #expect(result["unsigned"]?["requestId"]?.stringValue.flatMap(UUID.init(uuidString:)) != nil)
        #expect(try server.storeContent() == before)
        // The access log names no identity for them, and never a secret or a body.
        let refused = { (lines: [String]) in lines.filter { $0.contains(" - CreateEngagement 403 ") } }
        let log = server.lines { refused($0).count >= 3 }
        #expect(refused(log).count == 3, "\(log)")
        #expect(!log.joined().contains("guessed") && !log.joined().contains("secret") && !log.joined().contains("Intruder"))
    }

    @Test func theAWSCLIGetsAnEngagement() throws {
        let server = try ServedSandbox()
        let id = try #require(try server.python(#"""
            out(client().create_engagement(Catalog='Sandbox', ClientToken='t1', Title='Acme', Description='Pilot')['Id'])
            """#).stringValue)
        let environment = server.isolated(["AWS_ACCESS_KEY_ID": ServedSandbox.bob.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.bob.secret])
        let cli = try runProgram(Botocore.python, [
            "aws", "partnercentral-selling", "get-engagement", "--endpoint-url", server.endpoint, "--region", "us-east-1",
            "--catalog", "Sandbox", "--identifier", id, "--output", "json",
        ], environment: environment)
        #expect(cli.status == 0, "\(cli.stderr)")
        let engagement = try JSONValue(parsing: cli.stdout)
        #expect(engagement["Id"] == .string(id))
        #expect(engagement["Title"] == "Acme")
        #expect(engagement["CreatedBy"] == "alice")
        let missing = try runProgram(Botocore.python, [
            "aws", "partnercentral-selling", "get-engagement", "--endpoint-url", server.endpoint, "--region", "us-east-1",
            "--catalog", "Sandbox", "--identifier", "eng-00000000000000",
        ], environment: environment)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("(ResourceNotFoundException) when calling the GetEngagement operation"), "\(missing.stderr)")
        let read = { (line: String) in line.contains(" bob GetEngagement 200 ") }
        #expect(server.lines { $0.contains(where: read) }.contains(where: read))
    }

    @Test func requestsOfAnotherShapeAreRefusedAsTheServiceRefusesThem() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            answers = {}
            def answer(name, request):
                status, document, headers = post(request)
                answers[name] = {'status': status, 'type': document.get('__type'), 'message': document.get('message'),
                                 'errorType': headers.get('x-amzn-ErrorType')}
            answer('notJSON', signed(b'{"Catalog": "Sandbox", '))
            answer('notAnObject', signed(b'["Sandbox"]'))
            answer('unknownTarget', signed(b'{}', target='DeleteEverything'))
            answer('wrongContentType', signed(b'{}', content_type='application/json'))
            exactly = json.dumps({'Catalog': 'Sandbox', 'ClientToken': 't', 'Title': 'x' * (1024 * 1024 - 200), 'Description': 'x'}).encode()
            exactly = exactly[:-1] + b' ' * (1024 * 1024 - len(exactly)) + b'}'  # white space up to 1 MiB
            answer('oneMebibyte', signed(exactly))
            answer('tooLarge', signed(exactly + b' '))
            answer('tooLargeUnsigned', signed(b' ' * (2 * 1024 * 1024), sign=False))
            out({'answers': answers, 'sizes': [len(exactly)]})
            """#)
        let answers = try #require(result["answers"])
        #expect(result["sizes"] == [1_048_576])
        for (name, status, type) in [
            ("notJSON", 400, "SerializationException"), ("notAnObject", 400, "SerializationException"),
            ("unknownTarget", 400, "UnknownOperationException"), ("wrongContentType", 400, "UnknownOperationException"),
            ("oneMebibyte", 400, "ValidationException"), ("tooLarge", 413, "RequestEntityTooLargeException"),
            ("tooLargeUnsigned", 413, "RequestEntityTooLargeException"),
        ] {
            #expect(answers[name]?["status"] == .integer(Int64(status)), "\(name): \(answers[name] ?? .null)")
            #expect(answers[name]?["type"] == .string(type), "\(name)")
            #expect(answers[name]?["errorType"] == .string(type), "\(name)")
        }
        #expect(answers["notJSON"]?["message"]?.stringValue?.contains("not valid JSON") == true)
        #expect(answers["unknownTarget"]?["message"]?.stringValue?.contains("no operation 'DeleteEverything'") == true)
        #expect(answers["wrongContentType"]?["message"]?.stringValue?.contains("application/x-amz-json-1.0") == true)
        #expect(answers["oneMebibyte"]?["message"]?.stringValue?.contains("Title") == true)
    }

    /// botocore signs the path normalised (`.` and `..` resolved, empty segments dropped), as AWS checks it for
    /// every service but S3: the server must check it the same way, whatever the request line carries. engage's
    /// own client signs the same way.
    @Test func anEndpointURLWithDotAndEmptyPathSegmentsWorksForBoto3AndEngage() throws {
        let server = try ServedSandbox()
        let paths = ["/a/../", "//", "/x//y/./..", "/a/b/../c/"]
        let result = try server.python(#"""
            answers = {}
            for path in \#(paths.description):
                c = boto3.client('partnercentral-selling', endpoint_url=ENDPOINT + path, region_name='us-east-1',
                                 aws_access_key_id=ALICE[0], aws_secret_access_key=ALICE[1], config=Config(retries={'total_max_attempts': 1}))
                answers[path] = failure(lambda: c.get_engagement(Catalog='Sandbox', Identifier='eng-00000000000000'))
            out(answers)
            """#)
        for path in paths {
            #expect(result[path]?["code"] == "ResourceNotFoundException", "\(path): \(result[path] ?? .null)")
        }
        let engage = try runEngage(["call", "GetEngagement", #"{"Identifier": "eng-00000000000000"}"#, "--endpoint-url", server.endpoint + "/a/..//b/./"],
            environment: server.isolated(["AWS_ACCESS_KEY_ID": ServedSandbox.alice.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.alice.secret]))
        #expect(engage.stderr.hasPrefix("engage: ResourceNotFoundException:"), "\(engage.stderr)")
    }

    /// An `X-Amz-Target` added after signing is refused, so a request cannot be turned into another operation on
    /// the way; botocore signs every x-amz-* header, so its requests pass.
    @Test func anUnsignedXAmzTargetIsRefusedAsAWSRefusesIt() throws {
        let server = try ServedSandbox()
        let result = try server.python(#"""
            body = json.dumps({'Catalog': 'Sandbox', 'Identifier': 'eng-00000000000000'}).encode()
            request = AWSRequest(method='POST', url=ENDPOINT + '/', data=body, headers={'Content-Type': 'application/x-amz-json-1.0'})
            SigV4Auth(Credentials(*ALICE), 'partnercentral-selling', 'us-east-1').add_auth(request)
            request.headers['X-Amz-Target'] = 'AWSPartnerCentralSelling.GetEngagement'
            status, document, headers = post(request)
            out({'status': status, 'type': document['__type'], 'message': document['message']})
            """#)
        #expect(result["status"] == 403)
        #expect(result["type"] == "InvalidSignatureException")
        #expect(result["message"] == "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")
    }
}
