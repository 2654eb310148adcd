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
}
