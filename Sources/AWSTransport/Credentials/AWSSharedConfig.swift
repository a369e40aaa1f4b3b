import Core
import Foundation

/// `~/.aws/config` and `~/.aws/credentials` read together, as the AWS CLI reads them: the files named by
/// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` when set, `~` meaning the environment's `HOME`; a
/// missing file is an empty one. engage's one reader of them: the credential chain, the region and
/// `max_attempts` all come from here.
public struct AWSSharedConfig: Sendable {
    /// A profile's settings, kept per file: static keys in the credentials file come before a
    /// `credential_process`, which comes before static keys in the config file.
    public struct Profile: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
        public let name: String
        /// Its `[name]` section of the credentials file.
        public internal(set) var credentialsFile: [String: String] = [:]
        /// Its `[profile name]` section (`[default]` for the default profile) of the config file.
        public internal(set) var configFile: [String: String] = [:]

        /// A setting from either file, the credentials file winning; an empty value counts as absent.
        public subscript(key: String) -> String? {
            let value = credentialsFile[key] ?? configFile[key]
            return value?.isEmpty == false ? value : nil
        }

        /// The settings that are secrets, shown as `<redacted>` when a profile is printed or dumped.
        static let secretKeys: Set<String> = ["aws_secret_access_key", "aws_session_token"]

        public var description: String {
            func shown(_ settings: [String: String]) -> String {
                settings.keys.sorted().map { "\($0) = \(Self.secretKeys.contains($0) ? "<redacted>" : settings[$0]!)" }.joined(separator: ", ")
            }
            return "Profile(\(name), credentials file: [\(shown(credentialsFile))], config file: [\(shown(configFile))])"
        }

        public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
    }

    public let configPath: String
    public let credentialsPath: String
    public private(set) var profiles: [String: Profile] = [:]
    /// `[sso-session name]` sections of the config file.
    public private(set) var ssoSessions: [String: [String: String]] = [:]

    /// Reads both files; a file that exists but cannot be read or parsed is an error naming it and the line.
    public init(environment: [String: String]) throws(ServiceError) {
        // An empty variable counts as unset, as the AWS CLI takes it.
        func setting(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let home = setting("HOME") ?? NSHomeDirectory()
        configPath = Self.expand(setting("AWS_CONFIG_FILE") ?? "~/.aws/config", home: home)
        credentialsPath = Self.expand(setting("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", home: home)
        for section in try Self.sections(of: configPath) {
            let words = Self.words(section.header)
            if section.header == "default" || words == ["profile", "default"] {
                profiles["default", default: Profile(name: "default")].configFile.merge(section.values) { $1 }
            } else if words.count == 2, words[0] == "profile" {
                profiles[words[1], default: Profile(name: words[1])].configFile.merge(section.values) { $1 }
            } else if words.count == 2, words[0] == "sso-session" {
                ssoSessions[words[1], default: [:]].merge(section.values) { $1 }
            }
        }
        for section in try Self.sections(of: credentialsPath) {
            profiles[section.header, default: Profile(name: section.header)].credentialsFile.merge(section.values) { $1 }
        }
    }

    /// No files: no profiles, no SSO sessions.
    public static let empty = AWSSharedConfig(configPath: "", credentialsPath: "")

    private init(configPath: String, credentialsPath: String) {
        (self.configPath, self.credentialsPath) = (configPath, credentialsPath)
    }

    /// The profile engage uses: `--profile`, else `AWS_PROFILE`, else `default`.
    public static func profileName(explicit: String?, environment: [String: String]) -> String {
        explicit ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The folder of the tokens `aws sso login` caches.
    static func ssoCacheFolder(environment: [String: String]) -> String {
        expand("~/.aws/sso/cache", home: environment["HOME"] ?? NSHomeDirectory())
    }

    private static func sections(of path: String) throws(ServiceError) -> [SharedConfigSection] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .invalidConfig("cannot read \(path): \(error.localizedDescription)")
        }
        return try SharedConfigParser.parse(text, file: path)
    }

    /// A section header's words, a double-quoted word kept whole as the CLI's `shlex` split keeps it:
    /// `profile "my team"` is `["profile", "my team"]`.
    private static func words(_ header: String) -> [String] {
        var words: [String] = []
        var current: String?
        var quoted = false
        for character in header {
            if character == "\"" {
                quoted.toggle()
                current = current ?? ""
            } else if character.isWhitespace, !quoted {
                if let word = current { words.append(word) }
                current = nil
            } else {
                current = (current ?? "") + String(character)
            }
        }
        if let word = current { words.append(word) }
        return words
    }

    private static func expand(_ path: String, home: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }
}
