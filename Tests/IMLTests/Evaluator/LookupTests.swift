import Testing

@testable import IML

@Suite("Lookups, typing rule and documents")
struct LookupTests {
    static let variables: Value = [
        "body": [
            "items": [["id": "a"], ["id": "b"]], "2fa": true, "total count": 3, "s": "héllo😀", "map": ["2": "two"],
            "constructor": "own", "root": [["name": ["x"]]], "d": .date(Instant(millisecondsSinceEpoch: 0)),
        ],
        "headers": ["x-api-key": "k1", "content-type": "text/plain"],
        "my var": 1,
    ]

    @Test(arguments: [
        ("body.items[-1].id", #""b""#), ("body.items[-2].id", #""a""#), ("body.items[-3]", "undefined"),
        ("body.items[1.5]", "undefined"), ("body.items['2'].id", #""b""#), ("body.items['02']", "undefined"),
        ("body.items['+1']", "undefined"), ("body.items.length", "2"), ("body.items.2.id", #""b""#),
        ("body.items.0", "undefined"), ("body.items[true]", "undefined"), ("body.items[null]", "undefined"),
        ("body.2fa", "true"), ("body['total count']", "3"), ("body.`total count`", "3"), ("body.s.length", "7"),
        ("body.s[1]", "undefined"), ("body.s.x", "undefined"), ("body.map[2]", #""two""#), ("body.map.2", #""two""#),
        ("body.constructor", #""own""#), ("body.toString", "undefined"), ("body.__proto__", "undefined"),
        ("body.root[].name[]", #""x""#), ("body.map[]", "undefined"), ("emptyarray[]", "undefined"),
        ("body.d.x", "undefined"), ("(1).x", "undefined"), ("null.x", "undefined"), ("true[1]", "undefined"),
        ("headers.`X-API-KEY`", #""k1""#), ("headers['Content-Type']", #""text/plain""#),
        ("get(headers, 'X-Api-Key')", #""k1""#), ("`my var`", "1"), ("first(body.items).id", #""a""#),
        ("first(body.items)['id']", #""a""#), ("body.items[1 + 1].id", #""b""#), ("body . items [ 1 ] . id", #""a""#),
        ("undefined.x.y.z", "undefined"), ("parameters", "undefined"), ("body.items[body.items.length].id", #""b""#),
    ])
    func lookups(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression, Self.variables) == expected)
    }

    @Test func typingRule() throws {
        let context = Eval.context(Self.variables)
        #expect(try Template("{{body.2fa}}").evaluate(in: context) == .bool(true))
        #expect(try Template("{{ body.2fa }}").evaluate(in: context) == .bool(true))
        #expect(try Template(" {{body.2fa}}").evaluate(in: context) == " true")
        #expect(try Template("{{body.2fa}}{{body.2fa}}").evaluate(in: context) == "truetrue")
        #expect(try Template("{{body.items}}").evaluate(in: context).arrayValue?.count == 2)
        #expect(try Template("{{nope}}").evaluate(in: context) == .undefined)
        #expect(try Template("x{{nope}}y{{null}}z").evaluate(in: context) == "xyz")
        #expect(try Template("no tags").evaluate(in: context) == "no tags")
        #expect(try Template("{{'{{'}}").evaluate(in: context) == "{{")
        #expect(try Template("{{'}}'}}").evaluate(in: context) == "}}")
        #expect(try Template("{{`a}}b`}}").evaluate(in: context) == .undefined)
        #expect(try Template("}} {{body.s}}").evaluate(in: context) == "}} héllo😀")
        #expect(try Template("{{body.s}} {{").evaluate(in: context) == "héllo😀 {{")
        #expect(try Template("{{'a\\'}}b'}}").evaluate(in: context) == "a'}}b")
        #expect(try Template("{{'\\u00e9\\n\\q'}}").evaluate(in: context) == "é\n\\q")
        #expect(try Template("{{'\\ud83d\\ude00'}}").evaluate(in: context) == "😀")
        #expect(try Template("{{\"it's\"}}").evaluate(in: context) == "it's")
        #expect(try Template("{{'line\nbreak'}}").evaluate(in: context) == "line\nbreak")
        #expect(try Template("{{1e21}}").evaluate(in: context) == .number(1e21))
        #expect(try Template("{{emptyarray}}").evaluate(in: context) == .array([]))
    }

    @Test func resultsAreNeverScannedAgain() throws {
        let context = Eval.context(["parameters": ["x": "{{common.s}}"], "common": ["s": "S"]])
        #expect(try Template("{{parameters.x}}").evaluate(in: context) == "{{common.s}}")
        #expect(try Template("[{{parameters.x}}]").evaluate(in: context) == "[{{common.s}}]")
        let document = try CompiledDocument(["a": ["{{parameters.x}}"], "{{...}}": "{{parameters}}"])
        #expect(try document.evaluate(in: context).compactJSON() == #"{"a":["{{common.s}}"],"x":"{{common.s}}"}"#)
    }

    @Test func spread() throws {
        let context = Eval.context([
            "p": ["extra": ["a": 9, "b": 2], "none": nil, "list": [1], "text": "x"]
        ])
        func run(_ document: Value) throws -> String {
            try CompiledDocument(document).evaluate(in: context).compactJSON()
        }
        #expect(try run(["a": 1, "{{...}}": "{{p.extra}}", "c": 3]) == #"{"a":9,"b":2,"c":3}"#)
        #expect(try run(["{{...}}": "{{p.extra}}", "a": 1]) == #"{"a":1,"b":2}"#)
        #expect(try run(["a": 1, "{{...}}": "{{p.none}}"]) == #"{"a":1}"#)
        #expect(try run(["a": 1, "{{...}}": "{{p.missing}}"]) == #"{"a":1}"#)
        #expect(try run(["a": 1, "{{...}}": ["z": "{{p.text}}"]]) == #"{"a":1,"z":"x"}"#)
        #expect(try run(["{{ ... }}": 1]) == #"{"{{ ... }}":1}"#)
        // Spread applies to object keys only: as a value, `{{...}}` is a syntax error.
        #expect(CompiledDocument.problems(in: ["list": ["{{...}}"]]).first?.code == .syntax)
        for bad: Value in ["{{p.list}}", "{{p.text}}", 5, "literal"] {
            let document = try CompiledDocument(["x": ["{{...}}": bad]], location: "body")
            #expect {
                try document.evaluate(in: context)
            } throws: { error in
                guard let error = error as? IMLError else { return false }
                return error.code == .spread && error.phase == .runtime && error.location == #"body.x["{{...}}"]"#
            }
        }
    }

    @Test func documentsPassScalarsThroughAndKeepUndefinedMembers() throws {
        let document: Value = ["n": 5, "t": true, "z": nil, "u": "{{nope}}", "nested": [["k": "{{1 + 1}}"]]]
        let compiled = try CompiledDocument(document)
        let result = try compiled.evaluate(in: Eval.context())
        #expect(result["u"] == .undefined)
        #expect(result.objectValue?.keys == ["n", "t", "z", "u", "nested"])
        #expect(result.compactJSON() == #"{"n":5,"t":true,"z":null,"nested":[{"k":2}]}"#)
        #expect(try CompiledDocument(["a": [1, "x"]]).isConstant)
        #expect(try !CompiledDocument(["a": [1, "{{x}}"]]).isConstant)
    }

    @Test func runtimeErrorsNeverQuoteValues() throws {
        let secret = "TOP-SECRET-VALUE"
        let context = Eval.context(["p": ["key": .string(secret), "alg": .string(secret), "obj": .string(secret)]])
        for template in [
            "{{sha256('m', p.alg)}}", "{{sha256('m', 'hex', p.key, 'hex')}}", "{{jwt(p.obj, p.key, p.alg)}}",
            "{{replace('x', '/' + p.key + '(/', 'y')}}", "{{toBinary('x', p.key)}}",
        ] {
            #expect {
                try Template(template, location: "h").evaluate(in: context)
            } throws: { error in
                !String(describing: error).contains(secret)
            }
        }
        let document = try CompiledDocument(["{{...}}": "{{p.key}}"])
        #expect { try document.evaluate(in: context) } throws: { !String(describing: $0).contains(secret) }
    }

    @Test func sizeLimit() throws {
        let big = String(repeating: "a", count: 9 * 1024 * 1024)
        let context = Eval.context(["big": .string(big)])
        #expect { try Template("{{big + big}}").evaluate(in: context) } throws: {
            ($0 as? IMLError)?.code == .limit
        }
        #expect { try Template("x{{big}}{{big}}").evaluate(in: context) } throws: {
            ($0 as? IMLError)?.code == .limit
        }
        #expect { try Template("{{join(add(emptyarray, big, big), '')}}").evaluate(in: context) } throws: {
            ($0 as? IMLError)?.code == .limit
        }
        #expect(try Template("{{big}}").evaluate(in: context).stringValue?.utf8.count == big.utf8.count)
    }

    @Test func compiledFormsAreSharedAcrossThreads() async throws {
        let document = try CompiledDocument(
            ["h": "Basic {{base64(parameters.u + ':' + parameters.p)}}", "n": "{{parameters.n * 2}}"])
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let context = EvaluationContext(
                        variables: ["parameters": ["u": .string("u\(index)"), "p": "p", "n": .number(index)]],
                        now: Eval.clock)
                    for _ in 0..<200 {
                        guard let value = try? document.evaluate(in: context), value["n"] == .number(index * 2)
                        else { return false }
                    }
                    return true
                }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }
}
