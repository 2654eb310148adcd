import Foundation
import Testing

@testable import IML

/// Every `expression` → `result` example of iml.md §7, read from the spec at test time and evaluated with the
/// example context of §7.1 (plus the few variables the examples name: `t`, `orgs`).
@Suite("Function examples (iml.md §7)")
struct FunctionExampleTests {
    struct Example: CustomTestStringConvertible, Sendable {
        let expression: String
        let expected: String
        var testDescription: String { expression }
    }

    /// Examples that need another context than §7.1; they are tested in the function suites instead.
    static let contextual: Set<String> = [
        "jwt(temp.claims, 'secret')", "jwt(temp.claims, 'secret', 'HS512', temp.opts)",
        "addDays('2016-03-26T11:00:00.000Z', 1)", "addHours('2016-03-26T11:00:00.000Z', 24)",
    ]

    static let examples: [Example] = {
        guard let text = try? SpecFiles.text(SpecFiles.imlSpec),
            let start = text.range(of: "## 7. Built-in functions"),
            let end = text.range(of: "## 8. Errors")
        else { return [] }
        let section = String(text[start.upperBound..<end.lowerBound])
        var examples: [Example] = []
        // Inline examples: `expr` → `result`.
        let inline = try! NSRegularExpression(pattern: "`([^`]+)` →\\s+`([^`]+)`")
        let whole = NSRange(section.startIndex..., in: section)
        for match in inline.matches(in: section, range: whole) {
            guard let expressionRange = Range(match.range(at: 1), in: section),
                let resultRange = Range(match.range(at: 2), in: section)
            else { continue }
            let expression = String(section[expressionRange])
            // Skip bare format strings ("'X'" → …), which only make sense next to the preceding example.
            if expression.hasPrefix("'") && expression.hasSuffix("'") { continue }
            // Skip prose such as `&` → `&amp;`: every example is a call.
            guard expression.contains("(") else { continue }
            if contextual.contains(expression) { continue }
            examples.append(Example(expression: expression, expected: String(section[resultRange])))
        }
        // The verified-values table of §7.4.
        var previous = ""
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2 else { continue }
            let expression = String(cells[0].dropFirst().dropLast())
            guard expression.contains("(") else { continue }  // other tables (format tokens)
            var expected = cells[1]
            if expected.hasPrefix("same as") {
                expected = previous
            } else if let close = expected.dropFirst().firstIndex(of: "`") {
                expected = String(expected[expected.index(after: expected.startIndex)..<close])
            }
            previous = expected
            examples.append(Example(expression: expression, expected: expected))
        }
        return examples
    }()

    static let variables: Value = {
        var object = Eval.exampleContext.objectValue!
        object["t"] = "2016-12-08T15:55:57.536Z"
        object["orgs"] = [["id": 1, "is_default": false], ["id": 7, "is_default": true]]
        return .object(object)
    }()

    @Test func foundTheExamples() {
        #expect(Self.examples.count > 150)
    }

    @Test(arguments: examples)
    func example(_ example: Example) {
        let expected: String
        if example.expected.hasPrefix("date ") || example.expected == "undefined" {
            expected = example.expected
        } else if let value = try? Value(parsingJSON: example.expected) {
            expected = value.compactJSON()
        } else {
            Issue.record("unreadable expected value \(example.expected)")
            return
        }
        #expect(Eval.show(example.expression, Self.variables) == expected)
    }
}
