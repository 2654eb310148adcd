import Foundation

/// Text helpers for showing URLs in messages without the parts that may carry secrets.
enum URLText {
    /// `url` without user information, query or fragment: `scheme://host:port/path`.
    ///
    /// Purely textual, so it works on URLs that do not parse; a query is shown as `?…`.
    static func redacted(_ url: String) -> String {
        var text = Substring(url)
        var prefix = ""
        if let authority = authority(of: text) {
            prefix = String(text[..<authority.startIndex])
            text = text[authority.startIndex...]
            if let at = authority.lastIndex(of: "@") { text = text[text.index(after: at)...] }
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
    static func userInformation(_ url: String) -> (user: String, password: String)? {
        guard let authority = authority(of: Substring(url)), let at = authority.lastIndex(of: "@") else { return nil }
        let information = authority[..<at]
        func decoded(_ text: Substring) -> String { text.removingPercentEncoding ?? String(text) }
        guard let colon = information.firstIndex(of: ":") else { return (decoded(information), "") }
        return (decoded(information[..<colon]), decoded(information[information.index(after: colon)...]))
    }

    /// The authority of `url`: what follows `scheme://`, up to the path, query or fragment; nil without `://`.
    /// Purely textual, like its callers.
    private static func authority(of url: Substring) -> Substring? {
        guard let range = url.range(of: "://") else { return nil }
        let rest = url[range.upperBound...]
        return rest[..<(rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex)]
    }
}
