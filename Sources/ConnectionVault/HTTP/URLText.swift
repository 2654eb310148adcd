import Foundation

/// Text helpers for showing URLs in messages without the parts that may carry secrets.
enum URLText {
    /// `url` without user information, query or fragment: `scheme://host:port/path`.
    ///
    /// Purely textual, so it works on URLs that do not parse; a query is shown as `?…`.
    static func redacted(_ url: String) -> String {
        var text = Substring(url)
        var prefix = ""
        if let range = text.range(of: "://") {
            prefix = String(text[..<range.upperBound])
            text = text[range.upperBound...]
            let authorityEnd = text.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
            if let at = text[..<authorityEnd].lastIndex(of: "@") {
                text = text[text.index(after: at)...]
            }
        }
        var suffix = ""
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            if text[cut] == "?" { suffix = "?…" }
            text = text[..<cut]
        }
        return prefix + text + suffix
    }

    /// The user name and password in `url`'s user information (`scheme://user:password@host…`), percent-decoded
    /// as libcurl decodes them for Basic authentication (which it sends for a user alone too, with an empty
    /// password); nil when there is no user information.
    ///
    /// Reads UTF-8 bytes: every request's URL goes through here, and `range(of:)` cost 25,000 instructions a call.
    static func userInformation(_ url: String) -> (user: String, password: String)? {
        let bytes = url.utf8
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { return nil }  // most URLs stop here
        var index = bytes.startIndex
        var schemeEnd: String.Index?
        while index < at {
            if bytes[index] == UInt8(ascii: ":"), bytes[bytes.index(after: index)...].starts(with: "//".utf8) {
                schemeEnd = bytes.index(index, offsetBy: 3)
                break
            }
            if bytes[index] == UInt8(ascii: "/") { return nil }
            index = bytes.index(after: index)
        }
        guard let start = schemeEnd else { return nil }
        let authority = bytes[start...].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        guard let last = authority.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        func decoded(_ range: Range<String.Index>) -> String {
            let text = url[range]
            return text.removingPercentEncoding ?? String(text)
        }
        guard let colon = authority[..<last].firstIndex(of: UInt8(ascii: ":")) else { return (decoded(start..<last), "") }
        return (decoded(start..<colon), decoded(bytes.index(after: colon)..<last))
    }
}
