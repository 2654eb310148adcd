import ConnectionVault
import Foundation
import Testing
import TestSupport

@Suite("Listing a page at a time")
struct ListingTests {
    static let filters: [ConnectionFilter] = [
        .all, ConnectionFilter(typeName: "beta-key"), ConnectionFilter(status: .invalid),
        ConnectionFilter(typeName: "acme-apikey", status: .unverified), ConnectionFilter(uid: "uid-1 \u{1F600}"),
        ConnectionFilter(typeName: "nope"),
    ]

    /// 21 connections: pages of 1, 3 and 7 end exactly at the last one (a full page, then an empty one); 2 and 500
    /// do not.
    @Test(arguments: [1, 2, 3, 7, 500])
    func pagesMatchTheWholeListing(pageSize: Int) throws {
        let test = try TestVault()
        let all = try test.addListingVariety(21)
        #expect(all.count == 21 && Set(all.map(\.status)).count == 4)
        for filter in Self.filters {
            var paged: [Connection] = []
            try test.vault.forEachConnection(filter, pageSize: pageSize) { paged.append($0) }
            let whole = try test.vault.connections(filter)
            #expect(paged == whole, "\(filter)")
            #expect(paged.map(\.id.uuidString) == paged.map(\.id.uuidString).sorted())
        }
    }

    @Test func anEmptyVaultListsNothing() throws {
        let test = try TestVault()
        var count = 0
        try test.vault.forEachConnection { _ in count += 1 }
        try test.vault.forEachConnection(pageSize: 1) { _ in count += 1 }
        #expect(count == 0)
    }

    /// The body runs between pages without the vault's lock: it may use the same vault (a held lock would deadlock).
    @Test func theBodyMayUseTheVault() throws {
        let test = try TestVault()
        let all = try test.addListingVariety(9)
        var seen: [UUID] = []
        try test.vault.forEachConnection(pageSize: 2) { connection in
            seen.append(connection.id)
            try test.vault.rename(connection.id, to: "renamed while listing")
        }
        #expect(seen == all.map(\.id))
        #expect(try test.vault.connections().allSatisfy { $0.name == "renamed while listing" })
    }

    /// Connections created while the listing runs may appear; none appears twice and the order stays ascending.
    @Test func connectionsAddedWhileListingNeverRepeat() throws {
        let test = try TestVault()
        try test.addListingVariety(10)
        var seen: [UUID] = []
        try test.vault.forEachConnection(pageSize: 3) { connection in
            seen.append(connection.id)
            if seen.count <= 3 { try test.addVerified(type: "acme-apikey", name: "late", apiKey: "k") }
        }
        #expect(Set(seen).count == seen.count)
        #expect(seen.map(\.uuidString) == seen.map(\.uuidString).sorted())
        #expect(seen.count >= 10)
    }

    struct Stop: Error {}

    @Test func anErrorFromTheBodyEndsTheListing() throws {
        let test = try TestVault()
        try test.addListingVariety(10)
        var count = 0
        #expect(throws: Stop.self) {
            try test.vault.forEachConnection(pageSize: 4) { _ in
                count += 1
                if count == 5 { throw Stop() }
            }
        }
        #expect(count == 5)
    }
}
