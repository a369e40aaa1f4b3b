import Core
import Foundation

/// ListSolutions on the sandbox: every catalog holds the same solutions: the seeded ones, with `S-1234567`
/// (the one AWS's own Sandbox catalog offers) first, and those `engage sandbox solutions add` added. docs/sandbox.md lists them and the rules.
extension SandboxService {
    public func handle(_ validated: Validated<ListSolutionsRequest>) async throws(ServiceError) -> ListSolutionsResponse {
        let request = validated.request
        try Self.checkCatalog(validated)
        let held = try await perform(writing: false) { db in try Self.solutions(db) }
        var solutions = held.filter { solution in
            (request.identifier.map { $0.contains(solution.id) } ?? true)
                && (request.status.map { $0.contains(solution.status) } ?? true)
                && (request.category.map { $0.contains(solution.category) } ?? true)
        }
        // Sorted by the member the request names, ties by id; by id when it names none.
        let descending = request.sort?.sortOrder == .descending
        func key(_ solution: SandboxSolution) -> String {
            switch request.sort?.sortBy {
            case .name?: solution.name
            case .status?: solution.status.rawValue
            case .category?: solution.category
            case .createdDate?: solution.created
            default: solution.id
            }
        }
        solutions.sort { a, b in
            let (x, y) = (key(a), key(b))
            guard x != y else { return a.id < b.id }
            return descending ? x > y : x < y
        }
        let offset = try Self.offset(of: request.nextToken, within: solutions.count)
        let pageSize = request.maxResults ?? 20
        let page = solutions.dropFirst(offset).prefix(pageSize)
        let next = offset + page.count < solutions.count ? Data("solutions \(offset + page.count)".utf8).base64EncodedString() : nil
        return ListSolutionsResponse(
            solutionSummaries: page.map { solution in
                SolutionBase(catalog: request.catalog, id: solution.id, arn: solution.id, name: solution.name, status: solution.status,
                             category: solution.category, createdDate: Timestamp(solution.created))
            },
            nextToken: next)
    }

    /// Where a ListSolutions page starts: 0 without a token, else the position a previous page's token gives.
    private static func offset(of token: String?, within count: Int) throws(ServiceError) -> Int {
        guard let token else { return 0 }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("solutions "),
            let offset = Int(text.dropFirst("solutions ".count)), (0...count).contains(offset)
        else {
            throw .requestValidation([
                ValidationExceptionError(fieldName: "NextToken", message: "is not a token from a previous ListSolutions call", code: .invalidValue),
            ])
        }
        return offset
    }
}
