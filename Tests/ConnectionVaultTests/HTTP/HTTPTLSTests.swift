import Foundation
import TestSupport
import Testing

@testable import ConnectionVault

@Suite(
    "HTTPS with a per-request CA", .serialized,
    .enabled(if: TestCertificateAuthority.isAvailable, "needs the openssl command-line tool (Debian: openssl)"))
struct HTTPTLSTests {
    let directory = TemporaryDirectory("connvault-tls")

    @Test func certificateChecksAreOnAndTheRequestCAIsTrusted() async throws {
        let authority = try TestCertificateAuthority(name: "a", in: directory)
        let server = try TLSFileServer(
            files: ["hello.txt": "hello over tls"], authority: authority, directory: directory)
        defer { server.stop() }
        let client = CurlHTTPClient()
        do {
            _ = try await client.send(HTTPRequest(url: server.url("/hello.txt")))
            Issue.record("a certificate from an unknown CA was accepted")
        } catch {
            guard case .tls(let host, let code, let detail) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(host == "127.0.0.1")
            #expect(code == 60)  // CURLE_PEER_FAILED_VERIFICATION
            #expect(detail.contains("certificate"))
        }
        let response = try await client.send(HTTPRequest(url: server.url("/hello.txt"), extraCA: authority.pem))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello over tls")
        let byName = try await client.send(
            HTTPRequest(
                url: server.url("/hello.txt").replacingOccurrences(of: "127.0.0.1", with: "localhost"),
                extraCA: authority.pem))
        #expect(byName.status == 200)
    }

    @Test func theRequestCAIsAddedToTheSystemRootsNotSubstitutedForThem() async throws {
        // The "system" bundle holds CA `a`, which signed the server; the request adds an unrelated CA `b`.
        let systemCA = try TestCertificateAuthority(name: "a", in: directory)
        let unrelated = try TestCertificateAuthority(name: "b", in: directory)
        let server = try TLSFileServer(files: ["x.txt": "x"], authority: systemCA, directory: directory)
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: HTTPClientConfiguration(caBundlePath: systemCA.certificatePath))
        let response = try await client.send(HTTPRequest(url: server.url("/x.txt"), extraCA: unrelated.pem))
        #expect(response.status == 200)
        // Control: without the bundle, the extra CA alone does not vouch for the server.
        let bare = CurlHTTPClient(configuration: HTTPClientConfiguration(caBundlePath: directory.file("missing.pem")))
        await #expect(throws: HTTPError.self) {
            try await bare.send(HTTPRequest(url: server.url("/x.txt"), extraCA: unrelated.pem))
        }
    }
}
