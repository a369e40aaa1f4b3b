import Core
import Foundation

/// An AWS JSON 1.0 error response read into the `ServiceError` the sandbox would throw for it.
enum AWSJSONErrorResponse {
    /// The error an HTTP response with a status outside 2xx stands for. The code comes from the body's
    /// `__type`, else the `x-amzn-ErrorType` header, else it is the status (as botocore has it); a body that
    /// is not the service's JSON (a proxy's HTML page) becomes a message naming the status and the endpoint.
    static func serviceError(status: Int, reasonPhrase: String, headers: [(name: String, value: String)], body: [UInt8], endpoint: AWSEndpoint) -> ServiceError {
        let header = headers.first { $0.name.lowercased() == "x-amzn-errortype" }?.value
        guard let document = try? JSONValue(parsing: body), case .object(let members) = document else {
            let code = header.map(errorCode) ?? String(status)
            let type = headers.first { $0.name.lowercased() == "content-type" }?.value ?? "no content type"
            let excerpt = excerptOfText(body)
            return ServiceError(code: code, message: """
                HTTP \(status) \(reasonPhrase) from \(endpoint), not the service's JSON error document \
                (\(type)\(excerpt.isEmpty ? "" : ": \(excerpt)"))
                """)
        }
        let code = members["__type"]?.stringValue.map(errorCode) ?? header.map(errorCode) ?? String(status)
        let message = members["Message"]?.stringValue ?? members["message"]?.stringValue ?? "HTTP \(status) \(reasonPhrase) from \(endpoint)"
        guard code == "ValidationException" else {
            // Another exception's Reason (AccessDeniedException has one) has no place of its own in ServiceError.
            let reason = members["Reason"]?.stringValue
            return ServiceError(code: code, message: reason.map { "\(message) (\($0))" } ?? message)
        }
        let reason = members["Reason"].flatMap { try? ValidationExceptionReason(wire: $0, at: "Reason") }
        let errorList = members["ErrorList"].flatMap { try? [ValidationExceptionError](wire: $0, at: "ErrorList") } ?? []
        return ServiceError(code: code, message: message, reason: reason, errorList: errorList)
    }

    /// `ValidationException` from `com.amazonaws.partnercentral#ValidationException:http://internal/…`.
    static func errorCode(_ raw: String) -> String {
        let afterNamespace = raw.split(separator: "#", omittingEmptySubsequences: false).last ?? Substring(raw)
        let name = afterNamespace.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? afterNamespace
        return name.trimmingCharacters(in: .whitespaces)
    }

    /// The body's text without markup, white space folded, cut to 160 characters.
    static func excerptOfText(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let withoutTags = text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        let folded = withoutTags.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return folded.count > 160 ? folded.prefix(160) + "…" : folded
    }
}
