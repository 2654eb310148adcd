/// Emoji detection for `replaceEmojiCharacters`.
enum Emoji {
    /// `text` with every emoji grapheme cluster replaced by `replacement`.
    static func replace(in text: String, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if isEmoji(character) {
                result += replacement
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A cluster is an emoji when it holds a scalar with Emoji_Presentation, U+FE0F, U+20E3, or a
    /// regional-indicator pair.
    static func isEmoji(_ character: Character) -> Bool {
        var regionalIndicators = 0
        for scalar in character.unicodeScalars {
            switch scalar.value {
            case 0xFE0F, 0x20E3: return true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            default: if scalar.properties.isEmojiPresentation { return true }
            }
        }
        return regionalIndicators >= 2
    }
}
