import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The text of the leaf elements of an STS XML answer, by element name (the first of each name):
/// `AccessKeyId`, `SessionToken`, `Expiration` of an `AssumeRoleResponse`, or `Code` and `Message` of an
/// `ErrorResponse`.
struct STSDocument {
    private let leaves: [String: String]

    /// Nil when `xml` is not well-formed XML.
    init?(xml: [UInt8]) {
        let reader = LeafReader()
        let parser = XMLParser(data: Data(xml))
        parser.delegate = reader
        guard parser.parse() else { return nil }
        leaves = reader.leaves
    }

    subscript(name: String) -> String? { leaves[name] }

    private final class LeafReader: NSObject, XMLParserDelegate {
        var leaves: [String: String] = [:]
        private var text = ""
        private var hasChildren = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            (text, hasChildren) = ("", false)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if !hasChildren, leaves[name] == nil { leaves[name] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            (text, hasChildren) = ("", true)
        }
    }
}
