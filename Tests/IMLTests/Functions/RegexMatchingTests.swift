import Foundation
import Testing

@testable import IML

@Suite("Regular expressions with a time limit")
struct RegexMatchingTests {
    /// `^(a+)+$` backtracks exponentially on a run of `a` that ends otherwise: hours at 40 characters.
    static let pathological = String(repeating: "a", count: 40) + "b"

    /// ICU abandons one match attempt on its own after a fixed amount of backtracking (about 0.5 s on a 2026
    /// machine) and reports no match, so an anchored pattern such as `^(a+)+$` may end before the time limit on a
    /// fast machine. `(a+)+$` unanchored starts an attempt at each of 200 positions: far past the limit anywhere.
    static let manyAttempts = String(repeating: "a", count: 200) + "b"

    @Test func aReplaceThatBacktracksForeverIsALimitError() throws {
        let context = Eval.context(["text": .string(Self.manyAttempts)])
        for template in ["{{replace(text, '/(a+)+$/', 'x')}}", "{{replace(text, '/(a+)+$/g', 'x')}}"] {
            #expect { try Template(template).evaluate(in: context) } throws: { error in
                guard let error = error as? IMLError else { return false }
                return error.code == .limit && String(describing: error).contains("ran past its time limit")
            }
        }
    }

    /// A linear pattern over a text of the response limit's size (8 MiB) is not cut short: the limit grows with the
    /// text, since ICU's progress reports alone take time at every position.
    @Test func aLongTextWithALinearPatternIsNotALimitError() throws {
        let text = String(repeating: "x", count: 8 << 20) + "\r\n"
        let context = Eval.context(["text": .string(text)])
        let replaced = try Template("{{replace(text, '/\\r\\n/g', '.')}}").evaluate(in: context)
        #expect(replaced.stringValue?.hasSuffix("xx.") == true)
        #expect(RegexMatching.timeLimit(forLength: 8 << 20) > .seconds(3))
    }

    @Test func matchingStopsAtTheLimitAndOtherwiseFindsEveryMatch() throws {
        let slow = try NSRegularExpression(pattern: "^(a+)+$")
        let text = Self.pathological
        let whole = NSRange(location: 0, length: text.utf16.count)
        #expect(RegexMatching.matches(of: slow, in: text, range: whole, all: false, limit: .milliseconds(20)) == nil)

        let digits = try NSRegularExpression(pattern: "[0-9]+")
        let numbers = "a1b22c333"
        let range = NSRange(location: 0, length: numbers.utf16.count)
        let all = try #require(RegexMatching.matches(of: digits, in: numbers, range: range, all: true))
        #expect(all.map(\.range) == [NSRange(location: 1, length: 1), NSRange(location: 3, length: 2), NSRange(location: 6, length: 3)])
        let first = try #require(RegexMatching.matches(of: digits, in: numbers, range: range, all: false))
        #expect(first.map(\.range) == [NSRange(location: 1, length: 1)])
        #expect(RegexMatching.matches(of: digits, in: "none", range: NSRange(location: 0, length: 4), all: true)?.isEmpty == true)
    }
}
