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
    /// as libcurl decodes them for Basic authentication; nil when there is no password.
    static func userInformation(_ url: String) -> (user: String, password: String)? {
        guard let range = url.range(of: "://") else { return nil }
        let rest = url[range.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else {
            return nil
        }
        func decoded(_ text: Substring) -> String { text.removingPercentEncoding ?? String(text) }
        return (decoded(rest[..<colon]), decoded(rest[rest.index(after: colon)..<at]))
    }
}
