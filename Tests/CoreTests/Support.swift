import Foundation
import OrderedJSON

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A JSON file of the package; each global below reads its file once, at first use.
private func committedJSON(_ path: String) -> JSONValue {
    let url = packageRoot.appendingPathComponent(path)
    do {
        return try JSONValue(parsing: try Data(contentsOf: url))
    } catch {
        fatalError("cannot read \(url.path): \(error)")
    }
}

/// The committed AWS service model that the generator reads.
let committedModel = committedJSON("Model/partnercentral-selling-2022-07-26.json")

/// botocore's paginators for the service, committed beside the model.
let committedPaginators = committedJSON("Model/partnercentral-selling-2022-07-26.paginators.json")
