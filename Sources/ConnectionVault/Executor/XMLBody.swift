internal import CXMLReader
import Foundation
import IML

/// XML bodies the way Make shapes them: every element is an array of nodes, text in `_value`, attributes in
/// `_attributes`. `<user id="7"><name>Jane</name></user>` becomes
/// `{"user": [{"_attributes": {"id": "7"}, "name": [{"_value": "Jane"}]}]}`.
///
/// Read with libxml2's pull parser, which `CXMLReader` loads on the first XML body (so that no other command pays
/// for loading libxml2 and ICU at start). Names keep their prefixes. In text, references to entities the body
/// declares are left out (with any markup they hold); in attribute values they are expanded, as XML requires, and
/// an expansion libxml2 refuses (too large, exponential), or attribute values over 16 MiB in all, fail the body.
/// Nothing outside the body is ever read, and DTD default attributes are not added.
enum XMLBody {
    private static let maxDepth = 256
    /// The most attribute text a body may expand to, in UTF-8 bytes (IML's limit on a value). libxml2 caps one
    /// attribute's expansion at 10 MB but not their sum: a 111 KB body declaring a 64 KiB entity expanded to 983 MB
    /// of attribute values, and a 3 MB one to 4 GB.
    static let maxAttributeBytes = 16 << 20

    /// Parses `body`, or nil when it is not well-formed XML, nests deeper than 256 elements or expands to
    /// attribute values over ``maxAttributeBytes`` in all. A body of whitespace alone is an empty document (`{}`).
    static func parse(_ body: [UInt8]) -> Value? {
        guard body.count < Int(Int32.max) else { return nil }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object(Object()) }
        return body.withUnsafeBytes { bytes in  // the reader reads the bytes in place: they outlive it
            guard let reader = cv_xml_reader_open(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { cv_xml_reader_close(reader) }
            var builder = Builder()
            var attributeBytes = 0
            while true {
                switch cv_xml_reader_read(reader) {
                case 1: break
                case 0: return cv_xml_reader_failed() == 0 ? builder.document : nil
                default: return nil
                }
                switch Int(cv_xml_reader_node_type(reader)) {
                case CV_XML_ELEMENT:
                    guard builder.depth < maxDepth else { return nil }
                    let name = text(cv_xml_reader_name(reader))
                    let isEmpty = cv_xml_reader_is_empty_element(reader) == 1
                    var attributes: [(String, Value)] = []
                    while cv_xml_reader_next_attribute(reader) == 1 {
                        let value = text(cv_xml_reader_value(reader))
                        attributeBytes += value.utf8.count
                        guard attributeBytes <= maxAttributeBytes else { return nil }
                        attributes.append((text(cv_xml_reader_name(reader)), .string(value)))
                    }
                    builder.start(name, attributes: attributes)
                    if isEmpty { builder.end() }
                case CV_XML_END_ELEMENT:
                    builder.end()
                case CV_XML_TEXT, CV_XML_CDATA, CV_XML_WHITESPACE, CV_XML_SIGNIFICANT_WHITESPACE:
                    builder.append(text(cv_xml_reader_value(reader)))
                default:
                    continue  // comments, processing instructions, the document type, entity references
                }
            }
        }
    }

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The elements open so far, innermost last, each with its node and the text it holds outside its children.
    private struct Builder {
        private var stack: [(name: String, node: Object, text: String)] = [("", Object(), "")]

        var depth: Int { stack.count - 1 }

        /// The whole document, once every element is closed.
        var document: Value? { stack.count == 1 ? .object(stack[0].node) : nil }

        mutating func start(_ name: String, attributes: [(String, Value)]) {
            var node = Object()
            if !attributes.isEmpty { node["_attributes"] = .object(Object(attributes.sorted { $0.0 < $1.0 })) }
            stack.append((name, node, ""))
        }

        mutating func append(_ text: String) {
            stack[stack.count - 1].text += text
        }

        mutating func end() {
            guard stack.count > 1 else { return }
            var (name, node, text) = stack.removeLast()
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { node["_value"] = .string(trimmed) }
            // In place: copying the parent (or its array of these elements) for each one was quadratic in repeats.
            stack[stack.count - 1].node.append(.object(node), toArrayAt: name)
        }
    }
}
