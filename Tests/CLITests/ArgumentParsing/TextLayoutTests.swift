import Testing

@testable import connvault

struct TextLayoutTests {
    @Test func shortTextIsUnchanged() {
        #expect(TextLayout.wrap("one two", width: 80) == "one two")
        #expect(TextLayout.wrap("", width: 80) == "")
    }

    @Test func breaksAtTheLastSpaceThatFits() {
        #expect(TextLayout.wrap("aaa bbb ccc", width: 8) == "aaa bbb\nccc")
        #expect(TextLayout.wrap("aaa bbb ccc ddd", width: 8) == "aaa bbb\nccc ddd")
    }

    @Test func theLastLineMayFillTheWidthButOthersKeepRoomForTheBreak() {
        // "aaa bbbb" is 8 columns: it fits as the last line, but not when a line break follows it,
        // exactly as swift-argument-parser wraps.
        #expect(TextLayout.wrap("aaa bbbb", width: 8) == "aaa bbbb")
        #expect(TextLayout.wrap("aaa bbbb\nc", width: 8) == "aaa\nbbbb\nc")
        #expect(TextLayout.wrap("aaa bbbb cc", width: 8) == "aaa\nbbbb cc")
    }

    @Test func aLongWordStandsOnItsOwnLine() {
        #expect(TextLayout.wrap("a verylongword b", width: 6) == "a\nverylongword\nb")
        #expect(TextLayout.wrap("verylongword", width: 6) == "verylongword")
    }

    @Test func keepsLineBreaksAndIndentsOnlyNonEmptyLines() {
        #expect(TextLayout.wrap("one\n\ntwo three", width: 10, indent: 2) == "  one\n\n  two\n  three")
    }

    @Test func editDistance() {
        #expect(TextLayout.editDistance("kitten", "sitting") == 3)
        #expect(TextLayout.editDistance("", "abc") == 3)
        #expect(TextLayout.editDistance("abc", "") == 3)
        #expect(TextLayout.editDistance("lst", "list") == 1)
        #expect(TextLayout.editDistance("same", "same") == 0)
    }

    @Test func nearestPrefersTheClosestThenTheFirst() {
        #expect(TextLayout.nearest(to: "lst", in: ["last", "list"], maximumDistance: 2) == "last")
        #expect(TextLayout.nearest(to: "shw", in: ["list", "show"], maximumDistance: 2) == "show")
        #expect(TextLayout.nearest(to: "xyz", in: ["list", "show"], maximumDistance: 2) == nil)
    }
}
