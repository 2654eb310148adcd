import Testing

@testable import IML

@Suite("General functions")
struct GeneralFunctionTests {
    @Test(arguments: [
        ("get(undefined, 'a')", "undefined"), ("get(null, 'a')", "undefined"), ("get(body, '')", "undefined"),
        ("get(body, true)", "undefined"), ("get(body.users, 1).name", #""Ann""#), ("get(body.nums, '-1')", "3"),
        ("get(body.obj, 'a.b')", "undefined"), ("get('abc', 'length')", "3"), ("get(body.tags, 'length')", "3"),
    ])
    func get(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }

    @Test(arguments: [
        ("if(undefined, 1, 2)", "2"), ("if(1, 2)", "2"), ("if(0, 2)", "undefined"), ("if('0', 'y', 'n')", #""y""#),
        ("if(emptyarray, 'y', 'n')", #""y""#), ("if(null, 'y', 'n')", #""n""#),
        // Only the chosen branch is evaluated: the other one would be a runtime error.
        ("if(true, 1, jwt(1, ''))", "1"), ("if(false, jwt(1, ''), 2)", "2"),
    ])
    func conditional(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }

    @Test(arguments: [
        ("ifempty(undefined, 'x')", #""x""#), ("ifempty(null, 'x')", #""x""#), ("ifempty('', 'x')", #""x""#),
        ("ifempty(' ', 'x')", #"" ""#), ("ifempty(false, 1)", "false"), ("ifempty(emptyarray, 1)", "[]"),
        ("ifempty(body.obj.b, undefined)", "undefined"), ("ifempty('a', jwt(1, ''))", #""a""#),
    ])
    func ifEmpty(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }

    @Test(arguments: [
        ("switch(undefined, undefined, 1, 2)", "1"), ("switch(200, '200', 'a', 'b')", #""b""#),
        ("switch(1, 1, 'one', jwt(1, ''))", #""one""#), ("switch(null, 1, 'a')", "undefined"),
        ("switch(2, 1, 'a', 2, 'b', 'c')", #""b""#), ("switch(body.nums, body.nums, 'same')", #""same""#),
    ])
    func switchCase(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }

    @Test(arguments: [
        ("omit(undefined, 'a')", "undefined"), ("omit(body.nums, 'a')", "undefined"),
        ("omit(body.obj, keys(body.obj))", "{}"), ("omit(body.obj, 'zz')", #"{"a":1,"b":null,"c":"x"}"#),
        ("omit(body.obj, 'a', 'c')", #"{"b":null}"#), ("pick(undefined, 'a')", "undefined"),
        ("pick(body.obj, 'zz')", "{}"), ("pick(body.obj, split('c,a', ','))", #"{"c":"x","a":1}"#),
        ("pick(body.obj, 'b')", #"{"b":null}"#),
    ])
    func omitAndPick(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }
}
