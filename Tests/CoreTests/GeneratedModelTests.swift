@testable import Core
import Testing

/// The generated Swift model says exactly what the committed AWS model says.
@Suite(.tags(.unit)) struct GeneratedModelTests {
    let shapes = committedModel["shapes"]!

    /// Shapes reachable from the served operations, computed here from the JSON alone.
    var reachableShapeNames: Set<String> {
        var seen: Set<String> = []
        var pending: [String] = []
        for operation in ServiceModel.operations.map(\.name) {
            let declaration = committedModel["operations"]![operation]!
            pending += [declaration["input"]?["shape"]?.stringValue, declaration["output"]?["shape"]?.stringValue].compactMap { $0 }
            pending += declaration["errors"]!.arrayValue!.map { $0["shape"]!.stringValue! }
        }
        while let name = pending.popLast() {
            guard seen.insert(name).inserted else { continue }
            let shape = shapes[name]!
            pending += (shape["members"]?.objectValue ?? [:]).values.map { $0["shape"]!.stringValue! }
            for part in ["member", "key", "value"] { if let target = shape[part]?["shape"]?.stringValue { pending.append(target) } }
        }
        return seen
    }

    @Test func everyReachableShapeIsGeneratedAndNothingElse() {
        #expect(Set(ServiceModel.shapes.keys) == reachableShapeNames)
        #expect(ServiceModel.shapes.count == 381)
        #expect(ServiceModel.operations.map(\.name) == committedModel["operations"]!.objectValue!.keys.sorted())
        #expect(ServiceModel.operations.count == 42)
    }

    /// The 11 paginated operations, each naming its tokens and result list as botocore's file does, and
    /// each member a member of the operation's input or output.
    @Test func paginatorsAreBotocoresAndNameMembersOfTheModel() throws {
        let entries = try #require(committedPaginators["pagination"]?.objectValue)
        #expect(ServiceModel.paginators.count == 11)
        #expect(Set(ServiceModel.paginators.keys) == Set(entries.keys))
        for (operation, entry) in entries {
            let paginator = try #require(ServiceModel.paginators[operation])
            #expect(paginator == Paginator(inputToken: entry["input_token"]!.stringValue!, outputToken: entry["output_token"]!.stringValue!,
                                           limitKey: entry["limit_key"]?.stringValue, resultKey: entry["result_key"]!.stringValue!), "\(operation)")
            let schema = try #require(ServiceModel.operation(named: operation))
            guard case .structure(let input)? = ServiceModel.shape(named: schema.input)?.kind,
                case .structure(let output)? = ServiceModel.shape(named: schema.output ?? "")?.kind
            else { Issue.record("\(operation) has no structures"); continue }
            #expect(input.member(named: paginator.inputToken) != nil && output.member(named: paginator.outputToken) != nil, "\(operation)")
            #expect(output.member(named: paginator.resultKey) != nil, "\(operation)")
        }
    }

    @Test func structuresHaveTheModelsMembersInOrderWithTheirRequiredFlags() throws {
        for schema in ServiceModel.shapeList {
            guard case .structure(let structure) = schema.kind else { continue }
            let model = shapes[schema.name]!
            let members = model["members"]?.objectValue ?? [:]
            let required = Set((model["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            #expect(structure.members.map(\.name) == Array(members.keys), "\(schema.name)")
            #expect(structure.members.map(\.shape) == members.values.map { $0["shape"]!.stringValue! }, "\(schema.name)")
            #expect(Set(structure.members.filter(\.isRequired).map(\.name)) == required, "\(schema.name)")
            #expect(structure.isUnion == (model["union"] == .bool(true)), "\(schema.name)")
            #expect((structure.exceptionFault != nil) == (model["exception"] == .bool(true)), "\(schema.name)")
        }
    }

    @Test func stringsListsAndIntegersCarryTheModelsConstraints() {
        for schema in ServiceModel.shapeList {
            let model = shapes[schema.name]!
            switch schema.kind {
            case .string(let string):
                #expect(model["type"] == "string")
                #expect(string.pattern == model["pattern"]?.stringValue, "\(schema.name)")
                #expect(string.enumValues == (model["enum"]?.arrayValue ?? []).compactMap(\.stringValue), "\(schema.name)")
                #expect(string.isSensitive == (model["sensitive"] == .bool(true)), "\(schema.name)")
            case .list(let list):
                #expect(model["type"] == "list")
                #expect(list.member == model["member"]?["shape"]?.stringValue, "\(schema.name)")
                #expect(list.min.map { JSONValue.integer(Int64($0)) } == model["min"], "\(schema.name)")
                #expect(list.max.map { JSONValue.integer(Int64($0)) } == model["max"], "\(schema.name)")
            case .integer(let bounds):
                #expect(model["type"] == "integer")
                #expect(bounds.min.map { JSONValue.integer(Int64($0)) } == model["min"], "\(schema.name)")
                #expect(bounds.max.map { JSONValue.integer(Int64($0)) } == model["max"], "\(schema.name)")
            case .timestamp(let timestamp):
                #expect(model["type"] == "timestamp")
                #expect(.string(timestamp.format) == model["timestampFormat"], "\(schema.name)")
            case .structure:
                #expect(model["type"] == "structure")
            case .map(let map):
                #expect(model["type"] == "map")
                #expect(map.key == model["key"]?["shape"]?.stringValue, "\(schema.name)")
                #expect(map.value == model["value"]?["shape"]?.stringValue, "\(schema.name)")
                #expect(map.min.map { JSONValue.integer(Int64($0)) } == model["min"], "\(schema.name)")
                #expect(map.max.map { JSONValue.integer(Int64($0)) } == model["max"], "\(schema.name)")
            }
        }
    }

    @Test func swiftEnumsListTheModelsValuesInOrder() {
        func values(_ shape: String) -> [String] { shapes[shape]!["enum"]!.arrayValue!.compactMap(\.stringValue) }
        #expect(Industry.allCases.map(\.rawValue) == values("Industry"))
        #expect(Industry.allCases.count == 28)
        #expect(CountryCode.allCases.map(\.rawValue) == values("CountryCode"))
        #expect(CountryCode.allCases.count == 249)
        #expect(MarketSegment.allCases.map(\.rawValue) == values("MarketSegment"))
        #expect(EngagementContextType.allCases.map(\.rawValue) == values("EngagementContextType"))
        #expect(SortOrder.allCases.map(\.rawValue) == values("SortOrder"))
        #expect(EngagementSortName.allCases.map(\.rawValue) == values("EngagementSortName"))
        #expect(ValidationExceptionErrorCode.allCases.map(\.rawValue) == values("ValidationExceptionErrorCode"))
        #expect(ValidationExceptionReason.allCases.map(\.rawValue) == values("ValidationExceptionReason"))
        #expect(AccessDeniedExceptionErrorCode.allCases.map(\.rawValue) == values("AccessDeniedExceptionErrorCode"))
        let enumShapes = ServiceModel.shapeList.filter {
            if case .string(let string) = $0.kind { !string.enumValues.isEmpty } else { false }
        }
        #expect(Stage.allCases.map(\.rawValue) == values("Stage"))
        #expect(ReviewStatus.allCases.map(\.rawValue) == values("ReviewStatus"))
        #expect(CurrencyCode.allCases.count == 168)
        #expect(enumShapes.count == 49, "a new enum shape needs a line above")
    }

    @Test func stateOrRegionComesFromTheAddressDocumentation() {
        // Address and AddressSummary document the same values; the set is named where it is first documented.
        let documentation = shapes["Address"]!["members"]!["StateOrRegion"]!["documentation"]!.stringValue!
        #expect(shapes["AddressSummary"]!["members"]!["StateOrRegion"]!["documentation"]!.stringValue! == documentation)
        #expect(StateOrRegion.allCases.count == 62)
        for value in StateOrRegion.allCases.map(\.rawValue) {
            #expect(documentation.contains(value))
        }
        #expect(StateOrRegion.allCases.first?.rawValue == "Alabama")
        #expect(StateOrRegion.allCases.last?.rawValue == "FPO, AP")
        #expect(ServiceModel.documentedValueSet(named: "StateOrRegion")?.documentedAt == "Address.StateOrRegion")
    }

    @Test func unknownEnumValuesAreKeptRatherThanLost() {
        #expect(Industry(rawValue: "Quantum Farming") == .unknown("Quantum Farming"))
        #expect(Industry(rawValue: "Quantum Farming").rawValue == "Quantum Farming")
        #expect(Industry(rawValue: "Financial Services") == .financialServices)
        #expect(CountryCode(rawValue: "IN") == .in)
    }
}

/// Every format a request can be refused for is said in words, not as the model's regular expression.
@Suite(.tags(.unit)) struct FormatWordsTests {
    @Test func everyPatternedShapeThatIsNotALengthHasWords() {
        for shape in ServiceModel.shapeList {
            guard case .string(let string) = shape.kind, let pattern = string.pattern, LengthPattern(pattern) == nil else { continue }
            #expect(FormatDescription.of(shape: shape.name) != nil, "\(shape.name) (\(pattern)) has no words in FormatDescription")
        }
    }

    @Test func anOpportunityIdIsRefusedInWords() {
        let issues = ModelValidator.validate(["Catalog": "AWS", "Identifier": "X1"], as: "GetOpportunityRequest")
        #expect(issues.map(\.description) == ["Identifier: 'X1' is not an opportunity id: O and 1 to 19 digits, such as O1234567"])
    }
}
