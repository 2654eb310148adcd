@testable import ConnectionVault
import Testing

@Suite("HTTP syntax")
struct HTTPSyntaxTests {
    @Test func headerNamesCompareRegardlessOfCase() {
        #expect(HTTPSyntax.namesEqual("Content-Type", "content-TYPE"))
        #expect(HTTPSyntax.namesEqual("Ä", "ä"))  // not ASCII: compared as lowercased() compares
        #expect(!HTTPSyntax.namesEqual("Content-Type", "Content-Typ"))
        // Folding touches letters only: '@' and '`', '[' and '{' differ only in the bit that folds letters.
        #expect(!HTTPSyntax.namesEqual("x@", "x`"))
        #expect(!HTTPSyntax.namesEqual("x[", "x{"))
        let headers = [HTTPHeader("Set-Cookie", "a"), HTTPHeader("set-cookie", "b"), HTTPHeader("Location", "/x")]
        #expect(headers.first(named: "LOCATION") == "/x")
        #expect(headers.values(named: "SET-COOKIE") == ["a", "b"])
    }

    @Test func tokensAndHeaderValuesAreChecked() {
        #expect(HTTPSyntax.isToken("X-Api-Key!#$%&'*+-.^_`|~09"))
        #expect(!HTTPSyntax.isToken("Bad Name") && !HTTPSyntax.isToken("") && !HTTPSyntax.isToken("a:b"))
        #expect(throws: HTTPError.self) { try HTTPSyntax.validate(method: "GET", headers: [HTTPHeader("A", "x\r\ny")]) }
        #expect(throws: HTTPError.self) { try HTTPSyntax.validate(method: "GET", headers: [HTTPHeader("A", "x\u{0}")]) }
        #expect(throws: HTTPError.self) { try HTTPSyntax.validate(method: "G T", headers: []) }
        #expect(throws: Never.self) { try HTTPSyntax.validate(method: "GET", headers: [HTTPHeader("A", "x\ty é")]) }
    }

    @Test func everyByteIsATokenByteExactlyWhenRFC9110SaysSo() {
        let tchars = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPSyntax.isTokenByte(byte) == tchars.contains(byte), "byte \(byte)")
        }
    }
}
