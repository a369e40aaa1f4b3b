"""Every operation of the model, called in a sequence a partner could follow, through one of two doors:
boto3 against `engage serve` (DOOR=boto3, as alice and bob, every answer parsed by botocore) or `engage call`
on a sandbox store (DOOR=call, ENGAGE and STORE name the binary and the store; one identity, so bob's
steps are answered as refusals). Prints one JSON object: operation name -> "ok" or the error code, and the
model's operation names."""
import json, os, re, subprocess, sys

DOOR = os.environ["DOOR"]
outcomes = {}


class Failure(Exception):
    def __init__(self, code):
        self.code = code


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def call(operation, who="alice", **request):
    """The answer to `operation`, recording its outcome; None when it was refused."""
    try:
        if DOOR == "boto3":
            import botocore.exceptions
            try:
                answer = getattr(alice if who == "alice" else bob, snake(operation))(**request)
            except botocore.exceptions.ClientError as error:
                raise Failure(error.response["Error"]["Code"])
        else:
            request.pop("Catalog", None)
            result = subprocess.run([os.environ["ENGAGE"], "call", operation, json.dumps(request), "--store", os.environ["STORE"],
                                     "--output", "json"], capture_output=True, text=True, timeout=60)
            if result.returncode != 0:
                try:
                    raise Failure(json.loads(result.stderr)["__type"])
                except (ValueError, KeyError):
                    raise Failure("unreadable: " + result.stderr)
            answer = json.loads(result.stdout)
        outcomes.setdefault(operation, "ok")
        return answer
    except Failure as failure:
        outcomes[operation] = failure.code
        return None


if DOOR == "boto3":
    alice, bob = client(ALICE), client(BOB)  # noqa: F821 (the serve tests' prelude defines them)

