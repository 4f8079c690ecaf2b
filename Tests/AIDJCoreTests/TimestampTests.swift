import AIDJCore
import Foundation
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test("UTC times are written as the formatter writes them, across leap days and before 1970")
    func isoTimes() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0.0, 951_868_799, 951_868_800, 1_795_962_338.75, -86_401, 4_107_542_400] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(
                Timestamp.string(from: date, milliseconds: false)
                    == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
        }
    }

    @Test("UTC timestamps parse directly and agree with Foundation's ISO 8601 formatter")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        for text in ["1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-11-29T14:18:58Z", "1999-12-31T12:00:00Z"] {
            #expect(Timestamp.utc(text) == formatter.date(from: text), "\(text)")
        }
        let fractional = Timestamp.utc("2026-11-29T14:18:58.250Z")
        #expect(
            fractional?.timeIntervalSince1970
                == (formatter.date(from: "2026-11-29T14:18:58Z")!.timeIntervalSince1970 + 0.25))
        #expect(Timestamp.utc("2026-11-29 14:18:58") == nil)
        #expect(
            Timestamp.Parser().date("2026-11-29T15:18:58+01:00")
                == formatter.date(from: "2026-11-29T14:18:58Z"))
    }

    @Test("milliseconds are written truncated, and read back")
    func milliseconds() {
        let date = Date(timeIntervalSince1970: 1_795_962_338.25)
        #expect(Timestamp.string(from: date) == "2026-11-29T14:25:38.250Z")
        #expect(Timestamp.utc(Timestamp.string(from: date)) == date)
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }
}
