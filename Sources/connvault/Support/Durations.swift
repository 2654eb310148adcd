/// Durations like `90s`, `10m`, `24h`, `7d`, in seconds.
enum Durations {
    static func seconds(_ text: String) -> Double? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86_400
        default: return nil
        }
    }
}