S = dict(Catalog="Sandbox")
spend = [{"Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}]
contact = {"BusinessTitle": "CTO", "Email": "ada@acme.example", "FirstName": "Ada", "LastName": "Lee"}
interaction = {"SourceType": "Event", "SourceId": "e1", "SourceName": "Summit", "CustomerAction": "Asked for a demo", "Contact": contact}

engagement = call("CreateEngagement", **S, ClientToken="e-1", Title="Acme", Description="Lakehouse")["Id"]
call("GetEngagement", **S, Identifier=engagement)
call("ListEngagements", **S)
lead = {"Lead": {"QualificationStatus": "Qualified", "Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}}, "Interactions": [interaction]}}
context = call("CreateEngagementContext", **S, ClientToken="c-1", EngagementIdentifier=engagement, Type="Lead", Payload=lead)
modified = call("GetEngagement", **S, Identifier=engagement)["ModifiedAt"]
call("UpdateEngagementContext", **S, EngagementIdentifier=engagement, ContextIdentifier=context["ContextId"], EngagementLastModifiedAt=modified,
     Type="Lead", Payload={"Lead": {"Customer": {"CompanyName": "Acme", "Address": {"CountryCode": "US"}}, "Interaction": interaction}})
call("ListSolutions", **S)
opportunity = {"Customer": {"Account": {"Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com",
                                        "Address": {"CountryCode": "US", "PostalCode": "98101"}}},
               "Project": {"Title": "Lakehouse", "CustomerBusinessProblem": "Nightly reports take eleven hours to build", "ExpectedCustomerSpend": spend},
               "LifeCycle": {"TargetCloseDate": "2099-01-31", "Stage": "Prospect"}}
first = call("CreateOpportunity", **S, ClientToken="o-1", **opportunity)["Id"]
read = call("GetOpportunity", **S, Identifier=first)
call("UpdateOpportunity", **S, Identifier=first, LastModifiedDate=read["LastModifiedDate"], PartnerOpportunityIdentifier="crm-1", **opportunity)
call("ListOpportunities", **S)
call("AssociateOpportunity", **S, OpportunityIdentifier=first, RelatedEntityType="Solutions", RelatedEntityIdentifier="S-1234567")
call("AssociateOpportunity", **S, OpportunityIdentifier=first, RelatedEntityType="AwsProducts", RelatedEntityIdentifier="AmazonS3")
call("DisassociateOpportunity", **S, OpportunityIdentifier=first, RelatedEntityType="AwsProducts", RelatedEntityIdentifier="AmazonS3")
call("AssignOpportunity", **S, Identifier=first, Assignee={"Email": "wei.chen@example.com", "FirstName": "Wei", "LastName": "Chen",
                                                          "BusinessTitle": "PartnerAccountManager"})
task = call("StartEngagementFromOpportunityTask", **S, ClientToken="t-1", Identifier=first, AwsSubmission={"InvolvementType": "Co-Sell"})
shared = task["EngagementId"]
call("ListEngagementFromOpportunityTasks", **S)
call("GetAwsOpportunitySummary", **S, RelatedOpportunityIdentifier=first)
second = call("CreateOpportunity", **S, ClientToken="o-2", **opportunity)["Id"]
call("AssociateOpportunity", **S, OpportunityIdentifier=second, RelatedEntityType="Solutions", RelatedEntityIdentifier="S-1234567")
call("SubmitOpportunity", **S, Identifier=second, InvolvementType="For Visibility Only")
call("StartOpportunityFromEngagementTask", **S, ClientToken="t-2", Identifier=engagement, ContextIdentifier=context["ContextId"])
call("ListOpportunityFromEngagementTasks", **S)
call("ListEngagementMembers", **S, Identifier=shared)
call("ListEngagementResourceAssociations", **S, EngagementIdentifier=shared)
call("PutSellingSystemSettings", **S, ResourceSnapshotJobRoleIdentifier="SnapshotRole")
call("GetSellingSystemSettings", **S)
arn = read["Arn"]
call("TagResource", ResourceArn=arn, Tags=[{"Key": "team", "Value": "emea"}, {"Key": "stage", "Value": "pilot"}])
call("UntagResource", ResourceArn=arn, TagKeys=["stage"])
call("ListTagsForResource", ResourceArn=arn)
invitation = {"Message": "Join us", "Receiver": {"Account": {"AwsAccountId": "bob"}},
              "Payload": {"OpportunityInvitation": {"ReceiverResponsibilities": ["Co-Sell Facilitator"],
                                                    "Customer": {"Industry": "Retail", "CompanyName": "Acme", "WebsiteUrl": "https://acme.example.com",
                                                                 "CountryCode": "US"},
                                                    "Project": {"Title": "Lakehouse", "BusinessProblem": "Nightly reports take eleven hours to build",
                                                                "TargetCompletionDate": "2099-01-31", "ExpectedCustomerSpend": spend}}}}
accepted = call("CreateEngagementInvitation", **S, ClientToken="i-1", EngagementIdentifier=shared, Invitation=invitation)["Id"]
other = call("CreateEngagementInvitation", **S, ClientToken="i-2", EngagementIdentifier=engagement, Invitation=invitation)["Id"]
call("GetEngagementInvitation", **S, Identifier=accepted)
call("ListEngagementInvitations", **S, ParticipantType="SENDER")
call("ListEngagementInvitations", who="bob", **S, ParticipantType="RECEIVER")
call("RejectEngagementInvitation", who="bob", **S, Identifier=other, RejectionReason="Not our market")
call("StartEngagementByAcceptingInvitationTask", who="bob", **S, ClientToken="a-1", Identifier=accepted)
third = call("CreateEngagement", **S, ClientToken="e-3", Title="Globex", Description="Plant data")["Id"]
joined = call("CreateEngagementInvitation", **S, ClientToken="i-3", EngagementIdentifier=third, Invitation=invitation)["Id"]
call("AcceptEngagementInvitation", who="bob", **S, Identifier=joined)
call("ListEngagementByAcceptingInvitationTasks", who="bob", **S)
subject = dict(EngagementIdentifier=shared, ResourceType="Opportunity", ResourceIdentifier=first, ResourceSnapshotTemplateIdentifier="OpportunitySummary")
call("CreateResourceSnapshot", **S, ClientToken="s-1", **subject)
call("GetResourceSnapshot", **S, **subject)
call("ListResourceSnapshots", **S, EngagementIdentifier=shared)
# The task started a job of the opportunity; it is stopped and deleted, and one made again by hand.
running = task["ResourceSnapshotJobId"]
call("GetResourceSnapshotJob", **S, ResourceSnapshotJobIdentifier=running)
call("ListResourceSnapshotJobs", **S)
call("StopResourceSnapshotJob", **S, ResourceSnapshotJobIdentifier=running)
call("DeleteResourceSnapshotJob", **S, ResourceSnapshotJobIdentifier=running)
job = call("CreateResourceSnapshotJob", **S, ClientToken="j-1", **subject)["Id"]
call("StartResourceSnapshotJob", **S, ResourceSnapshotJobIdentifier=job)

import botocore.session  # noqa: E402
model = botocore.session.get_session().get_service_model("partnercentral-selling")
print(json.dumps({"outcomes": outcomes, "operations": sorted(model.operation_names)}))
