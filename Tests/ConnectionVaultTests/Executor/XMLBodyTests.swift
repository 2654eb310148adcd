@testable import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// XML response bodies in Make's shape (connection-spec.md, "Parsed bodies"): every element an array of nodes, text
/// in `_value`, attributes in `_attributes`. Read by libxml2's pull parser, loaded on first use; Foundation's
/// `XMLParser`, used before it, gave the same results but for a second root element.
@Suite("XML bodies")
struct XMLBodyTests {
    static func parsed(_ text: String) -> String? {
        XMLBody.parse(Array(text.utf8)).map { $0.compactJSON() }
    }

    @Test(arguments: [
        // Elements repeat as arrays, empty ones are empty objects, attributes are sorted by name.
        (#"<?xml version="1.0"?><user id="7"><name>Jane</name></user>"#,
         #"{"user":[{"_attributes":{"id":"7"},"name":[{"_value":"Jane"}]}]}"#),
        ("<r><i>1</i><i>2</i><j/></r>", #"{"r":[{"i":[{"_value":"1"},{"_value":"2"}],"j":[{}]}]}"#),
        (#"<r b="2" a="1" c="&amp;&#x41;"/>"#, #"{"r":[{"_attributes":{"a":"1","b":"2","c":"&A"}}]}"#),
        // An element's text is what it holds outside its children, trimmed; whitespace alone is no text.
        ("<r>  a <b>x</b> c </r>", #"{"r":[{"b":[{"_value":"x"}],"_value":"a  c"}]}"#),
        ("<r>\n  \n</r>", #"{"r":[{}]}"#),
        // Predefined entities, character references and CDATA are text; comments and instructions are not.
        ("<r>a &amp; b &lt;c&gt; &#x41;&#66; &quot;&apos;</r>", #"{"r":[{"_value":"a & b <c> AB \"'"}]}"#),
        ("<r><![CDATA[<x> & y]]>z</r>", #"{"r":[{"_value":"<x> & yz"}]}"#),
        ("<r><!-- c --><?pi x?>t</r>", #"{"r":[{"_value":"t"}]}"#),
        // Names keep their prefixes (no namespace processing); namespace declarations are attributes.
        (#"<ns:r xmlns:ns="urn:x" ns:a="1"><ns:c/></ns:r>"#,
         #"{"ns:r":[{"_attributes":{"ns:a":"1","xmlns:ns":"urn:x"},"ns:c":[{}]}]}"#),
        ("<r>é</r>", #"{"r":[{"_value":"é"}]}"#),
    ])
    func shape(_ xml: String, _ expected: String) {
        #expect(Self.parsed(xml) == expected)
    }

    @Test func theDeclaredEncodingIsHonoured() {
        let latin1 = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><r>"#.utf8) + [0xE9] + Array("</r>".utf8)
        #expect(XMLBody.parse(latin1)?.compactJSON() == #"{"r":[{"_value":"é"}]}"#)
    }

    /// Not well-formed: a second root element too (Foundation's `XMLParser` used to keep the first and drop the rest).
    @Test(arguments: ["<r><a></r>", "hello", "<r>&undefined;</r>", "<r a='1' a='2'/>", "<r/><s/>"])
    func aBodyThatIsNotWellFormedIsNotXML(_ xml: String) {
        #expect(Self.parsed(xml) == nil)
    }

    /// Nesting is bounded: 256 levels parse, one more is refused (a deep body must not exhaust the stack).
    @Test func nestingIsLimited() {
        func nested(_ depth: Int) -> String {
            String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
        }
        #expect(Self.parsed(nested(256)) != nil)
        #expect(Self.parsed(nested(257)) == nil)
    }

    /// Entities a body declares itself: left out of text, expanded in attribute values (as XML requires), and an
    /// exponential expansion ("billion laughs") is refused, not computed.
    @Test func declaredEntities() {
        #expect(Self.parsed(#"<!DOCTYPE r [<!ENTITY e "x">]><r a="&e;">a&e;b</r>"#)
            == #"{"r":[{"_attributes":{"a":"x"},"_value":"ab"}]}"#)
        var declarations = #"<!ENTITY l0 "lollollollollollollollollollol">"#
        for level in 1...9 {
            declarations += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        for body in [#"<r a="&l9;"/>"#, "<r>&l9;</r>"] {
            #expect(Self.parsed("<!DOCTYPE r [\(declarations)]>" + body) == nil, "\(body)")
        }
    }

    /// External entities are never read (no file or network access from a response body).
    @Test func externalEntitiesAreNotResolved() throws {
        let directory = TemporaryDirectory()
        let secret = directory.file("secret.txt")
        try "canary-6d1f".write(toFile: secret, atomically: true, encoding: .utf8)
        let xml = #"<!DOCTYPE r [<!ENTITY e SYSTEM "file://\#(secret)">]><r>&e;</r>"#
        #expect(Self.parsed(xml)?.contains("canary-6d1f") != true)
    }
}
