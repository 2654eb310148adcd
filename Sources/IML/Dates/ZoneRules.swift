internal import Foundation

/// The UTC offsets of an IANA time zone, and the conversion of local wall-clock time to instants.
struct ZoneRules: Sendable {
    private let zone: TimeZone?

    /// UTC.
    static let utc = ZoneRules(zone: nil)

    private init(zone: TimeZone?) {
        self.zone = zone
    }

    /// The rules of the zone named `identifier` (`Europe/Prague`, `UTC`), or `nil` when the name is unknown.
    init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" {
            self.zone = nil
            return
        }
        guard let zone = ZoneRules.cachedZone(identifier) else { return nil }
        self.zone = zone
    }

    private static let cache = ZoneCache()

    private static func cachedZone(_ identifier: String) -> TimeZone? {
        cache.zone(identifier)
    }

    /// The offset from UTC in seconds at `instant`.
    func offsetSeconds(at instant: Instant) -> Int {
        guard let zone else { return 0 }
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        return zone.secondsFromGMT(for: date)
    }

    /// The wall-clock fields of `instant` in this zone.
    func civilTime(_ instant: Instant) -> CivilTime {
        CivilTime(instant: instant, offsetSeconds: offsetSeconds(at: instant))
    }

    /// The instant of local wall-clock time `local` (milliseconds as if UTC). A time in a DST gap moves forward
    /// by the gap's length; an ambiguous time takes the earlier instant (iml.md §7.6).
    func instant(local: Int64) -> Instant {
        guard zone != nil else { return Instant(millisecondsSinceEpoch: local) }
        let day: Int64 = 86_400_000
        let before = Int64(offsetSeconds(at: Instant(millisecondsSinceEpoch: local &- day))) * 1000
        let after = Int64(offsetSeconds(at: Instant(millisecondsSinceEpoch: local &+ day))) * 1000
        let early = local &- before
        let late = local &- after
        let earlyValid = Int64(offsetSeconds(at: Instant(millisecondsSinceEpoch: early))) * 1000 == before
        let lateValid = Int64(offsetSeconds(at: Instant(millisecondsSinceEpoch: late))) * 1000 == after
        switch (earlyValid, lateValid) {
        case (true, true): return Instant(millisecondsSinceEpoch: min(early, late))
        case (true, false): return Instant(millisecondsSinceEpoch: early)
        case (false, true): return Instant(millisecondsSinceEpoch: late)
        case (false, false): return Instant(millisecondsSinceEpoch: early)  // in a gap: shifted by its length
        }
    }

    /// The instant of the wall-clock `fields` (rolled over when out of range).
    func instant(_ fields: CivilTime) -> Instant {
        instant(local: fields.millisecondsAsUTC)
    }
}

/// Resolved `TimeZone`s by name, shared between threads.
private final class ZoneCache: Sendable {
    private let zones = LockedDictionary()

    func zone(_ identifier: String) -> TimeZone? {
        if let cached = zones.get(identifier) { return cached }
        let resolved = TimeZone(identifier: identifier)
        zones.set(identifier, resolved)
        return resolved
    }
}
