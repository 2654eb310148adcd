@testable import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// XML response bodies in Make's shape (connection-spec.md, "Parsed bodies"): every element an array of nodes, text
/// in `_value`, attributes in `_attributes`. Read by libxml2's pull parser, loaded on first use. Foundation's
/// `XMLParser`, used before it, gave the same results for the cases of `shape`, and differed on some edges: it kept
/// the root of a body with more after it, added DTD default attributes and the markup of declared entities.
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

    /// Not well-formed: a second root element or text after the root too (Foundation's `XMLParser` used to keep the
    /// root and drop the rest).
    @Test(arguments: ["<r><a></r>", "hello", "<r>&undefined;</r>", "<r a='1' a='2'/>", "<r/><s/>", "<r/>x"])
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

    /// Whitespace alone is an empty document; an undeclared prefix is read as written; markup inside a declared
    /// entity is left out with the reference.
    @Test func edgesOfTheShape() {
        #expect(Self.parsed("  \n") == "{}")
        #expect(Self.parsed("<p:r/>") == #"{"p:r":[{}]}"#)
        #expect(Self.parsed(#"<!DOCTYPE r [<!ENTITY e "<b>in</b>">]><r>a&e;b</r>"#) == #"{"r":[{"_value":"ab"}]}"#)
    }

    /// Repeated elements and element names that collide with `_attributes` and `_value` keep their shape: the node
    /// is built in place (each repeat appended to its array without copying the ones before).
    @Test func repeatedElementsAndCollidingNames() {
        #expect(Self.parsed(#"<r a="1"><_attributes/><i/><_attributes>x</_attributes><i>2</i>t</r>"#)
            == #"{"r":[{"_attributes":[{},{"_value":"x"}],"i":[{},{"_value":"2"}],"_value":"t"}]}"#)
        #expect(Self.parsed("<r><_value/><_value/>t</r>") == #"{"r":[{"_value":"t"}]}"#)
        #expect(Self.parsed("<r><_value/><b/></r>") == #"{"r":[{"_value":[{}],"b":[{}]}]}"#)
    }

    /// 200,000 siblings (1.4 MB of `<i>n</i>`, within the 8 MiB body limit) parse into one array in order. Each
    /// repeat used to copy the array so far: quadratic, hours for this body.
    @Test func manyRepeatedElementsParseInLinearTime() throws {
        let count = 200_000
        var xml = "<r>"
        for index in 0..<count { xml += "<i>\(index)</i>" }
        xml += "</r>"
        let value = try #require(XMLBody.parse(Array(xml.utf8)))
        guard case .array(let roots)? = value["r"], case .object(let root)? = roots.first,
            case .array(let items)? = root["i"]
        else { Issue.record("no array of i"); return }
        #expect(items.count == count)
        #expect(items.last?["_value"] == .string(String(count - 1)))
    }

    /// An attribute value whose expansion libxml2 gives up on (over 10 MB) fails the body: libxml2 would return it
    /// empty.
    @Test func anExpansionTooLargeFailsTheBody() {
        let references = String(repeating: "&e;", count: 160)  // 160 × 64 KiB
        let xml = #"<!DOCTYPE r [<!ENTITY e "\#(String(repeating: "A", count: 65_536))">]><r a="\#(references)"/>"#
        #expect(Self.parsed(xml) == nil)
    }

    /// libxml2 caps each attribute's expansion, not their sum: attribute values over 16 MiB in all fail the body
    /// (this 70 KB one would expand to 98 MB), and under it they are kept whole.
    @Test func attributeValuesAreCappedInAll() throws {
        let entity = #"<!DOCTYPE r [<!ENTITY e "\#(String(repeating: "A", count: 65_536))">]>"#
        func body(attributes: Int, references: Int) -> String {
            let value = String(repeating: "&e;", count: references)
            return entity + "<r" + (0..<attributes).map { " a\($0)=\"\(value)\"" }.joined() + "/>"
        }
        #expect(XMLBody.parse(Array(body(attributes: 10, references: 150).utf8)) == nil)
        #expect(XMLBody.parse(Array(body(attributes: 5, references: 60).utf8)) == nil)  // 19.7 MB
        let kept = try #require(XMLBody.parse(Array(body(attributes: 4, references: 60).utf8)))  // 15.7 MB
        guard case .array(let roots)? = kept["r"], case .object(let root)? = roots.first,
            case .object(let attributes)? = root["_attributes"]
        else { Issue.record("no attributes"); return }
        #expect(attributes.count == 4 && attributes["a3"]?.stringValue?.utf8.count == 60 * 65_536)
    }

    /// libxml2 prints nothing, whatever it cannot read: its messages quote the body's bytes, which may be secrets.
    @Test func nothingIsPrinted() throws {
        let bodies: [[UInt8]] = [
            Array(#"<?xml version="1.0" encoding="Shift_JIS"?><r>pw=hunter2"#.utf8) + [0xFF, 0xFF] + Array("</r>".utf8),
            [0x4C, 0x6F, 0xA7, 0x94] + Array("secret".utf8),  // read as EBCDIC
            Array("<r><a></r> hunter2".utf8),
        ]
        let directory = TemporaryDirectory()
        let captured = directory.file("stderr")
        fflush(nil)  // every C stream, standard error among them
        let saved = dup(STDERR_FILENO)
        let file = open(captured, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        dup2(file, STDERR_FILENO)
        close(file)
        let results = bodies.map { XMLBody.parse($0) }
        fflush(nil)  // every C stream, standard error among them
        dup2(saved, STDERR_FILENO)
        close(saved)
        #expect(results.allSatisfy { $0 == nil })
        let printed = try String(contentsOfFile: captured, encoding: .utf8)
        #expect(!printed.contains("hunter2") && !printed.contains("secr") && !printed.contains("error"), "\(printed)")
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
