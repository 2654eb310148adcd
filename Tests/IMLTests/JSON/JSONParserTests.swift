import Testing

@testable import IML

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesScalars() throws {
        #expect(try Value(parsingJSON: "null") == .null)
        #expect(try Value(parsingJSON: "true") == .bool(true))
        #expect(try Value(parsingJSON: " false ") == .bool(false))
        #expect(try Value(parsingJSON: "8080") == .number(8080))
        #expect(try Value(parsingJSON: "-2.5e3") == .number(-2500.0))
        #expect(try Value(parsingJSON: "0.1") == .number(0.1))
        #expect(try Value(parsingJSON: "\"h\\u00e9\\n\"") == .string("hé\n"))
    }

    /// Strings are scanned eight bytes at a time: every kind of byte that ends a plain run is found at every
    /// position of strings long enough to cross several words, and the result matches the byte-by-byte reading.
    @Test func findsEveryStringBoundaryWhereverItFalls() throws {
        for length in 0..<26 {
            for position in 0...length {
                let before = String(repeating: "a", count: position)
                let after = String(repeating: "b", count: length - position)
                let cases: [(json: [UInt8], expected: String)] = [
                    (Array("\"\(before)\\\"\(after)\"".utf8), before + "\"" + after),
                    (Array("\"\(before)\\\\\(after)\"".utf8), before + "\\" + after),
                    (Array("\"\(before)\\n\(after)\"".utf8), before + "\n" + after),
                    (Array("\"\(before)é\(after)\"".utf8), before + "é" + after),
                    (Array("\"\(before)\(after)\"".utf8), before + after),
                ]
                for (json, expected) in cases {
                    #expect(try Value(parsingJSON: json) == .string(expected), "\(length) \(position)")
                }
                let control = Array("\"\(before)".utf8) + [0x1F] + Array("\(after)\"".utf8)
                #expect(throws: JSONParseError(.controlCharacterInString, at: position + 1)) {
                    try Value(parsingJSON: control)
                }
                let invalid = Array("\"\(before)".utf8) + [0xFF] + Array("\(after)\"".utf8)
                #expect(throws: JSONParseError(.invalidUTF8, at: 0)) { try Value(parsingJSON: invalid) }
                let unterminated = Array("\"\(before)\(after)".utf8)
                #expect(throws: JSONParseError(.unterminatedString, at: 0)) { try Value(parsingJSON: unterminated) }
            }
        }
    }

    @Test func keepsBigIntegersExact() throws {
        let value = try Value(parsingJSON: "[9007199254740993,12345678901234567890,-9223372036854775808]")
        // -2^63 is exactly a double, so it prints in the JavaScript form.
        #expect(value.compactJSON() == "[9007199254740993,12345678901234567890,-9223372036854776000]")
        #expect(try Value(parsingJSON: "9007199254740993") != Value(parsingJSON: "9007199254740992"))
        #expect(try Value(parsingJSON: "9007199254740992") == .number(9_007_199_254_740_992.0))
        #expect(try Value(parsingJSON: "9007199254740993").numberValue?.int64 == 9_007_199_254_740_993)
    }

    @Test func keepsKeyOrderAndLastDuplicate() throws {
        let value = try Value(parsingJSON: #"{"b":1,"a":2,"b":3}"#)
        #expect(value.objectValue?.keys == ["b", "a"])
        #expect(value["b"] == .number(3))
        #expect(value.compactJSON() == #"{"b":3,"a":2}"#)
        // Keys of one length, or of lengths 64 apart, are told apart; a twin among them is still found, also past
        // the size where the object keeps a hash index.
        let long = String(repeating: "k", count: 65)
        let many = (0..<20).map { #""x\#($0 % 10)":\#($0)"# }.joined(separator: ",")
        let tricky = try Value(parsingJSON: #"{"ab":1,"cd":2,"a":3,"\#(long)":4,"ab":5,\#(many)}"#)
        #expect(tricky.objectValue?.keys == ["ab", "cd", "a", long] + (0..<10).map { "x\($0)" })
        #expect(tricky["ab"] == .number(5) && tricky["x3"] == .number(13) && tricky[long] == .number(4))
        // A twin spelt with escapes is the same key; keys that differ only in case are not.
        let escaped = try Value(parsingJSON: #"{"ab":1,"userName":2,"username":3,"a\u0062":4,"\u0075serName":5}"#)
        #expect(escaped.objectValue?.keys == ["ab", "userName", "username"])
        #expect(escaped["ab"] == .number(4) && escaped["userName"] == .number(5) && escaped["username"] == .number(3))
        // A key spelt with escapes first, and its plain twin after it: in a small object, and past the size where
        // the object keeps a hash index.
        for others in [0, 13] {
            let between = (0..<others).map { #""k\#($0)":0,"# }.joined()
            for key in ["a", "b", "id", "name"] {
                let escapedKey = key.unicodeScalars.map { "\\u00" + String($0.value, radix: 16) }.joined()
                let twins = try Value(parsingJSON: #"{"\#(escapedKey)":1,\#(between)"\#(key)":2}"#)
                #expect(twins.objectValue?.keys == [key] + (0..<others).map { "k\($0)" }, "\(key), \(others) between")
                #expect(twins[key] == .number(2), "\(key), \(others) between")
            }
        }
        // Many keys, so that the filter of seen keys fills up: every key once, every twin found.
        let keys = (0..<200).map { "key\($0 * 7919 % 1000)" }
        let members = (keys + keys.reversed()).enumerated().map { #""\#($1)":\#($0)"# }.joined(separator: ",")
        let filled = try Value(parsingJSON: "{\(members)}")
        #expect(filled.objectValue?.keys == keys)
        #expect(keys.enumerated().allSatisfy { filled[$1] == .number(Double(399 - $0)) })
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try Value(parsingJSON: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try Value(parsingJSON: #""\ud83d""#) == .string("\u{FFFD}"))
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd, 0),
        ("[1,]", .trailingComma, 2),
        ("{\"a\" 1}", .expectedColon, 5),
        ("01", .invalidNumber, 0),
        ("1.", .invalidNumber, 0),
        ("\"abc", .unterminatedString, 0),
        ("\"a\u{1}\"", .controlCharacterInString, 2),
        ("[1] x", .trailingData, 4),
        ("tru", .unexpectedEnd, 3),
        ("\"\\x\"", .invalidEscape, 1),
        ("// c\n1", .unexpectedCharacter, 0),
        ("{1:2}", .expectedKey, 1),
    ])
    func rejectsInvalidJSON(text: String, reason: JSONParseError.Reason, offset: Int) {
        #expect(throws: JSONParseError(reason, at: offset)) { try Value(parsingJSON: text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError(.invalidUTF8, at: 0)) { try Value(parsingJSON: [0x22, 0xFF, 0x22]) }
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try Value(parsingJSON: deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        _ = try Value(parsingJSON: fine)
    }

    @Test func parsesJSONC() throws {
        let text = """
            // spec
            {
              "a": [1, 2, /* two */ ],
              "b": "x//y", // trailing
            }
            """
        let value = try Value(parsingJSONC: text)
        #expect(value.compactJSON() == #"{"a":[1,2],"b":"x//y"}"#)
        #expect(throws: JSONParseError(.unterminatedComment, at: 2)) { try Value(parsingJSONC: "1 /* x") }
    }
}
