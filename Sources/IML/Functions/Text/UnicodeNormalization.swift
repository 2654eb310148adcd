internal import Foundation

/// Unicode normalization through Foundation (the standard library has no public API for it).
enum UnicodeNormalization {
    /// The canonical decomposition (NFD) of `text`.
    static func nfd(_ text: String) -> String {
        text.decomposedStringWithCanonicalMapping
    }
}
