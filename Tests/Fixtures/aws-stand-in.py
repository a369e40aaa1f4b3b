"""A stand-in for the Partner Central Selling endpoint, for engage's transport tests.

Listens on 127.0.0.1 at a free port and prints the port on its first line of output. Every request's
SigV4 signature is computed again with botocore's own SigV4Auth over the headers the request says it
signed, with the fixed test credentials below; a request that does not verify is answered 403. Then the
request's Identifier (or EngagementIdentifier, or Title) picks the answer:

  eng-throttleonce01   ThrottlingException (400) the first time, then success
  eng-throttlealways   ThrottlingException every time
  eng-conflict000001   ConflictException with a namespace in __type (any UpdateEngagementContext too)
  eng-badgateway0001   a proxy's HTML 502 page
  eng-headeronly0001   404 named only by the x-amzn-ErrorType header
  eng-servererror001   InternalServerException (500) the first time, then success
  eng-slowanswer0001   success after 10 seconds (the tests' timeouts are far shorter)
  eng-accessdenied01   AccessDeniedException with a Reason
  eng-hugeanswer0001   a 17 MiB success body (past what the transport accepts)
  eng-offsettime0001   success with timestamps written with a +02:00 offset (what the client must keep as sent)

ListOpportunities answers three pages by NextToken: one opportunity and "page-2"; no opportunity and
"page-3" (a short page with a token is not the end); two opportunities and no token. SubmitOpportunity
answers {} (an operation whose model gives no output). CreateOpportunity is throttled the first time a
ClientToken is sent, then answers O2001; UpdateOpportunity answers ConflictException unless LastModifiedDate
is 2025-07-01T00:00:00Z. GetOpportunity answers an opportunity last modified 2025-07-01T00:00:00Z, except
that O3001's first read is a stale one (2025-06-01T00:00:00Z); each UpdateOpportunity's body is printed.
  Title "invalid"      ValidationException with Reason and ErrorList
  anything else        CreateEngagement and GetEngagement succeed, timestamps with nanosecond digits

With --from-model after the region it plays no scenario: it checks every request body against botocore's
own input shape for its operation (botocore's parameter validator, after reading the JSON), answers a
ValidationException naming the problems, else a response built from the operation's output shape (every
member, nested to a depth of six, then only the required ones; {} when the operation has no output).

It prints one JSON line per request received ({"target", "verified", "identifier", "contentType",
"token", and with --from-model "problems"}) and exits on SIGTERM or when its standard input ends.
"""

import datetime
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.auth as auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = "AKIDSTANDIN0000000001"
SECRET_KEY = "stand-in/secret+KEY/0000000000000000000"
SESSION_TOKEN = "stand-in-session-token//+="
REGION = sys.argv[1] if len(sys.argv) > 1 else "us-east-1"
SERVICE = "partnercentral-selling"
FROM_MODEL = "--from-model" in sys.argv[2:]

lock = threading.Lock()
seen = {}  # identifier -> requests so far


def verify(handler, body):
    """Whether the request's Authorization is the one botocore computes for it."""
    given = handler.headers.get("Authorization", "")
    if not given.startswith("AWS4-HMAC-SHA256 "):
        return False, "MissingAuthenticationTokenException"
    fields = dict(part.strip().split("=", 1) for part in given[len("AWS4-HMAC-SHA256 "):].split(","))
    scope = fields.get("Credential", "").split("/")
    if len(scope) != 5 or scope[0] != ACCESS_KEY:
        return False, "UnrecognizedClientException"
    signed = fields.get("SignedHeaders", "").split(";")
    if not {"host", "x-amz-date", "content-type", "x-amz-target"} <= set(signed):
        return False, "InvalidSignatureException"
    stamp = handler.headers.get("X-Amz-Date", "")
    token = handler.headers.get("X-Amz-Security-Token")
    if token is not None and token != SESSION_TOKEN:
        return False, "UnrecognizedClientException"
    headers = {name: handler.headers[name] for name in signed if name not in ("x-amz-date", "x-amz-security-token")}
    request = AWSRequest(method=handler.command, url="http://" + handler.headers["Host"] + handler.path, data=body, headers=headers)
    with lock:  # botocore reads the signing time from a module function, patched here per request
        auth.get_current_datetime = lambda: datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
        auth.SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY, token), SERVICE, REGION).add_auth(request)
    if request.headers["Authorization"] != given:
        return False, "InvalidSignatureException"
    return True, None


