import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport
@testable import connvault

/// `list` and `find` stream their output a page at a time; what they print must not change. The references below are
/// the code that printed them before (every connection read into an array, then one document or one table).
@Suite("connvault list output")
struct ListOutputTests {
    let connvault = CommandRunner(product: "connvault")

    static func environment(_ test: TestVault) -> [String: String] {
        ["CONNVAULT_KEY": test.keyBase64, "CONNVAULT_PATH": test.path, "HOME": test.directory.path]
    }

    /// The JSON document as it was printed before streaming: one `Value` array of `JSONDocuments.connection` objects.
    static func referenceJSON(_ connections: [Connection]) -> String {
        Value.array(connections.map { JSONDocuments.connection($0) }).compactJSON() + "\n"
    }

    /// The table as it was printed before streaming (rows of strings, NSString padding).
    static func referenceTable(_ connections: [Connection], now: Date) -> String {
        let rows = [["ID", "TYPE", "NAME", "STATUS", "VERIFIED", "LAST ERROR"]] + connections.map {
            [String($0.id.uuidString.lowercased().prefix(8)), $0.typeName, $0.name, $0.status.rawValue,
             RelativeTime.describe($0.verifiedAt, now: now), $0.lastError ?? ""]
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Three pages and a bit, every filter: the same bytes as before, in ascending id order.
    @Test func outputIsUnchangedAcrossPagesAndFilters() throws {
        let test = try TestVault()
        let all = try test.addListingVariety(Vault.listingPageSize * 3 + 7)
        #expect(all.map { $0.id.uuidString.lowercased() } == all.map { $0.id.uuidString.lowercased() }.sorted())
        let cases: [([String], ConnectionFilter)] = [
            ([], .all),
            (["--type", "beta-key"], ConnectionFilter(typeName: "beta-key")),
            (["--status", "invalid"], ConnectionFilter(status: .invalid)),
            (["--status", "unverified", "--type", "acme-apikey"],
             ConnectionFilter(typeName: "acme-apikey", status: .unverified)),
            (["--type", "nope"], ConnectionFilter(typeName: "nope")),
        ]
        for (arguments, filter) in cases {
            let expected = try test.vault.connections(filter)
            let json = try connvault.run(["list", "--json"] + arguments, environment: Self.environment(test))
            #expect(json.status == 0, "\(json.stderr)")
            #expect(json.stdout == Self.referenceJSON(expected), "list --json \(arguments)")
            let table = try connvault.run(["list"] + arguments, environment: Self.environment(test))
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout == Self.referenceTable(expected, now: Date()), "list \(arguments)")
        }
        let listed = try connvault.run(["list", "--json"], environment: Self.environment(test)).stdout
        let first = try #require(try Value(parsingJSON: Array(listed.utf8)).arrayValue?.first?.objectValue)
        #expect(first.keys == ["id", "type", "name", "status", "metadata", "uid", "verifiedAt", "expiresAt",
                               "lastError", "specVersion", "createdAt", "updatedAt"])

        let uid = try #require(all.first { $0.uid != nil }?.uid)
        let find = try connvault.run(["find", "--uid", uid, "--json"], environment: Self.environment(test))
        #expect(find.stdout == Self.referenceJSON(try test.vault.connections(uid: uid)))
    }

    /// Exactly one full page: the listing ends with an empty page.
    @Test func exactlyOnePage() throws {
        let test = try TestVault()
        let all = try test.addListingVariety(Vault.listingPageSize)
        let json = try connvault.run(["list", "--json"], environment: Self.environment(test))
        #expect(json.stdout == Self.referenceJSON(all))
    }

    @Test func anEmptyVault() throws {
        let test = try TestVault()
        let json = try connvault.run(["list", "--json"], environment: Self.environment(test))
        #expect(json.status == 0 && json.stdout == "[]\n")
        let table = try connvault.run(["list"], environment: Self.environment(test))
        #expect(table.stdout == "ID  TYPE  NAME  STATUS  VERIFIED  LAST ERROR\n")
        #expect(table.stdout == Self.referenceTable([], now: Date()))
        let find = try connvault.run(["find", "--uid", "none"], environment: Self.environment(test))
        #expect(find.stdout == Self.referenceTable([], now: Date()))
    }

    /// Columns are as wide as their widest cell in characters; NSString's padding counted UTF-16 units and cut
    /// cells such as "👨‍👩‍👧" (one character, eight units) in the middle.
    @Test func tablesPadByCharactersAndNeverCut() {
        var table = Table("A", "B")
        table.add("\u{1F600}", "x")
        table.add("ab", "y")
        table.add("👨‍👩‍👧", "z")
        #expect(table.text == "A   B\n\u{1F600}   x\nab  y\n👨‍👩‍👧   z\n")
    }

    @Test func shortIDsAreTheFirstEightHexDigits() {
        for _ in 0..<50 {
            let id = UUID()
            #expect(ConnectionListing.shortID(id) == String(id.uuidString.lowercased().prefix(8)))
        }
    }

    /// Printable ASCII is counted by bytes; anything else (a CR LF pair is one character, so is e + U+0301) by
    /// characters.
    @Test func cellWidthsCountCharacters() {
        for text in ["", "plain ASCII ~", "a\r\nb", "e\u{301}t\u{E9}", "\u{1F600}!", "tab\there"] {
            #expect(Table.width(of: text.utf8) == text.count, "\(text.debugDescription)")
        }
    }
}
