import ConnectionVault
import Foundation
import IML
import Testing
import TestSupport

/// Specs, not just the HTTP layer, against servers no one here wrote: httpbin and Apache httpd for Basic and
/// Digest through the `auth` extension, and an HTTPS server whose self-signed CA comes through `ca`.
@Suite("Specs against real servers", .serialized)
struct SpecInteropTests {
    let directory = TemporaryDirectory("connvault-spec-interop")

    func spec(_ json: String) throws -> ConnectionSpec {
        let value = try Value(parsingJSONC: Array(json.utf8))
        return try ConnectionSpec.check(
            name: "interop", label: nil, communication: value["communication"], parameters: value["parameters"],
            common: nil, source: "interop")
    }

    static let digestSpec = """
        {"communication": {"url": "URL", "auth": {"type": "TYPE", "username": "{{parameters.user}}", "password": "{{parameters.password}}"},
                           "response": {"type": "text", "data": {"page": "{{trim(body)}}"}}},
         "parameters": [{"name": "user", "type": "text"}, {"name": "password", "type": "password"}]}
        """

    @Test(.enabled(if: ExternalHTTPServer.apacheAvailable, "needs Apache httpd (Debian: apache2)"))
    func apacheDigestAndBasicThroughTheAuthExtension() async throws {
        let apache = try ExternalHTTPServer.apache(in: directory, user: "Mufasa", password: "Circle of Life", realm: "vault test")
        defer { apache.stop() }
        for (type, path) in [("digest", "/digest/"), ("basic", "/basic/")] {
            let text = Self.digestSpec.replacingOccurrences(of: "URL", with: apache.url(path)).replacingOccurrences(of: "TYPE", with: type)
            let good = await Fixtures.executor().run(try spec(text), parameters: ["user": "Mufasa", "password": "Circle of Life"], common: [:])
            #expect(good.outcome == .valid && good.verified?.data["page"] == "hello from apache", "\(type): \(good.error ?? "")")
            let bad = await Fixtures.executor().run(try spec(text), parameters: ["user": "Mufasa", "password": "CANARY-wrong"], common: [:])
            #expect(bad.outcome == .invalid && bad.httpStatus == 401, "\(type)")
            #expect(!(bad.error ?? "").contains("CANARY") && !bad.log.map { $0.compactJSON() }.joined().contains("CANARY"))
        }
    }

    @Test(.enabled(if: ExternalHTTPServer.httpbinAvailable, "needs httpbin from PyPI"))
    func httpbinDigestMD5AndSHA256AndBasic() async throws {
        let httpbin = try ExternalHTTPServer.httpbin(in: directory)
        defer { httpbin.stop() }
        for (type, path) in [("digest", "/digest-auth/auth/jane/pw-1/MD5"), ("digest", "/digest-auth/auth/jane/pw-1/SHA-256"),
                             ("basic", "/basic-auth/jane/pw-1")] {
            let text = """
                {"communication": {"url": "\(httpbin.url(path))", "auth": {"type": "\(type)", "username": "{{parameters.user}}", "password": "{{parameters.password}}"},
                                   "response": {"uid": "{{body.user}}", "valid": "{{body.authenticated}}"}},
                 "parameters": [{"name": "user", "type": "text"}, {"name": "password", "type": "password"}]}
                """
            let result = await Fixtures.executor().run(try spec(text), parameters: ["user": "jane", "password": "pw-1"], common: [:])
            #expect(result.outcome == .valid && result.verified?.uid == "jane", "\(path): \(result.error ?? "")")
        }
        let bearer = """
            {"communication": {"url": "\(httpbin.url("/bearer"))", "headers": {"authorization": "Bearer {{parameters.token}}"},
                               "response": {"uid": "{{body.token}}"}},
             "parameters": [{"name": "token", "type": "password"}]}
            """
        let result = await Fixtures.executor().run(try spec(bearer), parameters: ["token": "t-1"], common: [:])
        #expect(result.outcome == .valid && result.verified?.uid == "t-1")
    }

    @Test(.enabled(if: TestCertificateAuthority.isAvailable, "needs the openssl command-line tool"))
    func httpsWithASelfSignedCAThroughTheCADirective() async throws {
        let authority = try TestCertificateAuthority(name: "spec-ca", in: directory)
        let server = try TLSFileServer(files: ["me.json": #"{"id": "tls-1"}"#], authority: authority, directory: directory)
        defer { server.stop() }
        let text = """
            {"communication": {"url": "\(server.url("/me.json"))", "ca": "{{parameters.ca}}", "response": {"type": "json", "uid": "{{body.id}}"}},
             "parameters": [{"name": "ca", "type": "cert"}]}
            """
        let trusted = await Fixtures.executor().run(try spec(text), parameters: ["ca": .string(authority.pem)], common: [:])
        #expect(trusted.outcome == .valid && trusted.verified?.uid == "tls-1", "\(trusted.error ?? "")")
        let untrusted = await Fixtures.executor().run(try spec(text), parameters: [:], common: [:])
        #expect(untrusted.outcome == .unreachable && untrusted.error?.contains("certificate") == true)
    }
}
