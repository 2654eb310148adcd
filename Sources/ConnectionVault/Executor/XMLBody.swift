import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import IML

/// XML bodies the way Make shapes them: every element is an array of nodes, text in `_value`, attributes in
/// `_attributes`. `<user id="7"><name>Jane</name></user>` becomes
/// `{"user": [{"_attributes": {"id": "7"}, "name": [{"_value": "Jane"}]}]}`.
final class XMLBody: NSObject, XMLParserDelegate {
    private var stack: [(name: String, node: Object, text: String)] = [("", Object(), "")]
    private var depth = 0
    private static let maxDepth = 256

    /// Parses `body`, or nil when it is not well-formed XML.
    static func parse(_ body: [UInt8]) -> Value? {
        let builder = XMLBody()
        let parser = XMLParser(data: Data(body))
        parser.delegate = builder
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), builder.stack.count == 1 else { return nil }
        return .object(builder.stack[0].node)
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String]
    ) {
        depth += 1
        if depth > Self.maxDepth { return parser.abortParsing() }
        var node = Object()
        if !attributes.isEmpty {
            node["_attributes"] = .object(Object(attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        stack.append((name, node, ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        stack[stack.count - 1].text += String(decoding: block, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        guard stack.count > 1 else { return }
        var (elementName, node, text) = stack.removeLast()
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { node["_value"] = .string(trimmed) }
        var parent = stack[stack.count - 1].node
        if case .array(let siblings)? = parent[elementName] {
            parent[elementName] = .array(siblings + [.object(node)])
        } else {
            parent[elementName] = .array([.object(node)])
        }
        stack[stack.count - 1].node = parent
    }
}
