@testable import IML
import Testing

@Suite("Variable references")
struct VariableReferencesTests {
    private func reads(_ json: String, _ name: String = "headers") throws -> Bool {
        try CompiledDocument(Value(parsingJSON: json)).readsVariable(name)
    }

    @Test func everyPlaceATemplateCanNameAVariableIsFound() throws {
        let reading = [
            #""{{headers.`x-id`}}""#,
            #""id: {{headers.`x-id`}}!""#,
            #"{"a": ["x", {"b": "{{lower(headers.server)}}"}]}"#,
            #"{"{{...}}": "{{headers}}"}"#,
            #""{{body.items[headers.index]}}""#,
            #""{{if(headers.a, 1, 2)}}""#,
            #""{{if(true, 1, headers.b)}}""#,
            #""{{ifempty(body.x, headers.y)}}""#,
            #""{{switch(body.x, 1, headers.y, 2)}}""#,
            #""{{!headers.a}}""#,
            #""{{-headers.a}}""#,
            #""{{1 + headers.a * 2}}""#,
            #""{{body.a && headers.b}}""#,
            #""{{body.a || headers.b}}""#,
        ]
        for json in reading {
            #expect(try reads(json), "\(json)")
        }
    }

    @Test func membersAndTextOfTheSameNameAreNotReferences() throws {
        let notReading = [
            #""headers""#,
            #"{"headers": "{{body.headers}}"}"#,
            #""{{body.headers.x}}""#,
            #""{{'headers'}}""#,
            #"{"a": [1, true, null]}"#,
            #""{{now}} {{timestamp}}""#,
        ]
        for json in notReading {
            #expect(try !reads(json), "\(json)")
        }
        #expect(try reads(#""{{parameters.key}}""#, "parameters"))
    }

    /// A member is reached by name (backticks too), or through the variable whole or indexed by an expression; other
    /// members, and the same name elsewhere, are not.
    @Test func membersThatATemplateMayReach() throws {
        func reaches(_ json: String) throws -> Bool {
            try CompiledDocument(Value(parsingJSON: json)).mayReadMember(of: "parameters", in: ["password", "key"])
        }
        let reaching = [
            #""{{parameters.password}}""#, #""{{md5(parameters.`password`)}}""#, #""{{get(parameters, 'x')}}""#,
            #""{{parameters['password']}}""#, #""{{createJSON(parameters)}}""#, #""{{parameters.key.part}}""#,
            #"{"a": {"b": "x {{parameters.user}} {{parameters.key}}"}}"#, #"{"{{...}}": "{{parameters}}"}"#,
            #""{{body.items[parameters.key]}}""#,
        ]
        for json in reaching { #expect(try reaches(json), "\(json)") }
        let notReaching = [
            #""{{parameters.user}}""#, #""{{body.parameters.password}}""#, #""{{'parameters.password'}}""#,
            #""{{lower(parameters.user) + common.password}}""#, #""parameters.password""#,
        ]
        for json in notReaching { #expect(try !reaches(json), "\(json)") }
    }
}
