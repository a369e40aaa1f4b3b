/// Checks a request document against the model's constraints and returns every violation, each with the
/// field's path, a `ValidationExceptionErrorCode` and a message a person can act on.
///
/// The sandbox, the Lua builders and the HTTP client all call this one function, so a request is judged
/// the same way wherever it is made.
public enum ModelValidator {
    /// Every violation in `value` read as the shape `shapeName` (a served shape of the model); empty when
    /// the value is valid. `path` prefixes the field names, for values that sit inside a larger document.
    public static func validate(_ value: JSONValue, as shapeName: String, at path: String = "") -> [ValidationExceptionError] {
        guard let shape = ServiceModel.shape(named: shapeName) else {
            preconditionFailure("\(shapeName) is not a served shape of the model")
        }
        var issues: [ValidationExceptionError] = []
        check(value, against: shape, at: path, into: &issues)
        return issues
    }

    /// Every violation in a typed value, read through its wire form.
    public static func validate(_ value: some WireConvertible, as shapeName: String) -> [ValidationExceptionError] {
        validate(value.wire, as: shapeName)
    }

    private static func check(_ value: JSONValue, against shape: ShapeSchema, at path: String, into issues: inout [ValidationExceptionError]) {
        switch shape.kind {
        case .structure(let structure):
            checkStructure(value, structure, named: shape.name, at: path, into: &issues)
        case .string(let string):
            checkString(value, string, named: shape.name, at: path, into: &issues)
        case .integer(let bounds):
            checkInteger(value, bounds, at: path, into: &issues)
        case .timestamp:
            checkTimestamp(value, at: path, into: &issues)
        case .list(let list):
            checkList(value, list, at: path, into: &issues)
        }
    }

    private static func checkStructure(
        _ value: JSONValue, _ structure: StructureSchema, named name: String, at path: String,
        into issues: inout [ValidationExceptionError]
    ) {
        guard case .object(let members) = value else {
            issues.append(issue(path, .invalidValue, "expected \(name) as an object (a table), got \(describe(value))"))
            return
        }
        let memberNames = structure.members.map(\.name)
        for key in members.keys where structure.member(named: key) == nil {
            let hint = Suggestion.nearest(to: key, among: memberNames).map { " (did you mean '\($0)'?)" } ?? ""
            issues.append(issue(FieldPath.member(key, of: path), .invalidValue, "unknown field '\(key)' in \(name)\(hint)"))
        }
        if structure.isUnion {
            let set = structure.members.filter { members[$0.name].map { $0 != .null } ?? false }
            let choices = memberNames.joined(separator: ", ")
            if set.isEmpty {
                issues.append(issue(path, .requiredFieldMissing, "exactly one of \(choices) must be set in \(name); none is"))
            } else if set.count > 1 {
                let found = set.map(\.name).joined(separator: " and ")
                issues.append(issue(path, .tooManyValues, "exactly one of \(choices) must be set in \(name); found \(found)"))
            }
        }
        for member in structure.members {
            let memberPath = FieldPath.member(member.name, of: path)
            guard let memberValue = members[member.name], memberValue != .null else {
                if member.isRequired {
                    issues.append(issue(memberPath, .requiredFieldMissing, "required field '\(member.name)' of \(name) is missing"))
                }
                continue
            }
            guard let target = ServiceModel.shape(named: member.shape) else { continue }
            check(memberValue, against: target, at: memberPath, into: &issues)
        }
    }

    private static func checkString(
        _ value: JSONValue, _ string: StringSchema, named name: String, at path: String,
        into issues: inout [ValidationExceptionError]
    ) {
        guard case .string(let text) = value else {
            issues.append(issue(path, .invalidValue, "expected a string, got \(describe(value))"))
            return
        }
        if !string.enumValues.isEmpty {
            guard !string.enumValues.contains(text) else { return }
            issues.append(issue(path, .invalidEnumValue, enumMessage(text, name: name, values: string.enumValues)))
            return
        }
        guard let pattern = string.pattern, let problem = PatternMatcher.shared.problem(with: text, pattern: pattern) else { return }
        let message: String
        switch problem {
        case .length(let count, let min, let max):
            message = "must be \(lengthRange(min, max)), got \(count)"
        case .lineBreak:
            message = "must be a single line"
        case .format:
            message = "'\(text)' is not \(FormatDescription.of(shape: name) ?? "in the format the model requires (\(pattern))")"
        }
        issues.append(issue(path, .invalidStringFormat, message))
    }

