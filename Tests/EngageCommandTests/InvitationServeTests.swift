import EngageTestSupport
import Foundation
import OrderedJSON
import Testing

/// Two partners through one `engage serve`: boto3 signs as alice and as bob, plays both sides of an
/// invitation, and sees it expire when `engage sandbox clock` moves the store's clock.
@Suite(.tags(.process, .interop), .enabled(if: Botocore.isAvailable, "needs python3 with boto3 and its partnercentral-selling model"), .timeLimit(.minutes(2)))
struct InvitationServeTests {
    static let invite = #"""
        def invite(c, engagement, receiver):
            return c.create_engagement_invitation(Catalog='Sandbox', ClientToken='invite-' + engagement, EngagementIdentifier=engagement, Invitation={
                'Message': 'Join us on Acme', 'Receiver': {'Account': {'AwsAccountId': receiver}},
                'Payload': {'OpportunityInvitation': {
                    'ReceiverResponsibilities': ['Co-Sell Facilitator'],
                    'Customer': {'Industry': 'Retail', 'CompanyName': 'Acme', 'WebsiteUrl': 'https://acme.example.com', 'CountryCode': 'US'},
                    'Project': {'Title': 'Lakehouse', 'BusinessProblem': 'Nightly reports take eleven hours to build', 'TargetCompletionDate': '2099-01-31',
                                'ExpectedCustomerSpend': [{'Amount': '1000', 'CurrencyCode': 'USD', 'Frequency': 'Monthly', 'TargetCompany': 'AWS'}]}}}})['Id']
        """#

    @Test func boto3PlaysBothSidesAndAnInvitationExpiresWhenTheClockMoves() throws {
        let server = try ServedSandbox()
        let first = try server.python(Self.invite + "\n" + #"""
            alice, bob = client(ALICE), client(BOB)
            engagement = alice.create_engagement(Catalog='Sandbox', ClientToken='e-1', Title='Acme', Description='Lakehouse')['Id']
            # A token is the caller's own: bob's e-1 is not alice's.
            bobs = bob.create_engagement(Catalog='Sandbox', ClientToken='e-1', Title='Bob', Description='His own')['Id']
            accepted_id = invite(alice, engagement, 'bob')
            received = bob.list_engagement_invitations(Catalog='Sandbox', ParticipantType='RECEIVER')['EngagementInvitationSummaries']
            task = bob.start_engagement_by_accepting_invitation_task(Catalog='Sandbox', ClientToken='accept-1', Identifier=accepted_id)
            opportunity = bob.get_opportunity(Catalog='Sandbox', Identifier=task['OpportunityId'])
            members = alice.list_engagement_members(Catalog='Sandbox', Identifier=engagement)['EngagementMemberList']
            # A second engagement's invitation to bob stays pending, for the clock to expire.
            other = alice.create_engagement(Catalog='Sandbox', ClientToken='e-2', Title='Globex', Description='Plant data')['Id']
            pending_id = invite(alice, other, 'bob')
            out({'separate': bobs != engagement, 'received': [(s['Id'], s['Status'], s['SenderAwsAccountId']) for s in received], 'accepted': accepted_id, 'pending': pending_id,
                 'task': task['TaskStatus'], 'company': opportunity['Customer']['Account']['CompanyName'],
                 'members': [m['AccountId'] for m in members], 'status': bob.get_engagement_invitation(Catalog='Sandbox', Identifier=accepted_id)['Status']})
            """#)
        #expect(first["received"] == [[first["accepted"] ?? .null, "PENDING", "alice"]])
        #expect(first["separate"] == true)
        #expect(first["task"] == "COMPLETE")
        #expect(first["company"] == "Acme")
        #expect(first["members"] == ["alice", "bob"])
        #expect(first["status"] == "ACCEPTED")
        let moved = try runEngage(["sandbox", "clock", "--advance", "16d", "--store", server.store])
        #expect(moved.status == 0, "\(moved.stderr)")
        let later = try server.python(#"""
            bob = client(BOB)
            expired = bob.list_engagement_invitations(Catalog='Sandbox', ParticipantType='RECEIVER', Status=['EXPIRED'])['EngagementInvitationSummaries']
            late = failure(lambda: bob.accept_engagement_invitation(Catalog='Sandbox', Identifier='\#(first["pending"]?.stringValue ?? "")'))
            out({'expired': [s['Id'] for s in expired], 'late': late['code'] if late else None})
            """#)
        #expect(later["expired"] == [first["pending"] ?? .null])
        #expect(later["late"] == "ValidationException")
    }

    /// Snapshots through boto3: the receiver's opportunity shared with a running job, revision 2 after a
    /// change and none after a write that changes nothing; a running job refuses deletion, a stopped one goes;
    /// tags round-trip on the job.
    @Test func boto3SeesSnapshotRevisionsFollowTheOpportunity() throws {
        let server = try ServedSandbox()
        let result = try server.python(Self.invite + "\n" + #"""
            import copy
            alice, bob = client(ALICE), client(BOB)
            engagement = alice.create_engagement(Catalog='Sandbox', ClientToken='e-1', Title='Acme', Description='Lakehouse')['Id']
            task = bob.start_engagement_by_accepting_invitation_task(Catalog='Sandbox', ClientToken='a-1', Identifier=invite(alice, engagement, 'bob'))
            oid = task['OpportunityId']
            subject = dict(Catalog='Sandbox', EngagementIdentifier=engagement, ResourceType='Opportunity', ResourceIdentifier=oid,
                           ResourceSnapshotTemplateIdentifier='OpportunitySummary')
            job = bob.create_resource_snapshot_job(ClientToken='j-1', Tags=[{'Key': 'team', 'Value': 'emea'}], **subject)
            bob.start_resource_snapshot_job(Catalog='Sandbox', ResourceSnapshotJobIdentifier=job['Id'])
            def update(change):
                read = bob.get_opportunity(Catalog='Sandbox', Identifier=oid)
                request = {k: copy.deepcopy(read[k]) for k in ('Customer', 'Project', 'LifeCycle') if k in read}
                change(request)
                bob.update_opportunity(Catalog='Sandbox', Identifier=oid, LastModifiedDate=read['LastModifiedDate'], **request)
            def revisions():
                return [s['Revision'] for s in bob.list_resource_snapshots(Catalog='Sandbox', EngagementIdentifier=engagement)['ResourceSnapshotSummaries']]
            started = revisions()
            update(lambda r: r['LifeCycle'].update(NextSteps='Workshop on Monday'))
            changed = revisions()
            update(lambda r: None)
            unchanged = revisions()
            latest = bob.get_resource_snapshot(**subject)
            running = failure(lambda: bob.delete_resource_snapshot_job(Catalog='Sandbox', ResourceSnapshotJobIdentifier=job['Id']))
            tags = bob.list_tags_for_resource(ResourceArn=job['Arn'])['Tags']
            bob.stop_resource_snapshot_job(Catalog='Sandbox', ResourceSnapshotJobIdentifier=job['Id'])
            bob.delete_resource_snapshot_job(Catalog='Sandbox', ResourceSnapshotJobIdentifier=job['Id'])
            out({'started': started, 'changed': changed, 'unchanged': unchanged, 'next': latest['Payload']['OpportunitySummary']['Lifecycle'].get('NextSteps'),
                 'running': running['code'] if running else None, 'tags': tags,
                 'jobs': bob.list_resource_snapshot_jobs(Catalog='Sandbox')['ResourceSnapshotJobSummaries']})
            """#)
        #expect(result["started"] == [1])
        #expect(result["changed"] == [1, 2])
        #expect(result["unchanged"] == [1, 2])
        #expect(result["next"] == "Workshop on Monday")
        #expect(result["running"] == "ConflictException")
        #expect(result["tags"] == [["Key": "team", "Value": "emea"]])
        #expect(result["jobs"] == [])
    }
}
