import Core
import Foundation

/// Where the HTTP transport sends requests and the region it signs them for.
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// The base URL: scheme, host, optional port and path (requests go to its path, `/` when it has none).
    public let url: URL
    /// The signing region.
    public let region: String

    /// An explicit endpoint, as `--endpoint-url` gives it; nil when `text` is not an http or https URL with a
    /// host and without a query or fragment (`problem(with:)` says which).
    public init?(url text: String, region: String) {
        guard Self.problem(with: text) == nil, let url = URL(string: text) else { return nil }
        (self.url, self.region) = (url, region)
    }

    /// What keeps `text` from being an endpoint URL, as the end of a sentence that starts with it; nil when
    /// nothing does.
    public static func problem(with text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "is not an http:// or https:// URL with a host, such as http://127.0.0.1:8123"
        }
        if let query = url.query(percentEncoded: true) {
            return "has a query (?\(ServiceError.excerpt(query, quoted: false))), which is not allowed: requests go to the URL's path, and the service's requests carry no query; give the URL without it"
        }
        if url.fragment != nil { return "has a fragment (#…), which is not allowed: give the URL without it" }
        guard let host = url.host, !host.isEmpty else { return "has no host: give one, as in http://127.0.0.1:8123" }
        return nil
    }

    /// The service's own endpoint for `region`, as the model's endpoint rules give it:
    /// `https://partnercentral-selling.{Region}.{dualStackDnsSuffix}` of the region's partition. A region
    /// that cannot be part of a host name is an error.
    public static func service(region: String) throws(ServiceError) -> AWSEndpoint {
        guard isValidRegion(region), let endpoint = AWSEndpoint(url: "https://\(ServiceModel.endpointPrefix).\(region).\(dnsSuffix(of: region))", region: region) else {
            throw invalidRegion(region)
        }
        return endpoint
    }

    /// The error for a region name that cannot be one.
    public static func invalidRegion(_ region: String) -> ServiceError {
        ServiceError(code: "InvalidRegion", message: "\(ServiceError.excerpt(region)) is not a region name: letters, digits and hyphens, such as us-east-1")
    }

    /// Whether `region` is one DNS label, as botocore requires of region names.
    public static func isValidRegion(_ region: String) -> Bool {
        let bytes = Array(region.utf8)
        func isAlphanumeric(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63, isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// The dual-stack DNS suffix of the partition `region` belongs to (botocore's partitions.json), `api.aws`
    /// for the commercial and GovCloud regions.
    static func dnsSuffix(of region: String) -> String {
        let suffixes: [(prefix: String, suffix: String)] = [
            ("cn-", "api.amazonwebservices.com.cn"), ("eusc-", "api.amazonwebservices.eu"), ("us-isob-", "api.aws.scloud"),
            ("us-isof-", "api.aws.hci.ic.gov"), ("us-iso-", "api.aws.ic.gov"), ("eu-isoe-", "api.cloud-aws.adc-e.uk"),
        ]
        return suffixes.first { region.hasPrefix($0.prefix) }?.suffix ?? "api.aws"
    }

    /// The `Host` header for the URL: the host, with the port when it is not the scheme's default.
    public var hostHeader: String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port = url.port, port != (url.scheme?.lowercased() == "https" ? 443 : 80) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// The request path as the request line carries it (percent-encoded): the URL's own, `/` when it has none.
    public var path: String {
        let path = url.path(percentEncoded: true)
        return path.isEmpty ? "/" : path
    }

    /// The URL as text, without a trailing slash.
    public var description: String {
        let text = url.absoluteString
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The region as the AWS CLI finds it: `explicit` (`--region`), `AWS_REGION`, `AWS_DEFAULT_REGION`, the
    /// profile's `region` in the config file, else `us-east-1`.
    public static func region(explicit: String?, profile: String, config: AWSSharedConfig, environment: [String: String]) -> String {
        let candidates = [explicit, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"], config.profiles[profile]?.configFile["region"]]
        return candidates.compactMap { $0 }.first { !$0.isEmpty } ?? defaultRegion
    }
}