    private static func checkInteger(_ value: JSONValue, _ bounds: IntegerSchema, at path: String, into issues: inout [ValidationExceptionError]) {
        guard let number = try? Int(wire: value, at: path) else {
            issues.append(issue(path, .invalidValue, "expected an integer, got \(describe(value))"))
            return
        }
        if let min = bounds.min, number < min { issues.append(issue(path, .valueOutOfRange, rangeMessage(number, bounds))) }
        if let max = bounds.max, number > max { issues.append(issue(path, .valueOutOfRange, rangeMessage(number, bounds))) }
    }

    private static func checkTimestamp(_ value: JSONValue, at path: String, into issues: inout [ValidationExceptionError]) {
        guard case .string(let text) = value else {
            issues.append(issue(path, .invalidValue, "expected an ISO 8601 timestamp string, got \(describe(value))"))
            return
        }
        if ISO8601Components(parsing: text) == nil {
            issues.append(issue(path, .invalidStringFormat, "'\(text)' is not an ISO 8601 date-time such as 2025-06-30T14:05:09.123456Z"))
        }
    }

    private static func checkList(_ value: JSONValue, _ list: ListSchema, at path: String, into issues: inout [ValidationExceptionError]) {
        guard case .array(let elements) = value else {
            issues.append(issue(path, .invalidValue, "expected a list, got \(describe(value))"))
            return
        }
        if let min = list.min, elements.count < min {
            issues.append(issue(path, .notEnoughValues, "has \(count(elements.count)); at least \(min) \(min == 1 ? "is" : "are") required"))
        }
        if let max = list.max, elements.count > max {
            issues.append(issue(path, .tooManyValues, "has \(count(elements.count)); at most \(max) \(max == 1 ? "is" : "are") allowed"))
        }
        guard let member = ServiceModel.shape(named: list.member) else { return }
        for (index, element) in elements.enumerated() {
            check(element, against: member, at: FieldPath.element(index, of: path), into: &issues)
        }
    }

    // MARK: Messages

    private static func issue(_ path: String, _ code: ValidationExceptionErrorCode, _ message: String) -> ValidationExceptionError {
        ValidationExceptionError(fieldName: path, message: message, code: code)
    }

    private static func enumMessage(_ text: String, name: String, values: [String]) -> String {
        if let suggestion = Suggestion.nearest(to: text, among: values) {
            return "'\(text)' is not a valid \(name) (did you mean '\(suggestion)'?)"
        }
        if values.count <= 10 {
            return "'\(text)' is not a valid \(name); valid values are \(values.joined(separator: ", "))"
        }
        return "'\(text)' is not a valid \(name); `engage describe \(name)` lists the \(values.count) valid values"
    }

    private static func lengthRange(_ min: Int, _ max: Int) -> String {
        min == 0 ? "at most \(max) characters" : "\(min) to \(max) characters"
    }

    private static func rangeMessage(_ number: Int, _ bounds: IntegerSchema) -> String {
        switch (bounds.min, bounds.max) {
        case (let min?, let max?): "must be between \(min) and \(max), got \(number)"
        case (let min?, nil): "must be at least \(min), got \(number)"
        case (nil, let max?): "must be at most \(max), got \(number)"
        case (nil, nil): "is out of range"
        }
    }

    private static func count(_ items: Int) -> String { items == 1 ? "1 item" : "\(items) items" }

    /// A short description of a value for "got …" in messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "a string ('\(text.count > 40 ? String(text.prefix(37)) + "..." : text)')"
        case .integer(let number): "a number (\(number))"
        case .number(let number): "a number (\(number))"
        case .bool(let flag): "a boolean (\(flag))"
        default: value.kindDescription
        }
    }
}

extension ValidationExceptionError: CustomStringConvertible {
    /// `Payload.Lead.Customer.Industry: 'Retial' is not a valid Industry (did you mean 'Retail'?)`
    public var description: String {
        guard let fieldName, !fieldName.isEmpty else { return message }
        return "\(fieldName): \(message)"
    }
}
