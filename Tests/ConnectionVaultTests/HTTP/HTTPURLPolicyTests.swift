import Testing

@testable import ConnectionVault

@Suite("HTTP URL policy (connection-spec §10)")
struct HTTPURLPolicyTests {
    let policy = URLPolicy()

    func rule(_ url: String, allowPlainHTTP: Bool = false) -> URLPolicyViolation.Rule? {
        URLPolicy.violation(of: url, allowPlainHTTP: allowPlainHTTP)?.rule
    }

    @Test(arguments: [
        "https://example.com/", "https://example.com:8443/a?b=c", "HTTPS://Example.COM/x",
        "https://user:secret@example.com/", "https://127.0.0.1.evil.com/", "https://[2001:db8::1]/",
    ])
    func httpsIsAllowedToAnyHost(url: String) {
        #expect(rule(url) == nil)
    }

    @Test(arguments: [
        "http://localhost/", "http://LOCALHOST:8080/x", "http://127.0.0.1/", "http://127.0.0.1:9/a?b",
        "http://127.255.255.254/", "http://127.1.2.3/", "http://[::1]/", "http://[::1]:8080/x",
        "http://[0:0:0:0:0:0:0:1]/", "http://user:pw@127.0.0.1/",
        // libcurl normalises these numeric IPv4 forms to 127.0.0.1 and connects there, so they are loopback.
        "http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/",
    ])
    func plainHTTPIsAllowedToLoopback(url: String) {
        #expect(rule(url) == nil)
    }

    @Test(arguments: [
        "http://example.com/", "http://127.0.0.1.evil.com/", "http://localhost.evil.com/",
        "http://evil-localhost/", "http://127.0.0.1@evil.com/", "http://127.0.0.1:80@evil.com/",
        "http://localhost@evil.com/", "http://evil.com#@127.0.0.1/", "http://evil.com?@127.0.0.1/",
        "http://127.0.0.1\\@evil.com/", "http://127.0.0.1%2eevil.com/", "http://[::2]/", "http://[::ffff:127.0.0.1]/",
        "http://128.0.0.1/", "http://0.0.0.0/", "http://10.0.0.1/", "http://localhost./", "http://[::]/",
    ])
    func plainHTTPElsewhereIsRefused(url: String) {
        #expect(rule(url) == .plainHTTPNotLoopback)
    }

    @Test func plainHTTPElsewhereCanBeAllowed() {
        #expect(rule("http://example.com/", allowPlainHTTP: true) == nil)
        #expect(rule("ftp://example.com/", allowPlainHTTP: true) == .schemeNotAllowed("ftp"))
    }

    @Test(arguments: [
        ("file:///etc/passwd", "file"), ("ftp://127.0.0.1/x", "ftp"), ("gopher://127.0.0.1/", "gopher"),
        ("javascript:alert(1)", "javascript"), ("data:text/plain,hi", "data"), ("ldap://localhost/", "ldap"),
        ("dict://127.0.0.1:11211/", "dict"), ("FILE:///etc/passwd", "file"), ("ws://localhost/", "ws"),
    ])
    func otherSchemesAreNeverUsed(url: String, scheme: String) {
        #expect(rule(url) == .schemeNotAllowed(scheme))
    }

    @Test(arguments: ["", "not a url", "/relative/path", "http://exa mple.com/", "http://127.0.0.1:99999/"])
    func malformedURLsAreRefused(url: String) {
        #expect(rule(url) == .malformed)
    }

    @Test func checkedURLHasOriginAndRequestTarget() throws {
        let url = try policy.check("HTTPS://Example.COM/a/../b?q=1#frag")
        #expect(url.origin == Origin(scheme: "https", host: "example.com", port: 443))
        #expect(url.requestTarget == "/b?q=1")
        let plain = try policy.check("http://127.0.0.1/")
        #expect(plain.origin.port == 80)
        #expect(plain.requestTarget == "/")
    }

    @Test func messagesNameTheRuleButNoSecrets() {
        let violation = URLPolicy.violation(of: "http://user:hunter2@example.com/path?token=abc")
        let message = violation?.description ?? ""
        #expect(message.contains("plain http is allowed only to loopback"))
        #expect(message.contains("http://example.com/path"))
        #expect(!message.contains("hunter2"))
        #expect(!message.contains("token=abc"))
    }

    @Test func redirectTargetsResolveRelativeAndStripUserInfo() throws {
        let base = try policy.check("https://user:pw@api.example.com/v1/items?x=1")
        let relative = try policy.redirectTarget("../login?next=1", from: base, keepUserInfo: true)
        #expect(relative.text == "https://user:pw@api.example.com/login?next=1")
        let stripped = try policy.redirectTarget("https://other.example.com/", from: base, keepUserInfo: false)
        #expect(stripped.text == "https://other.example.com/")
        #expect(!stripped.hasUserInfo)
        #expect(throws: HTTPError.self) {
            try policy.redirectTarget("file:///etc/passwd", from: base, keepUserInfo: false)
        }
        do {
            _ = try policy.redirectTarget("http://example.org/", from: base, keepUserInfo: false)
            Issue.record("expected a refusal")
        } catch {
            #expect(
                error
                    == .refused(
                        URLPolicyViolation(
                            rule: .plainHTTPNotLoopback, url: "http://example.org/", isRedirectTarget: true)))
        }
    }

    @Test func urlTextRedaction() {
        #expect(URLText.redacted("https://u:p@h.example/a/b?c=d#e") == "https://h.example/a/b?…")
        #expect(URLText.redacted("https://h.example/a#frag") == "https://h.example/a")
        #expect(URLText.redacted("not a url?secret") == "not a url?…")
    }

    /// User information is read as libcurl reads it (percent-decoded, the last `@` of the authority ends it, a user
    /// alone has an empty password); an `@` in the path, query or fragment is none.
    @Test func userInformation() {
        let found = URLText.userInformation("https://api:p%40ss%3Aw@rd@h.example:8443/a@b?c=@#@")
        #expect(found?.user == "api" && found?.password == "p@ss:w@rd")
        #expect(URLText.userInformation("https://h.example/a@b?c=@d#@") == nil)
        let userOnly = URLText.userInformation("https://token@h.example/")  // libcurl sends Basic "token:"
        #expect(userOnly?.user == "token" && userOnly?.password == "")
        #expect(URLText.userInformation("https://:secret@h.example")?.password == "secret")
        #expect(URLText.userInformation("h.example/u:p@x") == nil)
        #expect(URLText.userInformation("https://u:%zz@h.example/")?.password == "%zz")  // not decodable: as written
    }
}
