extension ShapeDescription {
    /// The description for people. An enum prints its values one per line and nothing else, so that
    /// `engage describe CountryCode | grep` works; everything else prints a heading, the documentation and
    /// its members or constraints, wrapped at `width` columns.
    public func text(width: Int = 80) -> String {
        switch subject {
        case .documentedValues(let set):
            return set.values.joined(separator: "\n") + "\n"
        case .operation(let operation):
            var lines = ["\(operation.name) (operation)"]
            lines += paragraphs(operation.documentation, indent: "  ", width: width)
            lines += ["", "Input:  \(operation.input)", "Output: \(operation.output ?? "none: the service answers {}")"]
            let errors = wrap(operation.errors.joined(separator: ", "), indent: "        ", width: width)
            lines += errors.enumerated().map { $0.offset == 0 ? "Errors:" + $0.element.dropFirst(7) : $0.element }
            if let input = ServiceModel.shape(named: operation.input), case .structure(let structure) = input.kind {
                lines += ["", "\(operation.input) members:"] + memberLines(structure, width: width)
            }
            return lines.joined(separator: "\n") + "\n"
        case .shape(let shape):
            return shapeText(shape, width: width)
        }
    }

    private func shapeText(_ shape: ShapeSchema, width: Int) -> String {
        var lines: [String]
        switch shape.kind {
        case .string(let string) where !string.enumValues.isEmpty:
            return string.enumValues.joined(separator: "\n") + "\n"
        case .structure(let structure):
            let kind = structure.exceptionFault.map { "exception, \($0.rawValue) fault" } ?? (structure.isUnion ? "union: exactly one member is set" : "structure")
            lines = ["\(shape.name) (\(kind))"]
            lines += paragraphs(shape.documentation, indent: "  ", width: width)
            lines += ["", structure.members.isEmpty ? "No members." : "Members:"] + memberLines(structure, width: width)
        default:
            lines = ["\(shape.name): \(Self.typeSummary(of: shape.name))"]
            if case .string(let string) = shape.kind, let pattern = string.pattern { lines.append("Pattern: \(pattern) (the whole value must match)") }
            lines += paragraphs(shape.documentation, indent: "  ", width: width)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func memberLines(_ structure: StructureSchema, width: Int) -> [String] {
        var lines: [String] = []
        for member in structure.members {
            let requirement = structure.isUnion ? "choice" : (member.isRequired ? "required" : "optional")
            var summary = Self.typeSummary(of: member.shape)
            if !member.documentedValues.isEmpty {
                summary += "; documented values: `engage describe \(member.name)`"
            }
            lines.append("  \(member.name)  [\(requirement)]  \(summary)")
            lines += paragraphs(member.documentation, indent: "      ", width: width).filter { !$0.isEmpty }
        }
        return lines
    }

    /// Documentation wrapped at `width`, a blank line before each paragraph.
    private func paragraphs(_ text: String, indent: String, width: Int) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n\n") {
            lines.append("")
            for line in paragraph.split(separator: "\n") {
                lines += wrap(String(line), indent: indent, width: width)
            }
        }
        return lines
    }

    private func wrap(_ line: String, indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = indent
        for word in line.split(separator: " ") {
            if current.count > indent.count && current.count + 1 + word.count > width {
                lines.append(current)
                current = indent
            }
            current += current.count > indent.count ? " " + word : String(word)
        }
        if current.count > indent.count { lines.append(current) }
        return lines
    }
}
