internal import CCurl
import Foundation
import Synchronization

/// The roots trusted by a request that brings its own `ca`: the system bundle followed by the extra PEM.
///
/// libcurl's `CURLOPT_CAINFO_BLOB` replaces the CA file instead of adding to it (the CA directory, when
/// libcurl has one, still applies). So the system bundle is read once and sent along with the extra
/// certificate, which keeps every public root trusted whatever directory setup the system has.
final class TrustBundle: Sendable {
    private let path: String?
    private let cached: Mutex<[UInt8]?> = Mutex(nil)

    /// Roots read from `path`, or from libcurl's built-in CA file when `nil`.
    init(path: String?) {
        self.path = path ?? Self.defaultPath()
    }

    /// The system roots followed by `pem`.
    func bytes(adding pem: String) -> [UInt8] {
        let system = cached.withLock { cached in
            if let cached { return cached }
            let loaded = path.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } ?? []
            cached = loaded
            return loaded
        }
        return system + [UInt8(ascii: "\n")] + Array(pem.utf8)
    }

    /// libcurl's compiled-in CA file (e.g. `/etc/ssl/certs/ca-certificates.crt` on Debian), if any.
    private static func defaultPath() -> String? {
        CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else { return nil }
        defer { curl_easy_cleanup(handle) }
        var value: UnsafeMutablePointer<CChar>?
        guard cv_curl_getinfo_string(handle, CURLINFO_CAINFO, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}
