import Testing

@testable import IML

@Suite("Array functions")
struct ArrayFunctionTests {
    static let variables: Value = {
        var object = Eval.exampleContext.objectValue!
        object["mixed"] = [
            "b", 2, .undefined, true, "A", .date(Instant(millisecondsSinceEpoch: 0)), 1, false, ["x": 1], .null,
            .number(.nan),
        ]
        object["people"] = [["n": "x", "a": ["b": 2]], ["n": "y"], ["n": "z", "a": ["b": 1]], ["a": ["b": 3]]]
        return .object(object)
    }()

    @Test(arguments: [
        ("add(undefined, 1)", "[1]"), ("add(5, 1)", "[5,1]"),
        ("add(body.nums, body.tags)", #"[3,1,2,3,["b","a","B"]]"#),
        ("deduplicate(undefined)", "[]"), ("deduplicate('a')", #"["a"]"#),
        (
            "deduplicate(add(body.users, first(body.users)))",
            #"[{"id":1,"name":"Ann","role":"admin"},{"id":2,"name":"bob","role":"user"},{"id":3,"name":"Cid","role":"admin"}]"#
        ),
        ("distinct(body.nums)", "[3,1,2]"),
        ("distinct(people, 'a.b')", #"[{"n":"x","a":{"b":2}},{"n":"y"},{"n":"z","a":{"b":1}},{"a":{"b":3}}]"#),
        ("length(distinct(add(people, 'x'), 'zz'))", "1"),
        ("first(undefined)", "undefined"), ("first('a')", #""a""#), ("last(emptyarray)", "undefined"),
        ("last(null)", "undefined"),
        ("flatten(undefined)", "[]"), ("flatten(5)", "[5]"), ("flatten(add(emptyarray, emptyarray))", "[]"),
        ("join(undefined)", #""""#), ("join(add(emptyarray, null, undefined, 1, true), '|')", #""||1|true""#),
        ("join(body.tags, undefined)", #""b,a,B""#), ("join(body.tags, null)", #""baB""#),
        ("join('abc', '-')", #""abc""#), ("join(body.nums, 0)", #""3010203""#),
        ("keys(undefined)", "[]"), ("keys(body.nums)", "[]"), ("keys(emptyarray)", "[]"),
        ("map(undefined, 'id')", "[]"), ("map(body.users, '')", "[]"), ("map(body.users, 'nope')", "[]"),
        ("map(body.users, 'name', 'role', body.tags)", "[]"), ("map(body.users, 'id', 'id', '1, 3')", "[1,3]"),
        ("map(people, 'n', 'a.b', '1,2')", #"["x","z"]"#), ("map(body.users, 'name', 'nope', '')", "[]"),
        ("map(body.nums, 1)", "[]"),
        ("merge()", "error"), ("merge(undefined)", "[]"), ("merge(1, 'a', null, body.nums)", #"[1,"a",3,1,2,3]"#),
        ("remove(body.nums, '3')", "[3,1,2,3]"), ("remove(undefined, 1)", "[]"), ("remove(body.nums, 1, 2)", "[3,3]"),
        ("reverse(undefined)", "[]"), ("reverse('x')", #"["x"]"#),
        ("shuffle(undefined)", "[]"), ("length(shuffle(body.nums))", "4"),
        ("slice(body.nums, 0, -1)", "[3,1,2]"), ("slice(body.nums, 5)", "[]"), ("slice(body.nums, -10, 2)", "[3,1]"),
        ("slice(body.nums, 'x')", "[3,1,2,3]"), ("slice(body.nums, 1.9, 3.2)", "[1,2]"), ("slice(undefined, 0)", "[]"),
        ("slice(body.nums, 3, 1)", "[]"),
        ("sort(undefined)", "[]"), ("sort(body.nums, 'desc')", "[3,3,2,1]"),
        ("sort(body.tags, 'desc ci')", #"["b","B","a"]"#),
        ("sort(mixed)", #"[1,2,NaN,"A","b",false,true,"1970-01-01T00:00:00.000Z",{"x":1},null,null]"#),
        ("sort(people, 'a.b')", #"[{"n":"z","a":{"b":1}},{"n":"x","a":{"b":2}},{"a":{"b":3}},{"n":"y"}]"#),
        ("sort(people, 'desc', 'a.b')", #"[{"a":{"b":3}},{"n":"x","a":{"b":2}},{"n":"z","a":{"b":1}},{"n":"y"}]"#),
        ("sort(body.users, 'asc', 'id')[1].id", "1"), ("sort(body.nums, undefined, undefined)", "[1,2,3,3]"),
        ("toArray(undefined)", "[]"), ("toArray(body.nums)", "[3,1,2,3]"), ("toArray('x')", #"["x"]"#),
        ("toArray(emptyarray)", "[]"),
        ("toCollection(undefined, 'a', 'b')", "{}"), ("toCollection(people, 'n', 'a.b')", #"{"x":2,"z":1}"#),
        ("toCollection(add(body.users, first(body.users)), 'role', 'id')", #"{"admin":1,"user":2}"#),
        ("toCollection(body.users, 'id', 'name')", #"{"1":"Ann","2":"bob","3":"Cid"}"#),
    ])
    func arrays(_ expression: String, _ expected: String) {
        if expected == "error" {
            #expect(Eval.compileError("{{" + expression + "}}")?.code == .arity)
            return
        }
        var shown = Eval.show(expression, Self.variables)
        // Undefined elements serialise as null and NaN as null; keep NaN visible in the sort case.
        if expression == "sort(mixed)", case .array(let sorted)? = try? Eval.expression(expression, Self.variables) {
            shown =
                "["
                + sorted.map { $0.numberValue?.double.isNaN == true ? "NaN" : $0.compactJSON() }
                .joined(separator: ",") + "]"
            #expect(sorted.last?.isUndefined == true, "Undefined sorts last")
        }
        #expect(shown == expected)
    }

    @Test func shuffleUsesTheRandomSource() throws {
        let template = try Template("{{shuffle(body.nums)}}")
        let first = try template.evaluate(in: Eval.context())
        let second = try template.evaluate(in: Eval.context())
        #expect(first == second, "a seeded source gives the same permutation")
        let sorted = try #require(first.arrayValue).map(\.numericValue).sorted()
        #expect(sorted == [1, 2, 3, 3])
        var counts: [String: Int] = [:]
        let context = EvaluationContext(
            variables: ["x": [1, 2, 3]], now: Eval.clock, randomSource: .seeded(1))
        let shuffle = try Template("{{shuffle(x)}}")
        for _ in 0..<600 { counts[try shuffle.evaluate(in: context).compactJSON(), default: 0] += 1 }
        #expect(counts.count == 6)
        #expect(counts.values.allSatisfy { $0 > 50 })
    }
}
