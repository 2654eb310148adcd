import Testing

@testable import IML

@Suite("Date functions")
struct DateFunctionTests {
    @Test(arguments: [
        // Date arguments.
        ("formatDate('2016-12-28T16:03:06.123456789Z', 'ss.SSS')", #""06.123""#),
        ("formatDate('2016-12-28T17:03:06+01:00', 'HH:mm')", #""16:03""#),
        ("formatDate('2016-12-28T17:03:06+0100', 'HH:mm')", #""16:03""#),
        ("formatDate('2016-12-28T17:03:06+01', 'HH:mm')", #""16:03""#),
        ("formatDate('2016-12-28 16:03', 'YYYY-MM-DD HH:mm:ss')", #""2016-12-28 16:03:00""#),
        ("formatDate('2016-12-28', 'HH:mm')", #""00:00""#), ("formatDate('2016-12-28T16', 'HH')", "undefined"),
        ("formatDate('2016-13-01', 'YYYY')", "undefined"), ("formatDate('2016-02-29', 'DD')", #""29""#),
        ("formatDate('2015-02-29', 'DD')", "undefined"), ("formatDate('0000-01-01', 'YYYY')", "undefined"),
        ("formatDate('9999-12-31T23:59:59.999Z', 'YYYY x')", #""9999 253402300799999""#),
        ("formatDate(0, 'YYYY-MM-DD')", #""1970-01-01""#), ("formatDate(-62135596800001, 'YYYY')", "undefined"),
        ("formatDate(undefined, 'YYYY')", "undefined"), ("formatDate(true, 'YYYY')", "undefined"),
        ("formatDate('yesterday', 'YYYY')", "undefined"), ("formatDate(body.d, 'YYYY', 'Mars/Base')", "undefined"),
        ("formatDate(now, 'YYYY', undefined)", #""2016""#), ("formatDate(now, 'YYYY', '')", #""2016""#),
        // Tokens.
        ("formatDate(body.d, 'M/D/YY H:m:s')", #""12/28/16 16:3:6""#),
        ("formatDate('2016-12-01', 'Do')", #""1st""#), ("formatDate('2016-12-02', 'Do')", #""2nd""#),
        ("formatDate('2016-12-03', 'Do')", #""3rd""#), ("formatDate('2016-12-04', 'Do')", #""4th""#),
        ("formatDate('2016-12-11', 'Do')", #""11th""#), ("formatDate('2016-12-12', 'Do')", #""12th""#),
        ("formatDate('2016-12-13', 'Do')", #""13th""#), ("formatDate('2016-12-21', 'Do')", #""21st""#),
        ("formatDate('2016-12-22', 'Do')", #""22nd""#), ("formatDate('2016-12-23', 'Do')", #""23rd""#),
        ("formatDate('2016-12-31', 'Do')", #""31st""#),
        ("formatDate('2016-12-28T00:05:00Z', 'hh A h a')", #""12 AM 12 am""#),
        ("formatDate('2016-12-28T12:05:00Z', 'hh A')", #""12 PM""#), ("formatDate(body.d, 'Q T w')", #""Q T w""#),
        ("formatDate(body.d, '[YYYY] YYYYY')", #""YYYY 2016Y""#),
        (
            "formatDate(body.d, 'MMM MMMM ddd dddd')",
            #""Dec December Wed Wednesday""#
        ),
        ("formatDate(body.d, 'Z ZZ', 'Asia/Kolkata')", #""+05:30 +0530""#),
        ("formatDate('0999-01-01', 'YYYY YY')", #""0999 99""#), ("formatDate(body.d, '[unclosed')", #""[unclo6ed""#),
        // Parsing.
        ("parseDate('2016-12-28T16:03:06.000Z')", "date 2016-12-28T16:03:06.000Z"),
        ("parseDate(1482940986000)", "date 2016-12-28T16:03:06.000Z"),
        ("parseDate('28/12/2016', 'DD/MM/YYYY')", "date 2016-12-28T00:00:00.000Z"),
        ("parseDate('2016-12-28 16:03 +01:00', 'YYYY-MM-DD HH:mm Z')", "date 2016-12-28T15:03:00.000Z"),
        ("parseDate('2016-12-28 16:03 +0100', 'YYYY-MM-DD HH:mm ZZ')", "date 2016-12-28T15:03:00.000Z"),
        ("parseDate('2016-12-28 16:03 Z', 'YYYY-MM-DD HH:mm Z')", "date 2016-12-28T16:03:00.000Z"),
        ("parseDate('1482940986.5', 'X')", "date 2016-12-28T16:03:06.500Z"),
        ("parseDate('-1', 'X')", "date 1969-12-31T23:59:59.000Z"),
        ("parseDate('1482940986123', 'x')", "date 2016-12-28T16:03:06.123Z"),
        ("parseDate('12 AM', 'hh A')", "date 2016-12-28T00:00:00.000Z"),
        ("parseDate('12 PM', 'h a')", "date 2016-12-28T12:00:00.000Z"),
        ("parseDate('1 pm', 'h A')", "date 2016-12-28T13:00:00.000Z"),
        ("parseDate('13 PM', 'h a')", "undefined"), ("parseDate('24:00', 'HH:mm')", "undefined"),
        ("parseDate('10:60', 'HH:mm')", "undefined"), ("parseDate('2016-12-28', 'YYYY/MM/DD')", "undefined"),
        ("parseDate('2016-12-28xyz', 'YYYY-MM-DD')", "date 2016-12-28T00:00:00.000Z"),
        ("parseDate('Wed, 28 Dec 2016', 'ddd, D MMM YYYY')", "date 2016-12-28T00:00:00.000Z"),
        ("parseDate('monday 28 DECEMBER 2016', 'dddd D MMMM YYYY')", "date 2016-12-28T00:00:00.000Z"),
        ("parseDate('5', 'SSS')", "date 2016-12-28T16:03:06.500Z"),
        ("parseDate('05', 'SSS')", "date 2016-12-28T16:03:06.050Z"),
        ("parseDate('2016', 'YYYY')", "date 2016-01-01T00:00:00.000Z"),
        ("parseDate('12', 'MM')", "date 2016-12-01T00:00:00.000Z"),
        ("parseDate('3rd', 'Do')", "date 2016-12-03T00:00:00.000Z"),
        ("parseDate('5.3.2016', 'D.M.YYYY')", "date 2016-03-05T00:00:00.000Z"),
        ("parseDate('69-01-01', 'YY-MM-DD')", "date 1969-01-01T00:00:00.000Z"),
        ("parseDate('68-01-01', 'YY-MM-DD')", "date 2068-01-01T00:00:00.000Z"),
        ("parseDate(undefined, 'YYYY')", "undefined"), ("parseDate(undefined)", "undefined"),
        ("parseDate('2016-12-28', 'YYYY-MM-DD', 'Nowhere/City')", "undefined"),
        ("parseDate('2016-12-28', 'YYYY-MM-DD', 'America/New_York')", "date 2016-12-28T05:00:00.000Z"),
        ("parseDate('Dec', 'MMM')", "date 2016-12-01T00:00:00.000Z"), ("parseDate('Foo', 'MMM')", "undefined"),
        // Calendar arithmetic.
        ("addDays(undefined, 1)", "undefined"), ("addDays(body.d, 'x')", "undefined"),
        ("addDays(body.d, 1.5)", "date 2016-12-30T16:03:06.000Z"),
        ("addDays(body.d, -1.5)", "date 2016-12-26T16:03:06.000Z"),
        ("addMonths('2016-03-31T10:00:00.000Z', -1)", "date 2016-02-29T10:00:00.000Z"),
        ("addMonths(body.d, 13)", "date 2018-01-28T16:03:06.000Z"), ("addYears(body.d, -2016)", "undefined"),
        ("addYears(body.d, 1e300)", "undefined"), ("addSeconds(body.d, '30')", "date 2016-12-28T16:03:36.000Z"),
        ("addMinutes(body.d, null)", "date 2016-12-28T16:03:06.000Z"), ("addHours(body.d, 1 / 0)", "undefined"),
        ("addHours(now, 0.5)", "date 2016-12-28T16:33:06.000Z"),
        ("setHour(body.d, 'x')", "undefined"), ("setMonth(body.d, 'mar')", "date 2016-03-28T16:03:06.000Z"),
        ("setMonth(body.d, 'Smarch')", "undefined"), ("setDay(body.d, 'sun')", "date 2016-12-25T16:03:06.000Z"),
        ("setDay(body.d, 'FRIDAY')", "date 2016-12-30T16:03:06.000Z"), ("setYear(body.d, 10000)", "undefined"),
        ("setDate(body.d, 0)", "date 2016-11-30T16:03:06.000Z"),
        ("setSecond(body.d, -1)", "date 2016-12-28T16:02:59.000Z"),
        ("setMinute(body.d, 30.9)", "date 2016-12-28T16:30:06.000Z"),
        ("setYear('2016-02-29', 2017)", "date 2017-02-28T00:00:00.000Z"),
        ("setDay(body.d, 0)", "date 2016-12-24T16:03:06.000Z"),
        ("setMonth(body.d, 0)", "date 2015-12-28T16:03:06.000Z"),
        ("setHour(undefined, 1)", "undefined"), ("setDate(body.d, 1e15)", "undefined"),
        // Constants.
        ("now", "date 2016-12-28T16:03:06.000Z"), ("timestamp", "1482940986"), ("pi", "3.141592653589793"),
        ("now + 1", "1482940986001"), ("now = parseDate('2016-12-28T16:03:06Z')", "true"),
    ])
    func dates(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression) == expected)
    }

    @Test(arguments: [
        // iml.md §7.6: 12:00 local is kept across the DST change of 2016-03-27.
        ("addDays('2016-03-26T11:00:00.000Z', 1)", "date 2016-03-27T10:00:00.000Z"),
        ("addHours('2016-03-26T11:00:00.000Z', 24)", "date 2016-03-27T11:00:00.000Z"),
        // A local time in the DST gap moves forward by the gap; an ambiguous one takes the earlier instant.
        ("parseDate('2016-03-27 02:30', 'YYYY-MM-DD HH:mm')", "date 2016-03-27T01:30:00.000Z"),
        ("parseDate('2016-10-30 02:30', 'YYYY-MM-DD HH:mm')", "date 2016-10-30T00:30:00.000Z"),
        ("formatDate('2016-12-28 17:03', 'HH:mm', 'UTC')", #""16:03""#),
        ("formatDate(body.d, 'HH:mm Z')", #""17:03 +01:00""#),
        ("setHour(body.d, 0)", "date 2016-12-27T23:03:06.000Z"),
        ("formatDate('2016-07-01T12:00:00Z', 'HH:mm ZZ')", #""14:00 +0200""#),
        ("parseDate('10:30', 'HH:mm')", "date 2016-12-28T09:30:00.000Z"),
        ("environment.timezone", #""Europe/Prague""#),
    ])
    func inPrague(_ expression: String, _ expected: String) {
        #expect(Eval.show(expression, Eval.exampleContext, timeZone: "Europe/Prague") == expected)
    }

    @Test func environmentVariableSetsTheDefaultZone() throws {
        let context = EvaluationContext(
            variables: ["environment": ["timezone": "Europe/Prague"]], now: Eval.clock)
        #expect(context.timeZone == "Europe/Prague")
        #expect(try Template("{{formatDate(now, 'HH:mm')}}").evaluate(in: context) == "17:03")
        let unknown = EvaluationContext(variables: ["environment": ["timezone": "Nowhere"]], now: Eval.clock)
        #expect(try Template("{{formatDate(now, 'HH:mm')}}").evaluate(in: unknown) == .undefined)
        #expect(try Template("{{environment.timezone}}").evaluate(in: EvaluationContext(now: Eval.clock)) == "UTC")
    }

    @Test func mixedTextUsesTheISOForm() throws {
        #expect(try Template("at {{now}}").evaluate(in: Eval.context()) == "at 2016-12-28T16:03:06.000Z")
    }
}
