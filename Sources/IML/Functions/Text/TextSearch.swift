/// Substring search by code units.
enum TextSearch {
    /// Whether `needle` occurs in `haystack` (the empty needle always does).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        firstOffset(of: Array(needle.utf8), in: Array(haystack.utf8), from: 0) != nil
    }

    /// The first offset of `needle` in `haystack` at or after `start`.
    static func firstOffset<Unit: Equatable>(of needle: [Unit], in haystack: [Unit], from start: Int) -> Int? {
        guard start <= haystack.count else { return nil }
        guard let first = needle.first else { return start }
        guard needle.count <= haystack.count - start else { return nil }
        var position = start
        let last = haystack.count - needle.count
        while position <= last {
            if haystack[position] == first {
                var matched = 1
                while matched < needle.count && haystack[position + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return position }
            }
            position += 1
        }
        return nil
    }

    /// JavaScript `indexOf` on UTF-16 code units; `start` is truncated, NaN and negatives count as 0.
    static func indexOf(_ text: String, _ search: String, from start: Double) -> Int {
        let units = Array(text.utf16)
        var from = 0
        if start.isFinite || start == .infinity {
            from = Int(max(0, min(Double(units.count), start.rounded(.towardZero))))
        }
        return firstOffset(of: Array(search.utf16), in: units, from: from) ?? -1
    }

    /// The pieces of `text` between occurrences of `separator`; an empty separator splits into scalars.
    static func split(_ text: String, _ separator: String) -> [String] {
        if separator.isEmpty { return text.unicodeScalars.map { String($0) } }
        let bytes = Array(text.utf8)
        let needle = Array(separator.utf8)
        var pieces: [String] = []
        var start = 0
        while let found = firstOffset(of: needle, in: bytes, from: start) {
            pieces.append(String(decoding: bytes[start..<found], as: UTF8.self))
            start = found + needle.count
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self))
        return pieces
    }

    /// Every occurrence of `search` replaced by `replacement` (both non-overlapping, left to right).
    static func replaceAll(in text: String, _ search: String, with replacement: (Int) -> String) -> String {
        let bytes = Array(text.utf8)
        let needle = Array(search.utf8)
        var result = ""
        var start = 0
        if needle.isEmpty {
            // JavaScript replaceAll with "" inserts between every UTF-16 unit; scalars are the safe equivalent.
            var index = 0
            for scalar in text.unicodeScalars {
                result += replacement(index)
                result.unicodeScalars.append(scalar)
                index += 1
            }
            result += replacement(index)
            return result
        }
        while let found = firstOffset(of: needle, in: bytes, from: start) {
            result += String(decoding: bytes[start..<found], as: UTF8.self)
            result += replacement(found)
            start = found + needle.count
        }
        result += String(decoding: bytes[start...], as: UTF8.self)
        return result
    }
}
