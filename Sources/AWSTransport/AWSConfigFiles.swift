import Core
import Foundation

/// The AWS CLI's two settings files, read as botocore reads them: `~/.aws/config` (or `AWS_CONFIG_FILE`),
/// whose sections are `[default]`, `[profile NAME]` and others such as `[sso-session NAME]`, and
/// `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`), whose sections are bare profile names.
/// A missing file reads as empty.
public struct AWSConfigFiles: Sendable {
    /// A file's sections by their header as written between the brackets (`profile dev`), each a map of
    /// lower-cased keys to values. Indented lines (nested settings such as `s3 =`) are skipped.
    public typealias Sections = [String: [String: String]]

    public let configPath: String
    public let credentialsPath: String
    public let config: Sections
    public let credentials: Sections

    /// Reads both files from where `environment` says, `~` meaning `HOME`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func path(_ variable: String, _ fallback: String) -> String {
            let given = environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
            return given.hasPrefix("~/") ? home + given.dropFirst() : given
        }
        configPath = path("AWS_CONFIG_FILE", home + "/.aws/config")
        credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials")
        config = Self.read(configPath)
        credentials = Self.read(credentialsPath)
    }

    /// The profile's settings in the config file: `[profile NAME]`, or `[default]` for `default`.
    public func configProfile(_ name: String) -> [String: String]? {
        config["profile \(name)"] ?? (name == "default" ? config["default"] : nil)
    }

    /// The profile's settings in the credentials file: `[NAME]`.
    public func credentialsProfile(_ name: String) -> [String: String]? {
        credentials[name]
    }

    /// Whether either file has the profile.
    public func hasProfile(_ name: String) -> Bool {
        configProfile(name) != nil || credentialsProfile(name) != nil
    }

    /// The profile engage uses: `--profile`, else `AWS_PROFILE`, else `default`.
    public static func profileName(explicit: String?, environment: [String: String]) -> String {
        explicit ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    static func read(_ path: String) -> Sections {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// INI text as Python's configparser reads it for botocore: `#` and `;` start comment lines, keys are
    /// lower-cased, `=` or `:` separates key from value, and a section named twice merges.
    static func parse(_ text: String) -> Sections {
        var sections: Sections = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(whereSeparator: \.isWhitespace).joined(separator: " ")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, !(rawLine.first?.isWhitespace ?? false),
                let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" })
            else { continue }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return sections
    }
}
