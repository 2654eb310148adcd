/// `parseNumber(text, [decimalSeparator])`: reads a number out of formatted text.
enum NumberParsing {
    /// Keeps ASCII digits, a `-` before the first digit and the decimal separator (read as `.`), then reads the
    /// longest number at the start; `nil` when there is none.
    static func parse(_ text: String, decimalSeparator: String) -> Double? {
        let source = Array(text.utf8)
        let separator = Array(decimalSeparator.utf8)
        var kept: [UInt8] = []
        var sawDigit = false
        var index = 0
        while index < source.count {
            if !separator.isEmpty, source[index...].starts(with: separator) {
                kept.append(UInt8(ascii: "."))
                index += separator.count
                continue
            }
            let byte = source[index]
            if byte &- UInt8(ascii: "0") < 10 {
                kept.append(byte)
                sawDigit = true
            } else if byte == UInt8(ascii: "-") && !sawDigit && !kept.contains(UInt8(ascii: "-")) {
                kept.append(byte)
            }
            index += 1
        }
        // Longest prefix of the form -?digits*(.digits*)? with at least one digit.
        var end = 0
        if end < kept.count && kept[end] == UInt8(ascii: "-") { end += 1 }
        var digits = 0
        while end < kept.count && kept[end] &- UInt8(ascii: "0") < 10 {
            end += 1
            digits += 1
        }
        if end < kept.count && kept[end] == UInt8(ascii: ".") {
            var fractionEnd = end + 1
            while fractionEnd < kept.count && kept[fractionEnd] &- UInt8(ascii: "0") < 10 {
                fractionEnd += 1
                digits += 1
            }
            if fractionEnd > end + 1 { end = fractionEnd }
        }
        guard digits > 0 else { return nil }
        let number = kept[0..<end].withUnsafeBufferPointer { DecimalText.double($0) }
        return number.isNaN ? nil : number
    }
}
