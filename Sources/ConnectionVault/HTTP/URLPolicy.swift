internal import CCurl
internal import Glibc

/// The scheme and host rules of connection-spec §10, checked before any name lookup or connection.
///
/// Only `https`, plus `http` to loopback (the host is literally `localhost`, an address in 127.0.0.0/8 or
/// `[::1]`, decided from the URL text alone) unless ``allowPlainHTTP`` is set. No other scheme is ever used.
/// URLs are parsed by libcurl's own URL parser, so the policy judges exactly what libcurl would connect to.
package struct URLPolicy: Sendable, Hashable {
    /// Allow plain `http` to any host, not only loopback (a vault configuration switch; off by default).
    package var allowPlainHTTP: Bool

    package init(allowPlainHTTP: Bool = false) {
        self.allowPlainHTTP = allowPlainHTTP
    }

    /// Checks a literal URL, e.g. a spec's template-free `url` at import; `nil` when it is allowed.
    package static func violation(of url: String, allowPlainHTTP: Bool = false) -> URLPolicyViolation? {
        do {
            _ = try URLPolicy(allowPlainHTTP: allowPlainHTTP).check(url)
            return nil
        } catch {
            if case .refused(let violation) = error { return violation }
            return URLPolicyViolation(rule: .malformed, url: URLText.redacted(url))
        }
    }

    /// Parses and checks `url`, returning it as libcurl normalised it.
    package func check(_ url: String) throws(HTTPError) -> CheckedURL {
        try check(url, base: nil)
    }

    /// Resolves a redirect's `Location` against the URL it came from and checks the result.
    ///
    /// Spaces and non-ASCII characters in the `Location` are percent-encoded, as browsers and curl do. When
    /// `keepUserInfo` is false, user information in the target is removed.
    func redirectTarget(_ location: String, from base: CheckedURL, keepUserInfo: Bool) throws(HTTPError)
        -> CheckedURL
    {
        try check(location, base: base, keepUserInfo: keepUserInfo)
    }

    private func check(_ url: String, base: CheckedURL?, keepUserInfo: Bool = true) throws(HTTPError) -> CheckedURL {
        let isRedirect = base != nil
        func refuse(_ rule: URLPolicyViolation.Rule, _ text: String) -> HTTPError {
            .refused(URLPolicyViolation(rule: rule, url: URLText.redacted(text), isRedirectTarget: isRedirect))
        }
        // A scheme written in the text is judged before parsing, so `javascript:` or `data:` get a clear message.
        if let scheme = Self.leadingScheme(url), scheme != "http", scheme != "https" {
            throw refuse(.schemeNotAllowed(scheme), url)
        }
        guard let parsed = CurlURL() else { throw .invalidRequest("out of memory parsing a URL") }
        if let base, !parsed.set(base.text) { throw refuse(.malformed, base.text) }
        guard parsed.set(url, encode: isRedirect) else { throw refuse(.malformed, url) }
        if !keepUserInfo {
            parsed.clear(CURLUPART_USER)
            parsed.clear(CURLUPART_PASSWORD)
            parsed.clear(CURLUPART_OPTIONS)
        }
        guard let text = parsed.get(CURLUPART_URL), let scheme = parsed.get(CURLUPART_SCHEME)?.lowercased() else {
            throw refuse(.malformed, url)
        }
        guard scheme == "http" || scheme == "https" else { throw refuse(.schemeNotAllowed(scheme), text) }
        guard let host = parsed.get(CURLUPART_HOST), !host.isEmpty,
            let portText = parsed.get(CURLUPART_PORT, defaultPort: true), let port = Int(portText)
        else { throw refuse(.malformed, text) }
        if scheme == "http", !allowPlainHTTP, !Self.isLoopback(host: host) {
            throw refuse(.plainHTTPNotLoopback, text)
        }
        let path = parsed.get(CURLUPART_PATH) ?? "/"
        let query = parsed.get(CURLUPART_QUERY)
        return CheckedURL(
            text: text, origin: Origin(scheme: scheme, host: host.lowercased(), port: port),
            requestTarget: query.map { "\(path)?\($0)" } ?? path,
            hasUserInfo: parsed.get(CURLUPART_USER) != nil)
    }

    /// The scheme at the start of `url` (RFC 3986 syntax), lower-cased, if the text starts with one.
    static func leadingScheme(_ url: String) -> String? {
        var url = url
        return url.withUTF8 { bytes -> String? in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isASCIILetter(bytes[0]) else {
                return nil
            }
            let candidate = UnsafeBufferPointer(rebasing: bytes[..<colon])
            guard candidate.allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) || "+-.".utf8.contains($0) }) else {
                return nil
            }
            if equalsIgnoringCase(candidate, "http") { return "http" }
            if equalsIgnoringCase(candidate, "https") { return "https" }
            return String(decoding: candidate.map { $0 | (isASCIILetter($0) ? 0x20 : 0) }, as: UTF8.self)
        }
    }

    /// Whether `host` (as libcurl returns it: IPv6 in brackets) is loopback by its text alone.
    static func isLoopback(host: String) -> Bool {
        var host = host
        return host.withUTF8 { bytes -> Bool in
            if equalsIgnoringCase(bytes, "localhost") { return true }
            if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") { return isIPv6Loopback(bytes) }
            // Dotted IPv4: exactly four parts of one to three digits, each at most 255; the first is 127.
            var octets: [Int] = []
            octets.reserveCapacity(4)
            var value = 0
            var digits = 0
            for byte in bytes {
                if byte == UInt8(ascii: ".") {
                    guard digits > 0, value <= 255, octets.count < 3 else { return false }
                    octets.append(value)
                    value = 0
                    digits = 0
                } else {
                    guard isASCIIDigit(byte), digits < 3 else { return false }
                    value = value * 10 + Int(byte - UInt8(ascii: "0"))
                    digits += 1
                }
            }
            guard digits > 0, value <= 255, octets.count == 3 else { return false }
            return octets[0] == 127
        }
    }

    /// `[::1]` in any spelling inet_pton accepts (a zone index after `%` ignored).
    private static func isIPv6Loopback(_ bracketed: UnsafeBufferPointer<UInt8>) -> Bool {
        var inner = String(decoding: bracketed.dropFirst().dropLast(), as: UTF8.self)
        if let zone = inner.firstIndex(of: "%") { inner = String(inner[..<zone]) }
        var address = in6_addr()
        guard inet_pton(AF_INET6, inner, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isASCIIDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether `bytes` spell `lowercase` (ASCII, lower-case) regardless of ASCII case.
    private static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for (byte, wanted) in zip(bytes, expected) {
            let folded = isASCIILetter(byte) ? byte | 0x20 : byte
            guard folded == wanted else { return false }
        }
        return true
    }
}

