import Synchronization

/// The last first-hop URL a client checked, so that a run of requests to one URL (a revalidation of many
/// connections of one type) parses it with libcurl once instead of once per request.
///
/// Checking is a pure function of the URL text and the policy, so a hit returns exactly what checking again would.
/// Only URLs without a query or user information are kept: those are where templates usually put credentials,
/// and the cache should not hold a credential for longer than the request that carried it.
final class CheckedURLCache: Sendable {
    private let last = Mutex<(text: String, policy: URLPolicy, checked: CheckedURL)?>(nil)

    init() {}

    /// `policy.check(url)`, answered from the cache when `url` is the URL checked last.
    func check(_ url: String, with policy: URLPolicy) throws(HTTPError) -> CheckedURL {
        if let hit = last.withLock({ last in last.flatMap { $0.text == url && $0.policy == policy ? $0.checked : nil } }) {
            return hit
        }
        let checked = try policy.check(url)
        if Self.isCacheable(url) { last.withLock { $0 = (url, policy, checked) } }
        return checked
    }

    /// The URL text kept, if any (for tests).
    var rememberedURL: String? { last.withLock { $0?.text } }

    private static func isCacheable(_ url: String) -> Bool {
        !url.utf8.contains(UInt8(ascii: "?")) && !url.utf8.contains(UInt8(ascii: "@"))
    }
}
