import Foundation
@testable import ConnectionVault
import Testing

@Suite("Sealed box")
struct SealedBoxTests {
    let key = SecureBytes.random(count: SealedBox.keyBytes)
    let location = SealLocation(table: "connections", rowID: "row-1", field: "sealed")
    let plaintext = Array("{\"apiKey\":\"canary\"}".utf8)

    func seal(_ bytes: [UInt8], version: UInt32 = 7, at location: SealLocation? = nil) -> [UInt8] {
        bytes.withUnsafeBytes {
            SealedBox.seal($0, key: key, keyVersion: version, vaultID: "vault-a", location: location ?? self.location)
        }
    }

    func open(_ sealed: [UInt8], key: SecureBytes? = nil, vaultID: String = "vault-a", at location: SealLocation? = nil) throws
        -> [UInt8]
    {
        try SealedBox.open(sealed, key: key ?? self.key, vaultID: vaultID, location: location ?? self.location) { Array($0) }
    }

    @Test func roundTripsAndRecordsTheLayout() throws {
        let sealed = seal(plaintext)
        #expect(sealed.count == SealedBox.headerBytes + plaintext.count + SealedBox.tagBytes)
        #expect(sealed[0] == 1)
        #expect(SealedBox.keyVersion(of: sealed) == 7)
        #expect(try open(sealed) == plaintext)
        #expect(try open(seal([])) == [])
    }

    @Test func everySealUsesAFreshNonce() {
        let first = seal(plaintext)
        let second = seal(plaintext)
        #expect(first[5..<29] != second[5..<29])
        #expect(first != second)
    }

    @Test func flippingAnyByteFailsAuthentication() {
        let sealed = seal(plaintext)
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            #expect(throws: (any Error).self, "flipping byte \(index) went unnoticed") { try open(altered) }
        }
    }

    @Test func truncationFails() {
        let sealed = seal(plaintext)
        for count in [0, 1, 5, SealedBox.headerBytes, sealed.count - 1] {
            #expect(throws: (any Error).self) { try open(Array(sealed.prefix(count))) }
        }
    }

    @Test func aValueOnlyOpensWhereItWasSealed() {
        let sealed = seal(plaintext)
        let elsewhere = [
            SealLocation(table: "connections", rowID: "row-2", field: "sealed"),
            SealLocation(table: "connections", rowID: "row-1", field: "other"),
            SealLocation(table: "common_data", rowID: "row-1", field: "sealed"),
        ]
        for location in elsewhere {
            #expect(throws: SealingError.authenticationFailed(location)) { try open(sealed, at: location) }
        }
        #expect(throws: SealingError.authenticationFailed(location)) { try open(sealed, vaultID: "vault-b") }
        #expect(throws: SealingError.authenticationFailed(location)) {
            try open(sealed, key: SecureBytes.random(count: SealedBox.keyBytes))
        }
    }

    @Test func theKeyVersionIsAuthenticated() {
        var sealed = seal(plaintext, version: 1)
        sealed[4] = 2  // claim key version 2
        #expect(throws: SealingError.authenticationFailed(location)) { try open(sealed) }
    }

    @Test func additionalDataIsUnambiguous() {
        let a = SealedBox.additionalData(
            vaultID: "v", location: SealLocation(table: "ab", rowID: "c", field: "f"), keyVersion: 1)
        let b = SealedBox.additionalData(
            vaultID: "v", location: SealLocation(table: "a", rowID: "bc", field: "f"), keyVersion: 1)
        #expect(a != b)
    }

    /// A table or field name written as a single-scalar literal in a generic context is held as the scalar itself,
    /// not as a pointer to its text; it is bound as the same UTF-8 bytes.
    @Test func aOneScalarNameIsBoundAsItsText() {
        func t<Name: ExpressibleByUnicodeScalarLiteral>() -> Name { "t" }
        func f<Name: ExpressibleByUnicodeScalarLiteral>() -> Name { "é" }
        let table: StaticString = t(), field: StaticString = f()
        #expect(!table.hasPointerRepresentation && !field.hasPointerRepresentation)
        let location = SealLocation(table: table, rowID: "r", field: field)
        #expect(location.table == "t" && location.field == "é")
        let bytes = SealedBox.additionalData(vaultID: "v", location: location, keyVersion: 1)
        #expect(bytes == SealedBox.additionalData(vaultID: "v", location: SealLocation(table: "t", rowID: "r", field: "é"), keyVersion: 1))
        var expected = Array("connvault-seal".utf8) + [1]
        for part in ["v", "t", "r", "é"] { expected += [0, 0, 0, UInt8(part.utf8.count)] + Array(part.utf8) }
        #expect(bytes == expected + [0, 0, 0, 1])
    }

    @Test func additionalDataKeepsItsFormat() {
        // The bytes every stored value is bound to: changing them would make every existing vault unreadable.
        let bytes = SealedBox.additionalData(
            vaultID: "v1", location: SealLocation(table: "connections", rowID: "r", field: "sealed"), keyVersion: 258)
        var expected = Array("connvault-seal".utf8) + [1]
        for part in ["v1", "connections", "r", "sealed"] {
            expected += [0, 0, 0, UInt8(part.utf8.count)] + Array(part.utf8)
        }
        expected += [0, 0, 1, 2]
        #expect(bytes == expected)
    }

    /// A connection's location may name its row by id (no string is built on the hot path); it is the same location
    /// as the id's stored text: equal, same hash and description, same additional data, so values sealed under
    /// either open under the other.
    @Test func aLocationNamedByIdIsTheLocationOfItsText() throws {
        let id = UUID()
        let byID = SealLocation(table: "connections", id: id, field: "sealed")
        let byText = SealLocation(table: "connections", rowID: id.storedText, field: "sealed")
        #expect(byID == byText)
        #expect(byID.hashValue == byText.hashValue)
        #expect(byID.rowID == id.storedText)
        #expect(byID.description == byText.description)
        #expect(
            SealedBox.additionalData(vaultID: "v", location: byID, keyVersion: 3)
                == SealedBox.additionalData(vaultID: "v", location: byText, keyVersion: 3))
        #expect(try open(seal(plaintext, at: byText), at: byID) == plaintext)
        #expect(try open(seal(plaintext, at: byID), at: byText) == plaintext)
        #expect(byID != SealLocation(table: "connections", id: UUID(), field: "sealed"))
    }

    @Test func secureBytesNeverPrintTheirContent() {
        let secret = SecureBytes(copying: Array("hunter2".utf8))
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect(secret.withUnsafeBytes { Array($0) } == Array("hunter2".utf8))
        #expect(secret.constantTimeEquals(SecureBytes(copying: Array("hunter2".utf8))))
        #expect(!secret.constantTimeEquals(SecureBytes(copying: Array("hunter3".utf8))))
    }
}
