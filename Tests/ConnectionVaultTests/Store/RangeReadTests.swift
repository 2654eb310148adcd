@testable import ConnectionVault
import Foundation
import Testing
import TestSupport

/// `Database.runnableConnections(ascending:limit:)`, the range read of a revalidation's page, against the point
/// lookups it stands in for.
@Suite("Range read of a page")
struct RangeReadTests {
    /// A vault of `count` connections (`RevalidationPipelineTests`' fixture), its ids in stored order, and a read
    /// connection to its file.
    static func setUp(count: Int) async throws -> (TestVault, [UUID], Database) {
        let server = try ScriptedHTTPServer { _ in .text("unused") }
        defer { server.stop() }
        let (test, ids) = try await RevalidationPipelineTests.setUp(server, count: count)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.sortsBefore($1) })
        return (test, ids, try Database(path: test.path, mode: .existing, busyTimeout: .seconds(1)))
    }

    /// What point lookups give for `ids`: the reference a range read must match.
    static func lookedUp(_ ids: ArraySlice<UUID>, in database: Database) throws -> [UUID?] {
        try ids.map { try database.runnableConnection(id: $0)?.connection.id }
    }

    @Test func rowsNotAskedForArePassedOverAndMissingIdsAreNil() async throws {
        let (test, ids, database) = try await Self.setUp(count: 40)
        try test.vault.remove(ids[9])
        let page = stride(from: 0, to: 40, by: 3).map { ids[$0] }[...]  // ids[9] among them
        let (rows, reached) = try database.runnableConnections(ascending: page, limit: 40)  // room for every row
        #expect(reached == page.endIndex)
        #expect(rows.map(\.index) == Array(page.indices))
        #expect(rows.map { $0.row?.connection.id } == (try Self.lookedUp(page, in: database)))
        #expect(rows.filter { $0.row == nil }.count == 1)
    }

    /// The range stops at `limit` rows: the ids it reached are answered (one removed among them), the rest are left
    /// to point lookups, also when the limit falls exactly on the last id.
    @Test func aRangeThatStopsAtTheLimitLeavesTheRestUnreached() async throws {
        let (test, ids, database) = try await Self.setUp(count: 40)
        try test.vault.remove(ids[6])
        let page = stride(from: 0, to: 40, by: 3).map { ids[$0] }[...]  // 14 ids over 38 rows
        let (rows, reached) = try database.runnableConnections(ascending: page, limit: 10)  // rows 0...9
        #expect(reached == 4, "ids[0], [3], [6] and [9] are within the first ten rows")
        #expect(rows.map { $0.row?.connection.id } == (try Self.lookedUp(page[..<reached], in: database)))
        #expect(rows[2].row == nil, "ids[6] was removed")

        let exact = [ids[20], ids[22], ids[25]][...]  // six rows, 20 through 25
        let (all, end) = try database.runnableConnections(ascending: exact, limit: 6)
        #expect(end == exact.endIndex)
        #expect(all.map { $0.row?.connection.id } == [ids[20], ids[22], ids[25]])
    }
}

/// The text of an id in the `id` column, which the range read's order, the additional data of sealed values and
/// every lookup depend on.
@Suite("Stored text of an id")
struct StoredTextTests {
    @Test func isTheLowerCaseCanonicalTextForEveryNibbleInEveryPlace() {
        var ids = (0..<200).map { _ in UUID() }
        for nibble in UInt8(0)...15 {  // every digit value in every position, high and low
            let byte = nibble << 4 | nibble
            ids.append(UUID(uuid: (byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte, byte)))
            ids.append(UUID(uuid: (0, byte, 0, byte, 0, byte, 0, byte, byte, 0, byte, 0, byte, 0, byte, 0)))
        }
        for id in ids {
            #expect(id.storedText == id.uuidString.lowercased())
        }
        #expect(UUID(uuidString: "01234567-89AB-CDEF-0123-456789ABCDEF")!.storedText == "01234567-89ab-cdef-0123-456789abcdef")
    }
}
