import AWSTransport
import Foundation
import OrderedJSON

/// A stand-in for STS and the IAM Identity Center portal: python3 on 127.0.0.1, port 0. It recomputes
/// every AssumeRole request's signature with botocore's `SigV4Auth` for the keys it knows, answers STS's
/// XML, checks the SSO bearer token and answers GetRoleCredentials' JSON. Each request it served is one
/// JSON line of its log, read when it stops. It exits when its stdin closes, or after ten minutes.
final class CredentialsStandIn {
    /// `http://127.0.0.1:PORT`
    let url: String
    private let process: Process
    private let stdin: Pipe
    private let stdout: Pipe

    /// - Parameters:
    ///   - keys: access key id → secret (and session token) the signatures are checked against.
    ///   - roles: role ARN → the credentials AssumeRole issues for it (`expiresIn` seconds), and the
    ///     `externalId` it demands, if any. Issued keys sign later requests, as in a chain of roles.
    ///   - ssoTokens: the access tokens the portal accepts; `ssoRoles`: "account/role" → credentials, which
    ///     may then sign an AssumeRole.
    init(keys: [String: (secret: String, token: String?)] = [:], roles: [String: RoleGrant] = [:],
         ssoTokens: [String] = [], ssoRoles: [String: RoleGrant] = [:]) throws {
        let config: JSONValue = [
            "keys": .object(.init(uniqueKeysWithValues: keys.map { ($0.key, ["secret": .string($0.value.secret), "token": $0.value.token.map(JSONValue.string) ?? .null]) })),
            "roles": .object(.init(uniqueKeysWithValues: roles.map { ($0.key, $0.value.wire) })),
            "ssoTokens": .array(ssoTokens.map(JSONValue.string)),
            "ssoRoles": .object(.init(uniqueKeysWithValues: ssoRoles.map { ($0.key, $0.value.wire) })),
        ]
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, config.serialized()]
        (stdin, stdout) = (Pipe(), Pipe())
        (process.standardInput, process.standardOutput) = (stdin, stdout)
        try process.run()
        var firstLine = Data()
        while !firstLine.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            firstLine.append(chunk)
        }
        guard let port = Int(String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw SigV4TestError("the stand-in did not print its port: \(String(decoding: firstLine, as: UTF8.self))")
        }
        url = "http://127.0.0.1:\(port)"
    }

    struct RoleGrant {
        var accessKeyId: String
        var secretAccessKey: String
        var sessionToken: String
        var expiresIn: Int = 3600
        var externalId: String?
        var wire: JSONValue {
            ["accessKeyId": .string(accessKeyId), "secretAccessKey": .string(secretAccessKey), "sessionToken": .string(sessionToken),
             "expiresIn": .integer(Int64(expiresIn)), "externalId": externalId.map(JSONValue.string) ?? .null]
        }
    }

    /// Runs `body` against the server, then stops it whatever happened: what `body` returned, and the log.
    func serving<Result>(_ body: () async throws -> Result) async throws -> (result: Result, log: [JSONValue]) {
        do {
            let result = try await body()
            return (result, stop())
        } catch {
            stop()
            throw error
        }
    }

    /// Stops the server and returns what it logged, one object per request served.
    @discardableResult
    func stop() -> [JSONValue] {
        try? stdin.fileHandleForWriting.close()
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: rest, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }

    private static let script = #"""
        import datetime, json, os, re, sys, threading, time, urllib.parse
        from http.server import BaseHTTPRequestHandler, HTTPServer
        import botocore.auth as auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        config = json.loads(sys.argv[1])
        keys = config["keys"]
        AUTH = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/sts/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")

        def log(entry):
            print(json.dumps(entry), flush=True)

        def expiration(seconds):
            return (datetime.datetime.utcnow() + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body, content_type, headers={}):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def sts_error(self, status, code, message):
                log({"service": "sts", "error": code})
                self.answer(status, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                            f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>", "text/xml")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                match = AUTH.match(self.headers.get("Authorization", ""))
                if not match:
                    return self.sts_error(403, "IncompleteSignature", "Authorization header missing or malformed")
                key_id, day, region, signed, signature = match.groups()
                known = keys.get(key_id)
                if known is None:
                    return self.sts_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
                if known["token"] != self.headers.get("X-Amz-Security-Token"):
                    return self.sts_error(403, "InvalidClientTokenId", "The security token included in the request is invalid.")
                names = signed.split(";")
                if "host" not in names or "x-amz-date" not in names:
                    return self.sts_error(403, "IncompleteSignature", "host and x-amz-date must be signed")
                stamp = self.headers["X-Amz-Date"]
                headers = {name: self.headers[name] for name in names if name not in ("x-amz-date", "x-amz-security-token")}
                request = AWSRequest(method="POST", url="http://" + self.headers["Host"] + self.path, data=body, headers=headers)
                auth.get_current_datetime = lambda: datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")
                auth.SigV4Auth(Credentials(key_id, known["secret"], known["token"]), "sts", region).add_auth(request)
                if request.headers["Authorization"] != self.headers["Authorization"]:
                    return self.sts_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
                form = {name: values[0] for name, values in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
                if form.get("Action") != "AssumeRole" or form.get("Version") != "2011-06-15":
                    return self.sts_error(400, "InvalidAction", "Could not find operation " + str(form.get("Action")))
                role = config["roles"].get(form.get("RoleArn"))
                if role is None or role["externalId"] not in (None, form.get("ExternalId")):
                    return self.sts_error(403, "AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {form.get('RoleArn')}")
                log({"service": "sts", "signedBy": key_id, "region": region, "host": self.headers["Host"], "form": form})
                keys[role["accessKeyId"]] = {"secret": role["secretAccessKey"], "token": role["sessionToken"]}
                self.answer(200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                            f"<AssumedRoleUser><AssumedRoleId>AROA:{form['RoleSessionName']}</AssumedRoleId><Arn>{form['RoleArn']}</Arn></AssumedRoleUser>"
                            f"<Credentials><AccessKeyId>{role['accessKeyId']}</AccessKeyId><SecretAccessKey>{role['secretAccessKey']}</SecretAccessKey>"
                            f"<SessionToken>{role['sessionToken']}</SessionToken><Expiration>{expiration(role['expiresIn'])}</Expiration></Credentials>"
                            "</AssumeRoleResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>", "text/xml")

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                query = {name: values[0] for name, values in urllib.parse.parse_qs(url.query).items()}
                token = self.headers.get("x-amz-sso_bearer_token")
                if url.path != "/federation/credentials":
                    return self.answer(404, "{}", "application/json")
                if token not in config["ssoTokens"]:
                    log({"service": "sso", "error": "UnauthorizedException"})
                    return self.answer(401, json.dumps({"message": "Session token not found or invalid"}), "application/json",
                                       {"x-amzn-ErrorType": "UnauthorizedException:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"})
                role = config["ssoRoles"].get(f"{query.get('account_id')}/{query.get('role_name')}")
                if role is None:
                    log({"service": "sso", "error": "ForbiddenException"})
                    return self.answer(403, json.dumps({"message": "No access"}), "application/json", {"x-amzn-ErrorType": "ForbiddenException:"})
                log({"service": "sso", "account": query["account_id"], "role": query["role_name"], "host": self.headers["Host"]})
                keys[role["accessKeyId"]] = {"secret": role["secretAccessKey"], "token": role["sessionToken"]}
                expires = int((time.time() + role["expiresIn"]) * 1000)
                self.answer(200, json.dumps({"roleCredentials": {"accessKeyId": role["accessKeyId"], "secretAccessKey": role["secretAccessKey"],
                                                                 "sessionToken": role["sessionToken"], "expiration": expires}}), "application/json")

        server = HTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        def stop_when_stdin_closes():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
        # A safety net for a test process that dies without closing stdin, long enough for a suite run on a
        # loaded machine: at two minutes it stopped stand-ins that slow parallel tests were still using.
        threading.Timer(600, lambda: os._exit(0)).start()
        server.serve_forever()
        """#
}
