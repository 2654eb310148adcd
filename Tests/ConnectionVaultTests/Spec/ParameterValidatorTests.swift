import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

@Suite("Parameter validation")
struct ParameterValidatorTests {
    static let spec: ConnectionSpec = {
        let parameters: Value = [
            ["name": "apiKey", "type": "password", "required": true, "validate": ["min": 8, "pattern": "^ak_"]],
            ["name": "port", "type": "port", "default": 443],
            ["name": "count", "type": "uinteger", "validate": ["max": 10]],
            ["name": "ratio", "type": "number"],
            ["name": "tls", "type": "boolean"],
            ["name": "region", "type": "select", "options": [["label": "EU", "value": "eu"], ["label": "US", "value": "us"]]],
            ["name": "free", "type": "select", "options": ["a"], "validate": false],
            ["name": "email", "type": "email"],
            ["name": "site", "type": "url"],
            ["name": "id", "type": "uuid"],
            ["name": "since", "type": "date"],
            ["name": "zone", "type": "timezone"],
            ["name": "at", "type": "time"],
            ["name": "tint", "type": "color"],
            ["name": "extra", "type": "json"],
            ["name": "tags", "type": "array", "validate": ["minItems": 1, "maxItems": 2]],
            ["name": "meta", "type": "collection"],
            ["name": "tenant", "type": "text", "editable": false],
        ]
        return try! ConnectionSpec.check(
            name: "acme", label: nil, communication: ["url": "https://a.test"], parameters: parameters, common: nil,
            source: "test")
    }()

    func problems(_ given: Object) -> [String: String] {
        do {
            _ = try ParameterValidator.validate(given, against: Self.spec)
            return [:]
        } catch {
            return Dictionary(error.problems.map { ($0.name, $0.message) }) { $1 }
        }
    }

    @Test func textFromTheCommandLineIsConvertedAndDefaultsApply() throws {
        let given: Object = [
            "apiKey": "ak_12345678", "count": "3", "ratio": "0.5", "tls": "true", "region": "eu", "free": "zzz",
            "email": "j@x.test", "site": "https://x.test/a", "id": "5f2b9c3e-4d1a-4c8e-9b6f-0a1b2c3d4e5f",
            "since": "2026-12-04", "zone": "Europe/Prague", "at": "09:30", "tint": "#a0b1c2", "extra": #"{"a":[1]}"#,
            "tags": #"["x"]"#, "meta": #"{"k":"v"}"#, "accountName": "Jane",
        ]
        let stored = try ParameterValidator.validate(given, against: Self.spec)
        #expect(stored["port"] == 443 && stored["count"] == 3 && stored["ratio"] == 0.5 && stored["tls"] == true)
        #expect(stored["extra"] == ["a": [1]] && stored["tags"] == ["x"] && stored["meta"] == ["k": "v"])
        #expect(stored["accountName"] == "Jane" && stored["apiKey"] == "ak_12345678")
        #expect(stored.keys.first == "apiKey")
    }

    @Test func everyProblemIsListedByNameNeverByValue() {
        let secret = "CANARY-not-ak"
        let found = problems([
            "apiKey": .string(secret), "port": "70000", "count": "-1", "ratio": "abc", "tls": "yes", "region": "mars",
            "email": "nope", "site": "not a url", "id": "123", "since": "yesterday", "zone": "Mars/Olympus",
            "at": "25:00", "tint": "red", "extra": "{", "tags": "[]", "meta": "[1]", "ghost": "x",
        ])
        let expected = ["apiKey", "port", "count", "ratio", "tls", "region", "email", "site", "id", "since", "zone",
                        "at", "tint", "extra", "tags", "meta", "ghost"]
        #expect(Set(found.keys) == Set(expected))
        #expect(found["ghost"]?.contains("not a parameter") == true)
        #expect(found["port"]?.contains("65535") == true)
        for message in found.values { #expect(!message.contains(secret)) }
        let error = ParameterError(problems: [.init(name: "apiKey", message: "is required")])
        #expect(error.missing == ["apiKey"])
    }

    @Test func requiredMeansPresentAndNotEmpty() {
        #expect(problems([:]) == ["apiKey": "is required"])
        #expect(problems(["apiKey": ""]) == ["apiKey": "is required"])
        #expect(problems(["apiKey": "ak_1"]) == ["apiKey": "must be at least 8 characters long"])
        #expect(problems(["apiKey": "xx_12345678"]) == ["apiKey": "does not match the required pattern"])
        #expect(problems(["apiKey": "ak_12345678", "count": 11]) == ["count": "must be at most 10"])
        #expect(problems(["apiKey": "ak_12345678", "tags": ["a", "b", "c"]]) == ["tags": "must have at most 2 items"])
    }

    /// `(a+)+$` backtracks exponentially from each of the 200 positions: hours without the time limit. (ICU abandons
    /// a single attempt on its own after about 0.5 s and reports no match, so an anchored `^(a+)+$` may end first.)
    @Test func aPatternThatBacktracksForeverEndsWithAClearProblem() throws {
        let spec = try ConnectionSpec.check(
            name: "slow", label: nil, communication: ["url": "https://a.test"],
            parameters: [["name": "code", "type": "text", "validate": ["pattern": "(a+)+$"]]], common: nil,
            source: "test")
        let given: Object = ["code": .string(String(repeating: "a", count: 200) + "b")]
        #expect(throws: ParameterError(problems: [
            .init(name: "code", message: "cannot be checked: the spec's validate.pattern ran past its time limit on it"),
        ])) {
            try ParameterValidator.validate(given, against: spec)
        }
        #expect(try ParameterValidator.validate(["code": "aaaa"], against: spec)["code"] == "aaaa")
    }

    @Test func updatesKeepNonEditableValues() throws {
        let stored = try ParameterValidator.validate(["apiKey": "ak_12345678", "tenant": "t1"], against: Self.spec)
        let updated = try ParameterValidator.validateUpdate(["apiKey": "ak_87654321", "tenant": "t1"], stored: stored,
                                                           against: Self.spec)
        #expect(updated["apiKey"] == "ak_87654321" && updated["tenant"] == "t1" && updated["port"] == 443)
        #expect(throws: ParameterError(problems: [.init(name: "tenant", message: "cannot be changed (editable: false)")])) {
            try ParameterValidator.validateUpdate(["tenant": "t2"], stored: stored, against: Self.spec)
        }
    }

    @Test func anInvalidPatternIsASpecError() {
        #expect(throws: SpecError.self) {
            try ConnectionSpec.check(name: "x", label: nil, communication: ["url": "https://a.test"],
                                     parameters: [["name": "a", "type": "text", "validate": ["pattern": "(["]]],
                                     common: nil, source: "t")
        }
    }
}