ENGAGEMENT = {
    "Id": "eng-standin0000001",
    "Arn": "arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/eng-standin0000001",
    "Title": "Stand-in",
    "CreatedAt": "2025-06-30T12:00:00.123456789Z",
    "ModifiedAt": "2025-06-30T12:00:01.000000001Z",
    "MemberCount": 1,
    "Contexts": [],
}


def answer(target, request):
    """(status, headers, body) for a verified request, by the scenarios above."""
    operation = target.split(".")[-1]
    identifier = request.get("Identifier") or request.get("EngagementIdentifier") or request.get("Title") or ""
    with lock:
        count = seen[identifier] = seen.get(identifier, 0) + 1
    json_type = [("Content-Type", "application/x-amz-json-1.0")]
    if identifier == "eng-throttleonce01" and count == 1:
        return 400, json_type, {"__type": "ThrottlingException", "message": "Rate exceeded"}
    if identifier == "eng-throttlealways":
        return 400, json_type, {"__type": "ThrottlingException", "message": "Rate exceeded"}
    if identifier == "eng-conflict000001" or operation == "UpdateEngagementContext":
        return 409, json_type, {"__type": "com.amazonaws.partnercentral.selling#ConflictException",
                                "Message": "The engagement was modified since EngagementLastModifiedAt"}
    if identifier == "eng-badgateway0001":
        return 502, [("Content-Type", "text/html")], "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    if identifier == "eng-headeronly0001":
        return 404, json_type + [("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/")], {}
    if identifier == "eng-servererror001" and count == 1:
        return 500, json_type, {"__type": "InternalServerException", "Message": "try again"}
    if identifier == "eng-slowanswer0001":
        time.sleep(10)
    if identifier == "eng-hugeanswer0001":
        return 200, json_type, dict(ENGAGEMENT, Id=identifier, Description="x" * (17 << 20))
    if identifier == "eng-offsettime0001":
        return 200, json_type, dict(ENGAGEMENT, Id=identifier, CreatedAt="2025-06-30T14:00:00.5+02:00", ModifiedAt="2025-06-30T14:00:01+02:00")
    if identifier == "eng-accessdenied01":
        return 403, json_type, {"__type": "AccessDeniedException", "Message": "not allowed", "Reason": "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"}
    if operation == "CreateEngagement" and request.get("Title") == "invalid":
        return 400, json_type, {"__type": "ValidationException:http://internal.amazon.com/coral/", "Message": "1 validation error",
                                "Reason": "BUSINESS_VALIDATION_FAILED",
                                "ErrorList": [{"FieldName": "Title", "Message": "is taken", "Code": "DUPLICATE_KEY_VALUE"}]}
    if operation == "CreateEngagement":
        return 200, json_type, {"Id": ENGAGEMENT["Id"], "Arn": ENGAGEMENT["Arn"], "ModifiedAt": ENGAGEMENT["ModifiedAt"]}
    if operation == "GetEngagement":
        return 200, json_type, dict(ENGAGEMENT, Id=identifier or ENGAGEMENT["Id"])
    if operation == "ListOpportunities":
        pages = {None: (["O1001"], "page-2"), "page-2": ([], "page-3"), "page-3": (["O1002", "O1003"], None)}
        ids, token = pages.get(request.get("NextToken"), ([], None))
        page = {"OpportunitySummaries": [{"Id": i, "Catalog": request.get("Catalog")} for i in ids]}
        if token:
            page["NextToken"] = token
        return 200, json_type, page
    if operation == "SubmitOpportunity":
        return 200, json_type, {}
    if operation == "CreateOpportunity":
        with lock:
            tries = seen["token:" + request.get("ClientToken", "")] = seen.get("token:" + request.get("ClientToken", ""), 0) + 1
        if tries == 1:
            return 400, json_type, {"__type": "ThrottlingException", "message": "Rate exceeded"}
        return 200, json_type, {"Id": "O2001", "PartnerOpportunityIdentifier": request.get("PartnerOpportunityIdentifier"),
                                "LastModifiedDate": "2025-07-01T00:00:00Z"}
    if operation == "GetOpportunity":
        stale = identifier == "O3001" and count == 1
        return 200, json_type, {
            "Catalog": request.get("Catalog"), "Id": identifier, "Arn": "arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/opportunity/" + identifier,
            "LastModifiedDate": "2025-06-01T00:00:00Z" if stale else "2025-07-01T00:00:00Z", "CreatedDate": "2025-05-01T00:00:00Z",
            "RelatedEntityIdentifiers": {"Solutions": ["S-1234567"]},
            "Project": {"Title": "Data platform", "AdditionalComments": "count=4"},
            "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission", "TargetCloseDate": "2027-06-30"}}
    if operation == "UpdateOpportunity":
        if request.get("LastModifiedDate") != "2025-07-01T00:00:00Z":
            return 409, json_type, {"__type": "ConflictException", "Message": "The opportunity was modified since LastModifiedDate"}
        return 200, json_type, {"Id": request.get("Identifier"), "LastModifiedDate": "2025-07-02T00:00:00Z"}
    return 400, json_type, {"__type": "UnknownOperationException", "message": target}


