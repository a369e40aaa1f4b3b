/// The AWS JSON 1.0 protocol as the service speaks it: every operation is a POST to `/` with an
/// `X-Amz-Target` naming it and a JSON body shaped like the operation's input.
public enum AWSJSON {
    public static let contentType = "application/x-amz-json-1.0"

    /// The `X-Amz-Target` header value for an operation: `AWSPartnerCentralSelling.CreateEngagement`.
    public static func target(of operation: String) -> String {
        "\(ServiceModel.targetPrefix).\(operation)"
    }

    /// The request body: members in model order, absent optionals left out, timestamps as written.
    public static func encode(_ value: some WireConvertible) -> [UInt8] {
        Array(value.wire.serialized().utf8)
    }

    /// Reads a response body: explicit nulls count as absent, members the model does not know are ignored,
    /// timestamps keep every digit the service sent.
    public static func decode<Value: WireConvertible>(_ type: Value.Type, from body: some Collection<UInt8>) throws -> Value {
        let document = body.isEmpty ? JSONValue.object([:]) : try JSONValue(parsing: body)
        return try Value(wire: document, at: "")
    }
}
