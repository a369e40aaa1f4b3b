@testable import Core
import OrderedJSON
import PropertyBased
import Testing

/// The validator (`Core/Validation`) judged against values built from the model: what satisfies every
/// constraint passes, one broken constraint is one issue naming its field, and nothing crashes it.
@Suite(.tags(.unit)) struct ValidationProperties {
    /// The request shapes of the five engagement operations first (the arbitrary-JSON check takes those), then
    /// every other operation's request and every structure a Lua builder makes.
    static let shapes: [String] = {
        let first = ["CreateEngagementContextRequest", "UpdateEngagementContextRequest", "CreateEngagementRequest", "ListEngagementsRequest", "GetEngagementRequest"]
        let inputs = ServiceModel.operations.map(\.input).filter { !first.contains($0) }
        let builders = ServiceModel.globals.filter { $0.kind == .builder }.map(\.model)
        return first + inputs + builders
    }()

    static let shapedValues = generator { dice -> ShapedValue in
        let shape = dice.pick(shapes)
        return ShapedValue(shape: shape, value: ModelValues.value(of: shape, &dice))
    }

    /// A value built to every constraint of its shape has no issues.
    @Test(.replayable) func valuesBuiltToTheModelValidateClean() async {
        await propertyCheck(count: Fuzzing.iterations(300), input: Self.shapedValues) { shaped in
            let issues = ModelValidator.validate(shaped.value, as: shaped.shape)
            #expect(issues.isEmpty, "\(issues.map(\.description))")
        }
    }

    /// Breaking one constraint of a valid value — a required member removed or null, an enum value
    /// misspelt, a string one code point too long or short, a line break, a format broken, a list too long
    /// or empty, a wrong type, an unknown member, a second union member — gives exactly one issue, with
    /// that constraint's code and the path of the field.
    @Test(.replayable) func oneBrokenConstraintIsOneIssueAtItsField() async {
        let mutated = generator { dice -> MutatedValue in
            let shape = dice.pick(Self.shapes)
            let value = ModelValues.value(of: shape, &dice)
            var finder = MutationFinder(dice: dice)
            finder.walk(value, shape: shape, at: [])
            dice = finder.dice
            return MutatedValue(shape: shape, original: value, mutation: dice.pick(finder.found))
        }
        await propertyCheck(count: Fuzzing.iterations(600), input: mutated) { mutated in
            let broken = mutated.original.setting(mutated.mutation.path, to: mutated.mutation.newValue)
            let issues = ModelValidator.validate(broken, as: mutated.shape)
            #expect(issues.count == 1, "\(issues.map(\.description))")
            #expect(issues.first?.code == mutated.mutation.code, "\(issues.map(\.description))")
            #expect(issues.first?.fieldName == Step.fieldName(mutated.mutation.reportedAt), "\(issues.map(\.description))")
            #expect(issues.allSatisfy { !$0.message.isEmpty })
        }
    }

    /// Whatever JSON arrives, validation returns issues (never traps), and each names a place in the
    /// document: a value that is there, or a member missing from an object that is there.
    @Test(.replayable) func arbitraryJSONIsJudgedWithoutCrashing() async {
        let documents = generator { dice -> ShapedValue in
            let shape = dice.pick(Array(Self.shapes.prefix(5)))
            var value = ModelValues.value(of: shape, &dice)
            switch dice.int(0...2) {
            case 0: value = JSONGen.value(&dice)
            default:
                for _ in 0..<dice.int(1...3) {
                    let paths = Self.paths(in: value)
                    value = value.setting(dice.pick(paths), to: dice.chance(0.2) ? nil : JSONGen.value(&dice, depth: 2))
                }
            }
            return ShapedValue(shape: shape, value: value)
        }
        let memberNames = Set(ServiceModel.shapeList.flatMap { shape -> [String] in
            if case .structure(let structure) = shape.kind { return structure.members.map(\.name) }
            return []
        })
        await propertyCheck(count: Fuzzing.iterations(400), input: documents) { shaped in
            let issues = ModelValidator.validate(shaped.value, as: shaped.shape)
            #expect(issues.allSatisfy { !$0.message.isEmpty })
            let nowhere = Self.issuesNamingNothing(issues, in: shaped.value, memberNames: memberNames)
            #expect(nowhere.isEmpty, "these name nothing in the document: \(nowhere.map(\.description))")
        }
    }

    /// The issues whose field is neither a value in the document nor a member of an object in it.
    static func issuesNamingNothing(_ issues: [ValidationExceptionError], in value: JSONValue, memberNames: Set<String>) -> [ValidationExceptionError] {
        let present = paths(in: value)
        let places = Set(present.map(Step.fieldName))
        let objects = present.filter { value.value(at: $0)?.objectValue != nil }.map(Step.fieldName)
        return issues.filter { issue in
            let field = issue.fieldName ?? ""
            if places.contains(field) { return false }
            return !objects.contains { object in memberNames.contains { (object.isEmpty ? $0 : object + "." + $0) == field } }
        }
    }

    /// A length-bounded string is judged by its count of code points (what the pattern's `.` counts in
    /// the model's ECMAScript dialect), whatever characters they make, and without `(?s)` a line break is
    /// refused. The regular expression agrees, except that ICU's `.` under `(?s)` takes CR LF as one
    /// character: on such text the code-point count is the rule (ICU's reading is not the model's).
    @Test(.replayable) func lengthBoundsCountCodePoints() async {
        let patterned = ServiceModel.shapeList.compactMap { shape -> (String, String)? in
            guard case .string(let string) = shape.kind, let pattern = string.pattern, LengthBounds(pattern) != nil else { return nil }
            return (shape.name, pattern)
        }
        let texts = generator { dice -> PatternedText in
            let (shape, pattern) = dice.pick(patterned)
            let bounds = LengthBounds(pattern)!
            let count = max(0, dice.pick([bounds.min - 1, bounds.min, bounds.max, bounds.max + 1, dice.int(0...bounds.max)]))
            var scalars = Array(bounds.text(count: count, &dice).unicodeScalars)
            if !scalars.isEmpty, dice.chance(0.3) {
                let position = dice.int(0...scalars.count - 1)
                scalars[position] = dice.pick(LengthBounds.lineTerminators)
                if scalars[position] == "\r", dice.chance(0.5) { scalars.insert("\n", at: position + 1) }
            }
            return PatternedText(shape: shape, pattern: pattern, text: String(String.UnicodeScalarView(scalars)))
        }
        await propertyCheck(count: Fuzzing.iterations(300), input: texts) { patterned in
            let bounds = LengthBounds(patterned.pattern)!
            let scalars = patterned.text.unicodeScalars
            let fits = (bounds.min...bounds.max).contains(scalars.count)
                && (bounds.allowsLineBreaks || !scalars.contains(where: LengthBounds.lineTerminators.contains))
            let accepted = PatternMatcher.shared.problem(with: patterned.text, shape: patterned.shape) == nil
            #expect(accepted == fits, "\(scalars.count) code points")
            if !zip(scalars, scalars.dropFirst()).contains(where: { $0 == "\r" && $1 == "\n" }) {
                #expect(accepted == PatternMatcher.shared.regexMatches(patterned.text, pattern: patterned.pattern))
            }
        }
    }

    /// Every path to a value in the document, the document itself included.
    static func paths(in value: JSONValue, at path: [Step] = []) -> [[Step]] {
        var paths = [path]
        switch value {
        case .array(let elements):
            for (index, element) in elements.enumerated() { paths += Self.paths(in: element, at: path + [.element(index)]) }
        case .object(let members):
            for (key, member) in members { paths += Self.paths(in: member, at: path + [.member(key)]) }
        default: break
        }
        return paths
    }
}

struct ShapedValue: Sendable, CustomStringConvertible {
    let shape: String
    let value: JSONValue
    var description: String { "\(shape) \(value.serialized())" }
}

struct MutatedValue: Sendable, CustomStringConvertible {
    let shape: String
    let original: JSONValue
    let mutation: Mutation
    var description: String { "\(shape) \(original.serialized()) with \(mutation)" }
}

struct PatternedText: Sendable, CustomStringConvertible {
    let shape: String
    let pattern: String
    let text: String
    var description: String { "\(shape) \(pattern): \(JSONValue.string(text).serialized())" }
}
