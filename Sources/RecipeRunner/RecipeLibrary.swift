import Foundation

/// Where recipes are found: `./Recipes`, then each folder of `$ENGAGE_RECIPES_PATH` (colon-separated). A
/// recipe is named by its path, or by its file name without folder or `.lua`.
public struct RecipeLibrary: Sendable {
    public let folders: [String]

    public init(folders: [String]) { self.folders = folders }

    /// The search path from the environment (nil: this process's, of which only `ENGAGE_RECIPES_PATH` is
    /// read, since copying every variable into a dictionary shows in a short script's start-up).
    public static func fromEnvironment(_ environment: [String: String]? = nil) -> RecipeLibrary {
        let path = environment.map { $0["ENGAGE_RECIPES_PATH"] } ?? getenv("ENGAGE_RECIPES_PATH").map { String(cString: $0) }
        let extra = (path ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return RecipeLibrary(folders: ["Recipes"] + extra)
    }

    /// The file `name` means: an existing path as given, else `NAME.lua` (or `NAME`) in the first folder
    /// of the search path that has it. Nil when nothing matches.
    public func resolve(_ name: String) -> String? {
        if FileManager.default.fileExists(atPath: name) { return name }
        guard !name.contains("/") else { return nil }
        for folder in folders {
            for candidate in [name + ".lua", name] {
                let path = (folder as NSString).appendingPathComponent(candidate)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue { return path }
            }
        }
        return nil
    }

    /// The names of every recipe on the search path that `name` might have meant, for a suggestion.
    public func names() -> [String] { entries().map(\.name) }

    /// A `.lua` file on the search path: its name and path; the first folder that has a name wins.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let path: String
    }

    public func entries() -> [Entry] {
        var seen: Set<String> = []
        var entries: [Entry] = []
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(".lua") {
                let name = String(file.dropLast(4))
                guard seen.insert(name).inserted else { continue }
                entries.append(Entry(name: name, path: (folder as NSString).appendingPathComponent(file)))
            }
        }
        return entries
    }

    /// Whether a file's text declares a recipe (`recipe{` or `recipe(` outside a comment line), which
    /// decides whether it is loaded as a declaration or run as a plain script. A scan of the bytes, as
    /// every `engage run` asks it before anything else: no regular expression to build first.
    public static func declaresRecipe(_ source: [UInt8]) -> Bool {
        let word = Array("recipe".utf8)
        for line in source.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let code = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if code.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { continue }
            for start in code.indices where code[start...].starts(with: word) {
                // `recipe` as a name of its own: not `my_recipe`, `t.recipe` or `t:recipe`.
                if start > code.startIndex, isNamePartOrAccess(code[start - 1]) { continue }
                let next = code[(start + word.count)...].first { !isSpace($0) }
                if next == UInt8(ascii: "{") || next == UInt8(ascii: "(") { return true }
            }
        }
        return false
    }

    private static func isNamePartOrAccess(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"): true
        default: false
        }
    }

    /// The white space Lua skips between a name and its arguments, bar the line break that ends a line here.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The first comment line of a plain script, as its description (`-- lead-intake: turn a CSV…`).
    public static func leadingComment(_ source: [UInt8]) -> String? {
        let text = String(decoding: source, as: UTF8.self)
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#!") || trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("--") else { return nil }
            return trimmed.drop { $0 == "-" }.trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

extension RecipeLibrary {
    /// A recipe on the search path as `engage recipes` lists it.
    public struct Listing: Sendable, Equatable {
        public let name: String
        public let path: String
        public let description: String
        /// The parameters as `--param` words would name them, required ones first.
        public let parameters: [String]
    }

    /// Every recipe on the search path with its description: a recipe's declaration is read by running its
    /// chunk with the service refused, a plain script is described by its first comment line.
    public func listings() async -> [Listing] {
        var listings: [Listing] = []
        for entry in entries() {
            guard let data = FileManager.default.contents(atPath: entry.path) else { continue }
            let source = Array(data)
            guard Self.declaresRecipe(source) else {
                listings.append(Listing(name: entry.name, path: entry.path, description: Self.leadingComment(source) ?? "(a plain script)", parameters: []))
                continue
            }
            switch await RecipeRun.declaration(of: source, path: entry.path) {
            case .success(let declaration):
                let parameters = declaration.parameters.sorted { $0.required && !$1.required }.map { $0.required ? $0.name : "[\($0.name)]" }
                listings.append(Listing(name: declaration.name ?? entry.name, path: entry.path, description: declaration.description, parameters: parameters))
            case .failure(let error):
                listings.append(Listing(name: entry.name, path: entry.path, description: "(cannot be read: \(error.description))", parameters: []))
            }
        }
        return listings
    }
}