/// A URL that passed the policy, in libcurl's normalised form.
package struct CheckedURL: Sendable, Hashable, CustomStringConvertible {
    /// The full URL as it will be sent.
    package let text: String
    /// Scheme, host and port (the default port filled in).
    package let origin: Origin
    /// The path and query as they appear on the request line (the Digest `uri`).
    package let requestTarget: String
    /// Whether the URL carries user information (libcurl sends it as Basic credentials).
    package let hasUserInfo: Bool

    /// The URL without user information or query, for messages.
    package var description: String { URLText.redacted(text) }
}

/// A web origin: scheme, host and port. Credentials are only ever sent to the origin a request named.
package struct Origin: Sendable, Hashable, CustomStringConvertible {
    package let scheme: String
    package let host: String
    package let port: Int

    package var description: String { "\(scheme)://\(host):\(port)" }
}

/// A URL that breaks the URL policy, and the rule it breaks.
package struct URLPolicyViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rules of connection-spec §10.
    package enum Rule: Sendable, Hashable {
        /// Not an absolute URL with a host that libcurl can parse.
        case malformed
        /// A scheme other than `http` and `https`.
        case schemeNotAllowed(String)
        /// Plain `http` to a host that is not loopback, while plain http is not allowed.
        case plainHTTPNotLoopback
    }

    /// The rule the URL breaks.
    package let rule: Rule
    /// The URL without user information or query.
    package let url: String
    /// Whether the URL came from a redirect's `Location`.
    package let isRedirectTarget: Bool

    package init(rule: Rule, url: String, isRedirectTarget: Bool = false) {
        self.rule = rule
        self.url = url
        self.isRedirectTarget = isRedirectTarget
    }

    /// What the rule says, without the URL.
    package var ruleDescription: String {
        switch rule {
        case .malformed: "not a valid absolute URL"
        case .schemeNotAllowed(let scheme):
            "the scheme '\(scheme)' is never used: only https, and http to loopback"
        case .plainHTTPNotLoopback:
            "plain http is allowed only to loopback (localhost, 127.0.0.0/8, [::1]); use https"
        }
    }

    package var description: String {
        "\(isRedirectTarget ? "redirect target" : "URL") refused (\(url)): \(ruleDescription)"
    }
}
