internal import CCurl

/// One libcurl URL handle (`CURLU`): URLs are parsed by libcurl's own parser, so the URL policy judges exactly
/// the scheme, host and port libcurl will connect to.
final class CurlURL {
    private let handle: OpaquePointer

    /// A handle holding no URL yet; `nil` only when libcurl cannot allocate.
    init?() {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_url() else { return nil }
        self.handle = handle
    }

    deinit { curl_url_cleanup(handle) }

    /// Parses `url` (absolute, or relative to the URL already held); returns whether libcurl accepted it.
    ///
    /// Schemes libcurl does not support still parse, so the policy can name them. With `encode`, spaces and
    /// non-ASCII characters are percent-encoded as libcurl does for a redirect's `Location`.
    func set(_ url: String, encode: Bool = false) -> Bool {
        let flags = cv_curlu_non_support_scheme() | (encode ? cv_curlu_urlencode() : 0)
        return curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK
    }

    /// Removes a part (user, password…) from the URL.
    func clear(_ part: CURLUPart) {
        _ = curl_url_set(handle, part, nil, 0)
    }

    /// A part of the URL as libcurl normalised it, or `nil` when the URL has none.
    func get(_ part: CURLUPart, defaultPort: Bool = false) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        let flags = defaultPort ? cv_curlu_default_port() : 0
        guard curl_url_get(handle, part, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}

@available(*, unavailable)
extension CurlURL: Sendable {}
