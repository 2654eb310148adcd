import Foundation
import Testing
@testable import connvault

@Suite("Timestamps")
struct TimestampsTests {
    @Test(arguments: [0.0, 951_782_400, 1_480_940_586.9, -1, 4_102_444_800, 1_798_797_600])
    func matchesFoundationsFormatter(_ seconds: Double) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let date = Date(timeIntervalSince1970: seconds)
        #expect(Timestamps.iso8601(date) == formatter.string(from: date))
    }

    @Test func earlyYearsArePaddedToFourDigits() {
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: -61_851_600_000)) == "0010-01-01T00:00:00Z")
    }
}
