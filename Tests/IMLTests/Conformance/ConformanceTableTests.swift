import Foundation
import Testing

@testable import IML

/// The conformance table of iml.md §9, read from the spec at test time and run through both the Swift API and
/// the `eval` command's core.
@Suite("Conformance table (iml.md §9)")
struct ConformanceTableTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let number: Int
        let template: String
        let context: String
        let expected: String
        var testDescription: String { "row \(number): \(template)" }
    }

    static let rows: [Row] = {
        guard let text = try? SpecFiles.text(SpecFiles.imlSpec) else { return [] }
        var rows: [Row] = []
        var contexts: [Int: String] = [:]
        guard let start = text.range(of: "## 9. Conformance examples") else { return [] }
        for line in text[start.upperBound...].split(separator: "\n") where line.hasPrefix("| ") {
            let cells = splitCells(String(line))
            guard cells.count == 4, let number = Int(cells[0]) else { continue }
            let template = unquote(cells[1])
            var context = unquote(cells[2])
            if context.hasPrefix("same as "), let other = Int(context.dropFirst(8)) {
                context = contexts[other] ?? "{}"
            }
            contexts[number] = context
            rows.append(Row(number: number, template: template, context: context, expected: cells[3]))
        }
        return rows
    }()

    /// Splits a Markdown table row on `|` outside backtick spans.
    static func splitCells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var ticks = 0
        var characters = Array(line)
        characters.removeFirst()
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "`" {
                var run = 0
                while index < characters.count && characters[index] == "`" {
                    run += 1
                    index += 1
                }
                current += String(repeating: "`", count: run)
                ticks = ticks == 0 ? run : (ticks == run ? 0 : ticks)
                continue
            }
            if character == "|" && ticks == 0 {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else if character == "\\" && index + 1 < characters.count && characters[index + 1] == "|" && ticks == 0 {
                current.append("|")
                index += 1
            } else {
                current.append(character)
            }
            index += 1
        }
        return cells
    }

    /// The text inside a backtick span (`` `x` `` or ``` `` x `` ```).
    static func unquote(_ cell: String) -> String {
        if cell.hasPrefix("``") && cell.hasSuffix("``") && cell.count >= 4 {
            var inner = String(cell.dropFirst(2).dropLast(2))
            if inner.hasPrefix(" ") && inner.hasSuffix(" ") { inner = String(inner.dropFirst().dropLast()) }
            return inner
        }
        if cell.hasPrefix("`") && cell.hasSuffix("`") { return String(cell.dropFirst().dropLast()) }
        return cell
    }

    @Test func tableIsComplete() {
        #expect(Self.rows.count == 58)
        #expect(Self.rows.map(\.number) == Array(1...58))
    }

    @Test(arguments: rows)
    func row(_ row: Row) throws {
        let expected = row.expected
        let templateValue = try Value(parsingJSON: row.template)
        var variables = try #require(try Value(parsingJSON: row.context).objectValue)
        var clock = Eval.clock
        if let now = variables.removeValue(forKey: "$now") {
            clock = try #require(DateArgument.instant(now, zone: .utc))
        }
        let context = EvaluationContext(variables: variables, now: clock)
        let viaCommandLine = Result { () throws(CommandLineEvaluationError) in
            try CommandLineEvaluation.evaluate(
                template: row.template, contextJSON: Array(row.context.utf8), now: Eval.clock)
        }

        if expected.hasPrefix("compile error ") {
            let parts = expected.dropFirst("compile error ".count).components(separatedBy: ", ")
            let problems = CompiledDocument.problems(in: templateValue)
            let problem = try #require(problems.first)
            #expect(problems.count == 1)
            #expect(problem.phase == .compile)
            #expect("`\(problem.code.rawValue)`" == parts[0])
            #expect("column \(problem.column)" == parts[1])
            #expect("token `\(problem.token)`" == parts[2])
            guard case .failure(.iml(let errors)) = viaCommandLine else {
                Issue.record("eval did not fail")
                return
            }
            #expect(errors == problems)
            return
        }
        let document = try CompiledDocument(templateValue)
        if expected.hasPrefix("runtime error ") {
            #expect {
                try document.evaluate(in: context)
            } throws: { error in
                guard let error = error as? IMLError else { return false }
                return error.phase == .runtime
                    && "`\(error.code.rawValue)`" == expected.dropFirst("runtime error ".count)
            }
            guard case .failure(.iml(let errors)) = viaCommandLine else {
                Issue.record("eval did not fail")
                return
            }
            #expect(errors.first?.code == .spread)
            return
        }
        let result = try document.evaluate(in: context)
        if expected.hasSuffix("(a Date)") {
            let iso = try Value(
                parsingJSON: ConformanceTableTests.unquote(String(expected.dropLast(" (a Date)".count))))
            guard case .date(let instant) = result else {
                Issue.record("expected a Date, got \(Eval.describe(result))")
                return
            }
            #expect(.string(instant.isoText) == iso)
            #expect(try viaCommandLine.get() == iso.compactJSON())
            return
        }
        let expectedJSON = ConformanceTableTests.unquote(expected)
        if expectedJSON == "undefined" {
            #expect(result.isUndefined, "got \(Eval.describe(result))")
            #expect(try viaCommandLine.get() == nil)
        } else {
            let expectedValue = try Value(parsingJSON: expectedJSON)
            #expect(result == expectedValue, "got \(Eval.describe(result))")
            // Same value, and the same kind: 8080 must not come back as "8080".
            #expect(result.kindName == expectedValue.kindName)
            #expect(try viaCommandLine.get() == expectedValue.compactJSON())
        }
    }
}
