import Foundation
import OrderedJSON

/// The package's root folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The committed AWS service model that the generator reads.
let committedModel: JSONValue = {
    let url = packageRoot.appendingPathComponent("Model/partnercentral-selling-2022-07-26.json")
    do {
        return try JSONValue(parsing: try Data(contentsOf: url))
    } catch {
        fatalError("cannot read \(url.path): \(error)")
    }
}()

/// botocore's paginators for the service, committed beside the model.
let committedPaginators: JSONValue = {
    let url = packageRoot.appendingPathComponent("Model/partnercentral-selling-2022-07-26.paginators.json")
    do {
        return try JSONValue(parsing: try Data(contentsOf: url))
    } catch {
        fatalError("cannot read \(url.path): \(error)")
    }
}()
