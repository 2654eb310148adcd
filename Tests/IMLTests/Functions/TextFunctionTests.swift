import Testing

@testable import IML

@Suite("Text functions")
struct TextFunctionTests {
    static let variables: Value = ["body": ["pattern": "/(/", "enc": "utf16", "text": "a\u{00A0}b"]]

    @Test(arguments: [
        ("ascii(undefined)", #""""#), ("ascii(123)", #""123""#), ("ascii('ß ø đ', true)", #""  ""#),
        ("ascii('Crème brûlée', 1)", #""Creme brulee""#), ("ascii('Crème')", #""Crme""#),
        ("base64(undefined)", #""""#), ("base64(null)", #""""#), ("base64(12)", #""MTI=""#),
        ("base64(toBinary('4d616b65', 'hex'))", #""TWFrZQ==""#), ("base64('é')", #""w6k=""#),
        ("capitalize(undefined)", #""""#), ("capitalize('élan')", #""Élan""#), ("capitalize(5)", #""5""#),
        ("contains(undefined, 'a')", "false"), ("contains(123, '2')", "false"), ("contains('abc', '')", "true"),
        ("contains('abc', undefined)", "true"), ("contains(body.obj, 'a')", "false"),
        ("contains(body.nums, 3)", "true"), ("contains('Hello', 'hello')", "false"),
        ("decodeURL('%E0%A4%A')", #""%E0%A4%A""#), ("decodeURL('a+b')", #""a+b""#), ("decodeURL(undefined)", #""""#),
        ("decodeURL('%C3%A9')", #""é""#), ("decodeURL('%FF')", #""%FF""#),
        ("encodeURL(undefined)", #""""#), ("encodeURL(\"!~*'()\")", #""!~*'()""#),
        ("encodeURL('😀')", #""%F0%9F%98%80""#), ("encodeURL(1.5)", #""1.5""#),
        ("escapeHTML(null)", #""""#), ("escapeHTML(\"'&'\")", #""&#39;&amp;&#39;""#),
        ("escapeMarkdown(undefined)", #""""#), ("escapeMarkdown('a_b')", #""a\\_b""#),
        ("indexOf('😀a', 'a')", "2"), ("indexOf('abc', '')", "0"), ("indexOf('abc', 'c', -5)", "2"),
        ("indexOf('abc', '', 10)", "3"), ("indexOf(undefined, 'a')", "-1"), ("indexOf('abc', 'a', 'x')", "0"),
        ("indexOf(12345, 3)", "2"), ("indexOf('aXbX', 'X', 2)", "3"),
        ("length(null)", "0"), ("length(123)", "3"), ("length(true)", "4"), ("length(body.obj)", "3"),
        ("length(now)", "24"), ("length('')", "0"),
        ("lower(undefined)", #""""#), ("upper('ß')", #""SS""#), ("lower('ÀB')", #""àb""#), ("upper(true)", #""TRUE""#),
        ("md5(undefined)", #""d41d8cd98f00b204e9800998ecf8427e""#),
        ("md5(toBinary('Make'))", #""529a05ca6c1263aab080ec4f20754411""#),
        ("mime('PHOTO.JPG')", #""image/jpeg""#), ("mime('archive.tar.gz')", #""application/gzip""#),
        ("mime('.hidden')", "undefined"), ("mime(undefined)", "undefined"), ("mime('x.')", "undefined"),
        ("mime('report.PDF')", #""application/pdf""#),
        (
            "mime('a.docx')",
            #""application/vnd.openxmlformats-officedocument.wordprocessingml.document""#
        ),
        ("replace(undefined, 'a', 'b')", #""""#), ("replace('aaa', 'a', '$&$&')", #""aaaaaa""#),
        ("replace('a.b', '.', '$$')", #""a$b""#), ("replace('abc', '/B/i', 'x')", #""axc""#),
        ("replace('a1b2', '/\\d/', '#')", #""a#b2""#), ("replace('a-b', '-', undefined)", #""ab""#),
        ("replace('John Smith', '/(\\w+) (\\w+)/', '[$3]')", #""[]""#),
        ("replace('x', '/a|/g', '-')", #""-x-""#), ("replace('a.b.c', '.', '')", #""abc""#),
        ("replace('/api/v1/x', '/api/v1', '')", #""/x""#), ("replace('A\nB', '/^b/mi', 'c')", #""A\nc""#),
        ("replace('a\nb', '/a.b/s', 'x')", #""x""#), ("replace('ab', 'b', '$1')", #""a""#),
        ("replace('abc', '/(a)(b)(c)/', '$10')", #""a0""#), ("replace('é', 'é', 'e')", #""e""#),
        ("replace('x', body.pattern, 'y')", "error E_REGEX"),
        ("replaceEmojiCharacters(undefined)", #""""#), ("replaceEmojiCharacters('1#*')", #""1#*""#),
        ("replaceEmojiCharacters('🇨🇿!')", #""!""#), ("replaceEmojiCharacters('❤️x')", #""x""#),
        ("replaceEmojiCharacters('1️⃣x', '-')", #""-x""#), ("replaceEmojiCharacters('a👨‍👩‍👧b')", #""ab""#),
        ("split(undefined, ',')", #"[""]"#), ("split('abc', '')", #"["a","b","c"]"#), ("split('a,b')", #"["a,b"]"#),
        ("split('a😀', '')", #"["a","😀"]"#), ("split('a1b', 1)", #"["a","b"]"#), ("split(',', ',')", #"["",""]"#),
        ("startcase(undefined)", #""""#), ("startcase('élan VITAL')", #""Élan Vital""#),
        ("startcase('  a  b ')", #""  A  B ""#),
        ("stripHTML('a < b')", #""a < b""#), ("stripHTML(undefined)", #""""#),
        ("stripHTML('<a href=x>y</a>')", #""y""#),
        ("substring('Hello', -3, 2)", #""He""#), ("substring('Hello', 'x')", #""Hello""#),
        ("substring('😀', 0, 1)", #""\#u{FFFD}""#), ("substring(undefined, 0, 1)", #""""#),
        ("substring('Hello', 2, 100)", #""llo""#), ("substring('Hello', 1.9)", #""ello""#),
        ("substring('Hello', 1, undefined)", #""ello""#), ("substring('Hello', 1, null)", #""H""#),
        ("toBinary('zz', 'hex')", "undefined"), ("toBinary('abc', 'hex')", "undefined"),
        ("toString(toBinary('TW Fr\nZQ', 'base64'))", #""Make""#),
        ("toString(toBinary('TWFrZQ', 'base64'))", #""Make""#),
        ("length(toBinary('_-8', 'base64'))", "2"), ("toBinary('a$', 'base64')", "undefined"),
        ("toString(toBinary(12))", #""12""#), ("length(toBinary(undefined))", "0"),
        ("toBinary('x', body.enc)", "error E_ENCODING"), ("toBinary('TWFrZQ==', 'base64')", #""TWFrZQ==""#),
        ("toString(now)", #""2016-12-28T16:03:06.000Z""#), ("toString(null)", #""""#),
        ("toString(toBinary('ff', 'hex'))", #""\#u{FFFD}""#), ("toString(1e21)", #""1e+21""#),
        ("toString(emptyarray)", #""[]""#),
        ("trim('\\u00a0 x \\u3000')", #""x""#), ("trim(undefined)", #""""#), ("trim(body.text)", #""a\#u{00A0}b""#),
    ])
    func text(_ expression: String, _ expected: String) {
        var variables = Eval.exampleContext.objectValue!
        for (key, value) in Self.variables.objectValue!["body"]!.objectValue! {
            var body = variables["body"]!.objectValue!
            body[key] = value
            variables["body"] = .object(body)
        }
        #expect(Eval.show(expression, .object(variables)) == expected)
    }

    @Test func runtimeRegexErrorNamesTheCall() throws {
        let template = try Template("x {{replace('a', body.pattern, 'b')}}", location: "url")
        #expect {
            try template.evaluate(in: Eval.context(Self.variables))
        } throws: { error in
            guard let error = error as? IMLError else { return false }
            return error.phase == .runtime && error.code == .regex && error.column == 5 && error.token == "replace"
                && error.location == "url" && !error.description.contains("/(/")
        }
    }
}
