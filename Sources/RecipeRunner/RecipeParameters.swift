import Core
import Foundation
import Scripting

/// The `--param name=value` words of a command line checked against a recipe's declaration: every
/// problem is found before anything runs, and each names the recipe and the parameter.
public enum RecipeParameters {
    /// A parameter problem; `engage run` exits 2 with it.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The parameters the recipe's `run` receives: given values converted to their declared types, defaults
    /// for the rest. `given` keeps the command line's order; a name given twice is refused.
    public static func resolve(_ given: [String], for declaration: RecipeDeclaration, recipe: String) throws(Problem) -> JSONValue {
        var values: JSONValue.Members = [:]
        var problems: [String] = []
        let names = declaration.parameters.map(\.name)
        for word in given {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                problems.append("\(recipe): --param takes name=value, got '\(word)'")
                continue
            }
            let name = String(word[..<equals])
            let text = String(word[word.index(after: equals)...])
            guard let parameter = declaration.parameters.first(where: { $0.name == name }) else {
                let hint = Suggestion.hint(for: name, among: names)
                let known = names.isEmpty ? "it takes no parameters" : "its parameters: \(names.joined(separator: ", "))"
                problems.append("\(recipe): unknown parameter '\(name)'\(hint); \(known)")
                continue
            }
            guard values[name] == nil else {
                problems.append("\(recipe): parameter '\(name)' is given twice")
                continue
            }
            do {
                values[name] = try value(text, for: parameter, recipe: recipe)
            } catch {
                values[name] = .null
                problems.append(error.description)
            }
        }
        var resolved: JSONValue.Members = [:]
        for parameter in declaration.parameters {
            if let value = values[parameter.name] {
                resolved[parameter.name] = value
            } else if let value = parameter.defaultValue {
                resolved[parameter.name] = value
            } else if parameter.required {
                problems.append("\(recipe): missing required parameter '\(parameter.name)'\(parameter.help.isEmpty ? "" : " (\(parameter.help))"); give it as --param \(parameter.name)=…")
            }
        }
        guard problems.isEmpty else { throw Problem(description: problems.joined(separator: "\n")) }
        return .object(resolved)
    }

    private static func value(_ text: String, for parameter: RecipeDeclaration.RecipeParameter, recipe: String) throws(Problem) -> JSONValue {
        let prefix = "\(recipe): parameter '\(parameter.name)'"
        if parameter.required, parameter.kind == .string, text.isEmpty { throw Problem(description: "\(prefix) is required and must not be empty") }
        guard var value = parameter.accepts(.string(text)) else {
            switch parameter.kind {
            case .number: throw Problem(description: "\(prefix) must be a number, got '\(text)'")
            case .boolean: throw Problem(description: "\(prefix) must be true or false, got '\(text)'")
            case .enum:
                let hint = Suggestion.hint(for: text, among: parameter.values)
                throw Problem(description: "\(prefix) must be one of \(parameter.values.joined(separator: ", ")), got '\(text)'\(hint)")
            case .string, .path: throw Problem(description: "\(prefix) has a value engage cannot read")
            }
        }
        switch parameter.rangeViolation(value) {
        case nil: break
        case .notWhole: throw Problem(description: "\(prefix) must be a whole number, got \(text)")
        case .belowMinimum(let minimum): throw Problem(description: "\(prefix) must be \(RecipeDeclaration.RecipeParameter.text(minimum)) or more, got \(text)")
        case .aboveMaximum(let maximum): throw Problem(description: "\(prefix) must be \(RecipeDeclaration.RecipeParameter.text(maximum)) or less, got \(text)")
        }
        if parameter.isInteger, case .number(let whole) = value { value = .integer(Int64(whole)) }
        if parameter.kind == .path {
            guard !text.isEmpty else { throw Problem(description: "\(prefix) must be a path, got an empty value") }
            var isFolder: ObjCBool = false
            if parameter.isOutput {
                if FileManager.default.fileExists(atPath: text, isDirectory: &isFolder), isFolder.boolValue {
                    throw Problem(description: "\(prefix): \(text) is a folder; give the path of a file to write")
                }
                let folder = (text as NSString).deletingLastPathComponent
                guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
                    throw Problem(description: "\(prefix): the folder \(folder) does not exist")
                }
            } else {
                guard FileManager.default.fileExists(atPath: text, isDirectory: &isFolder) else {
                    throw Problem(description: "\(prefix): no file \(text)")
                }
                guard !isFolder.boolValue else { throw Problem(description: "\(prefix): \(text) is a folder, not a file") }
            }
        }
        return value
    }

    /// The parameters as a run's identity counts them: each `path` value as the real path of the file it
    /// names (symlinks and `.`/`..` resolved; for an output file not yet written, its folder's real path),
    /// so `x.csv`, `./x.csv` and `/work/x.csv` are one run. The recipe still receives the values as given.
    public static func identity(of parameters: JSONValue, for declaration: RecipeDeclaration) -> JSONValue {
        guard case .object(var members) = parameters else { return parameters }
        for parameter in declaration.parameters where parameter.kind == .path {
            guard let text = members[parameter.name]?.stringValue else { continue }
            members[parameter.name] = .string(realPath(text))
        }
        return .object(members)
    }

    /// `path` with every symlink and `.`/`..` resolved; a file that does not exist keeps its name under its
    /// folder's real path.
    private static func realPath(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let name = (path as NSString).lastPathComponent
        let folder = (path as NSString).deletingLastPathComponent
        guard let resolved = realpath(folder.isEmpty ? "." : folder, nil) else { return path }
        defer { free(resolved) }
        return (String(cString: resolved) as NSString).appendingPathComponent(name)
    }

    /// `engage run RECIPE --help`: the description, then each parameter with its type, whether it is
    /// required or its default, and its help.
    public static func help(for declaration: RecipeDeclaration, recipe: String, path: String) -> String {
        let requiredFirst = declaration.parameters.filter(\.required) + declaration.parameters.filter { !$0.required }
        var lines = ["\(recipe): \(declaration.description)", "", "usage: engage run \(recipe)" + requiredFirst.map { parameter in
            let word = " --param \(parameter.name)=\(placeholder(parameter))"
            return parameter.required ? word : " [\(word.dropFirst())]"
        }.joined()]
        if !declaration.parameters.isEmpty {
            lines += ["", "parameters:"]
            for parameter in declaration.parameters {
                var facts = [parameter.kind == .enum ? "one of \(parameter.values.joined(separator: ", "))" : parameter.kind.rawValue]
                if parameter.kind == .path { facts[0] = parameter.isOutput ? "path to write" : "path of a file to read" }
                if parameter.isInteger { facts[0] = "whole number" }
                if let range = rangeText(parameter) { facts.append(range) }
                if parameter.required { facts.append("required") }
                if let value = parameter.defaultValue { facts.append("default \(value.stringValue ?? value.serialized())") }
                lines.append("  \(parameter.name)  (\(facts.joined(separator: ", ")))")
                if !parameter.help.isEmpty { lines.append("      \(parameter.help)") }
            }
        }
        lines += ["", "file: \(path)", "options: --dry-run (write nothing, list the writes), --output json, --quiet, -v, --store, --catalog"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1 to 100`, `1 or more`, `100 or less`; nil without bounds.
    private static func rangeText(_ parameter: RecipeDeclaration.RecipeParameter) -> String? {
        let text = RecipeDeclaration.RecipeParameter.text
        switch (parameter.minimum, parameter.maximum) {
        case (let minimum?, let maximum?): return "\(text(minimum)) to \(text(maximum))"
        case (let minimum?, nil): return "\(text(minimum)) or more"
        case (nil, let maximum?): return "\(text(maximum)) or less"
        case (nil, nil): return nil
        }
    }

    private static func placeholder(_ parameter: RecipeDeclaration.RecipeParameter) -> String {
        switch parameter.kind {
        case .enum: return parameter.values.joined(separator: "|")
        case .boolean: return "true|false"
        case .number: return "N"
        case .path: return "PATH"
        case .string: return "TEXT"
        }
    }
}