models = []


def service_model():
    """botocore's model of the service, loaded once."""
    import botocore.session
    with lock:
        if not models:
            models.append(botocore.session.get_session().get_service_model(SERVICE))
        return models[0]


def model_problems(target, request):
    """botocore's report on the request for the operation `target` names; "" when it is valid."""
    from botocore.validate import ParamValidator
    try:
        operation = service_model().operation_model(target.split(".")[-1])
    except Exception as error:
        return "no operation %s: %s" % (target, error)
    report = ParamValidator().validate(request, operation.input_shape)
    return report.generate_report() if report.has_errors() else ""


def sample(shape, depth=0):
    """A value of `shape` with every member set, lists and maps of one entry; past a depth of six only the
    required members, and lists and maps empty."""
    kind = shape.type_name
    if kind == "structure":
        members = list(shape.members.items())
        if shape.metadata.get("union"):
            members = members[:1]
        elif depth > 6:
            members = [(name, member) for name, member in members if name in shape.required_members]
        return {name: sample(member, depth + 1) for name, member in members}
    if kind == "list":
        return [] if depth > 6 else [sample(shape.member, depth + 1)]
    if kind == "map":
        return {} if depth > 6 else {"key": sample(shape.value, depth + 1)}
    if kind == "string":
        return shape.enum[0] if shape.enum else "x"
    if kind in ("integer", "long"):
        return 1
    if kind == "boolean":
        return True
    if kind in ("double", "float"):
        return 1.5
    if kind == "timestamp":
        return "2025-07-01T00:00:00Z"
    return None


def answer_from_model(target, request):
    operation = service_model().operation_model(target.split(".")[-1])
    json_type = [("Content-Type", "application/x-amz-json-1.0")]
    problems = model_problems(target, request)
    if problems:
        return 400, json_type, {"__type": "ValidationException", "message": problems}
    return 200, json_type, sample(operation.output_shape) if operation.output_shape else {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *arguments):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        target = self.headers.get("X-Amz-Target", "")
        verified, failure = verify(self, body)
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = {}
        identifier = request.get("Identifier") or request.get("EngagementIdentifier") or request.get("Title")
        record = {"target": target, "verified": verified, "identifier": identifier,
                  "contentType": self.headers.get("Content-Type"), "token": self.headers.get("X-Amz-Security-Token")}
        if FROM_MODEL:
            record["problems"] = model_problems(target, request)
        if target.endswith(".UpdateOpportunity"):
            record["body"] = request
        print(json.dumps(record), flush=True)
        if not verified:
            status, headers, document = 403, [("Content-Type", "application/x-amz-json-1.0")], {"__type": failure, "message": "signature check failed"}
        elif FROM_MODEL:
            status, headers, document = answer_from_model(target, request)
        else:
            status, headers, document = answer(target, request)
        data = (document if isinstance(document, str) else json.dumps(document)).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
server.serve_forever()
