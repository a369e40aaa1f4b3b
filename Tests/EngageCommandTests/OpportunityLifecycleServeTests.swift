import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// The opportunity lifecycle as boto3 and the AWS CLI run it against `engage serve`: every answer parsed by
/// botocore with its own model, every refusal an error of the service's shape.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3 with boto3 and its partnercentral-selling model"), .timeLimit(.minutes(2)))
struct OpportunityLifecycleServeTests {
    static let opportunity = #"""
        import copy

        def opportunity(token, company='Acme'):
            return dict(Catalog='Sandbox', ClientToken=token,
                Customer={'Account': {'CompanyName': company, 'Industry': 'Software and Internet', 'WebsiteUrl': 'https://acme.example.com',
                                      'Address': {'CountryCode': 'US', 'PostalCode': '10001', 'StateOrRegion': 'New York'}}},
                Project={'Title': 'Data platform', 'CustomerBusinessProblem': 'Reports take a week to build by hand',
                         'ExpectedCustomerSpend': [{'Amount': '5000', 'CurrencyCode': 'USD', 'Frequency': 'Monthly', 'TargetCompany': 'AWS'}]},
                LifeCycle={'Stage': 'Prospect', 'TargetCloseDate': '2099-06-30'})

        def update_from(read, **changes):
            """The UpdateOpportunity request that leaves `read` as it is, with `changes` applied to LifeCycle or Project."""
            request = {k: copy.deepcopy(read[k]) for k in ('Catalog', 'PrimaryNeedsFromAws', 'NationalSecurity', 'PartnerOpportunityIdentifier', 'Customer',
                                             'Project', 'OpportunityType', 'Marketing', 'SoftwareRevenue', 'LifeCycle') if k in read}
            request['Identifier'] = read['Id']
            request['LastModifiedDate'] = read['LastModifiedDate']
            for path, value in changes.items():
                outer, inner = path.split('__')
                request.setdefault(outer, {})[inner] = value
            return request
        """#

    @Test func boto3RunsTheLifecycleEndToEnd() throws {
        let server = try ServedSandbox()
        let result = try server.python(Self.opportunity + "\n" + #"""
            c = client()
            created = c.create_opportunity(**opportunity('t-1'))
            oid = created['Id']
            first = c.get_opportunity(Catalog='Sandbox', Identifier=oid)
            c.update_opportunity(**update_from(first, Project__Title='Data platform v2'))
            stale = failure(lambda: c.update_opportunity(**update_from(first, Project__Title='Lost write')))
            c.associate_opportunity(Catalog='Sandbox', OpportunityIdentifier=oid, RelatedEntityType='Solutions', RelatedEntityIdentifier='S-1234567')
            c.submit_opportunity(Catalog='Sandbox', Identifier=oid, InvolvementType='Co-Sell', Visibility='Full')
            submitted = c.get_opportunity(Catalog='Sandbox', Identifier=oid)
            read_only = failure(lambda: c.update_opportunity(**update_from(submitted, Project__Title='Changed while submitted')))
            c.update_opportunity(**update_from(submitted, LifeCycle__ReviewStatus='Approved', LifeCycle__ReviewComments='Approved in the sandbox'))
            approved = c.get_opportunity(Catalog='Sandbox', Identifier=oid)
            locked = failure(lambda: c.update_opportunity(**update_from(approved, Project__Title='Renamed')))
            summary = c.get_aws_opportunity_summary(Catalog='Sandbox', RelatedOpportunityIdentifier=oid)
            c.create_opportunity(**opportunity('t-2', company='Globex'))
            c.create_opportunity(**opportunity('t-3', company='Initech'))
            pages = c.get_paginator('list_opportunities').paginate(Catalog='Sandbox', LifeCycleReviewStatus=['Pending Submission'],
                                                                   PaginationConfig={'PageSize': 1})
            pending = [s['Customer']['Account']['CompanyName'] for page in pages for s in page['OpportunitySummaries']]
            out({'id': oid, 'first': first['LifeCycle']['ReviewStatus'], 'stale': stale, 'submitted': submitted['LifeCycle']['ReviewStatus'],
                 'readOnly': read_only, 'approved': approved['LifeCycle']['ReviewStatus'], 'comments': approved['LifeCycle'].get('ReviewComments'),
                 'title': approved['Project']['Title'], 'locked': locked, 'summary': {k: summary[k] for k in ('InvolvementType', 'Visibility', 'Origin')},
                 'solutions': approved['RelatedEntityIdentifiers']['Solutions'], 'pending': pending})
            """#)
        #expect(result["first"] == "Pending Submission")
        #expect(result["stale"]?["code"] == "ConflictException")
        #expect(result["submitted"] == "Submitted")
        #expect(result["readOnly"]?["code"] == "ValidationException")
        #expect(result["readOnly"]?["response"]?["Reason"] == "BUSINESS_VALIDATION_FAILED")
        #expect(result["readOnly"]?["response"]?["ErrorList"]?.arrayValue?.first?["FieldName"] == "Project.Title")
        #expect(result["approved"] == "Approved")
        #expect(result["comments"] == "Approved in the sandbox")
        #expect(result["title"] == "Data platform v2")
        #expect(result["locked"]?["response"]?["ErrorList"]?.arrayValue?.first?["FieldName"] == "Project.Title")
        #expect(result["summary"] == ["InvolvementType": "Co-Sell", "Visibility": "Full", "Origin": "Partner Referral"])
        #expect(result["solutions"] == ["S-1234567"])
        #expect(result["pending"] == ["Globex", "Initech"])
    }

    @Test func theAWSCLIGetsAndListsOpportunities() throws {
        let server = try ServedSandbox()
        let id = try #require(try server.python(Self.opportunity + "\n" + #"""
            out(client().create_opportunity(**opportunity('t-1'))['Id'])
            """#).stringValue)
        let environment = server.isolated(["AWS_ACCESS_KEY_ID": ServedSandbox.alice.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.alice.secret])
        let cli = { (arguments: [String]) in
            try runProgram(Botocore.python, ["aws", "partnercentral-selling"] + arguments + [
                "--endpoint-url", server.endpoint, "--region", "us-east-1", "--catalog", "Sandbox", "--output", "json",
            ], environment: environment)
        }
        let got = try cli(["get-opportunity", "--identifier", id])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(try JSONValue(parsing: got.stdout)["LifeCycle"]?["ReviewStatus"] == "Pending Submission")
        let listed = try cli(["list-opportunities"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(try JSONValue(parsing: listed.stdout)["OpportunitySummaries"]?.arrayValue?.map { $0["Id"] } == [.string(id)])
        // Alice's opportunity is hers: signed as bob, the CLI finds none.
        let asBob = server.isolated(["AWS_ACCESS_KEY_ID": ServedSandbox.bob.key, "AWS_SECRET_ACCESS_KEY": ServedSandbox.bob.secret])
        let hidden = try runProgram(Botocore.python, [
            "aws", "partnercentral-selling", "get-opportunity", "--identifier", id, "--endpoint-url", server.endpoint, "--region", "us-east-1",
            "--catalog", "Sandbox",
        ], environment: asBob)
        #expect(hidden.stderr.contains("(ResourceNotFoundException) when calling the GetOpportunity operation"), "\(hidden.stderr)")
    }

    /// Tags through boto3: on an opportunity (given at create) and an engagement, listed back; 201 tags in
    /// one request are refused and nothing is written.
    @Test func boto3TagsAnOpportunityAndAnEngagement() throws {
        let server = try ServedSandbox()
        let result = try server.python(Self.opportunity + "\n" + #"""
            c = client()
            request = opportunity('t-1')
            request['Tags'] = [{'Key': 'team', 'Value': 'emea'}]
            oid = c.create_opportunity(**request)['Id']
            arn = c.get_opportunity(Catalog='Sandbox', Identifier=oid)['Arn']
            engagement = c.create_engagement(Catalog='Sandbox', ClientToken='e-1', Title='Acme', Description='Pilot')['Arn']
            for resource in (arn, engagement):
                c.tag_resource(ResourceArn=resource, Tags=[{'Key': 'stage', 'Value': 'pilot'}])
            c.untag_resource(ResourceArn=arn, TagKeys=['team'])
            too_many = failure(lambda: c.tag_resource(ResourceArn=engagement, Tags=[{'Key': 'k%d' % i, 'Value': 'v'} for i in range(201)]))
            out({'opportunity': c.list_tags_for_resource(ResourceArn=arn)['Tags'],
                 'engagement': c.list_tags_for_resource(ResourceArn=engagement)['Tags'], 'tooMany': too_many})
            """#)
        #expect(result["opportunity"] == [["Key": "stage", "Value": "pilot"]])
        #expect(result["engagement"] == [["Key": "stage", "Value": "pilot"]])
        #expect(result["tooMany"]?["code"] == "ValidationException", "\(result)")
    }
}
