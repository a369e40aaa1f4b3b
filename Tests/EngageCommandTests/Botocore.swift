import EngageTestSupport
import Foundation

/// botocore, the library under boto3 and the AWS CLI, as a judge of what engage prints: its parser for this
/// service's model reads responses and error documents exactly as a Python client would.
enum Botocore {
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    /// Whether python3 with botocore (and its model of partnercentral-selling) is installed.
    static let isAvailable: Bool = {
        let probe = "import botocore.session; botocore.session.get_session().get_service_model('partnercentral-selling')"
        return (try? runProgram(python, ["python3", "-c", probe]).status) == 0
    }()

    /// Parses `body` as botocore parses an HTTP response of `operation` with `status`, modeled error fields
    /// included (as `BaseClient._make_api_call` adds them), and prints the result as JSON with timestamps as
    /// ISO 8601 text. A timestamp botocore cannot read makes the script fail.
    static func parse(_ body: String, of operation: String, status: Int) throws -> CommandResult {
        let script = """
            import sys, json, datetime, botocore.session, botocore.parsers
            model = botocore.session.get_session().get_service_model('partnercentral-selling')
            shape = model.operation_model(sys.argv[1]).output_shape
            response = {'body': sys.stdin.buffer.read(), 'headers': {}, 'status_code': int(sys.argv[2])}
            parser = botocore.parsers.JSONParser()
            parsed = parser.parse(response, shape)
            code = parsed.get('Error', {}).get('Code')
            if code and model.shape_for_error_code(code) is not None:
                parsed.update(parser.parse(response, model.shape_for_error_code(code)))
            parsed.pop('ResponseMetadata', None)
            print(json.dumps(parsed, default=lambda value: value.isoformat()))
            """
        return try runProgram(python, ["python3", "-c", script, operation, String(status)], input: Data(body.utf8))
    }
}
