public import Foundation

/// The project's one way to write and read times: ISO 8601 in UTC, "2026-11-29T14:18:58.250Z", as SQLite's
/// `strftime('%Y-%m-%dT%H:%M:%fZ')` writes them.
///
/// Writing and reading the UTC form go through the civil-date arithmetic of Hinnant ("chrono-compatible low-level
/// date algorithms") rather than Foundation's ISO 8601 formatter, which goes through ICU at ~50 µs a call: a
/// 20,000-event history or a 50,000-record import feels that. Other ISO 8601 forms (offsets) are read through the
/// formatters of a ``Timestamp/Parser``, made once.
public enum Timestamp {
    /// The current time, with milliseconds.
    public static func now() -> String { string(from: Date()) }

    /// `date` in UTC: "YYYY-MM-DDTHH:MM:SS.mmmZ", or without the milliseconds when `milliseconds` is false.
    public static func string(from date: Date, milliseconds: Bool = true) -> String {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1_000).rounded(.down))
        let total = floorDivide(totalMilliseconds, 1_000)
        let days = floorDivide(total, 86_400)
        let seconds = total - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        let clock = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, seconds / 3_600, (seconds / 60) % 60,
            seconds % 60)
        guard milliseconds else { return clock + "Z" }
        return clock + String(format: ".%03dZ", totalMilliseconds - total * 1_000)
    }

    /// "YYYY-MM-DDTHH:MM:SS[.fff…]Z", else nil.
    public static func utc(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90 else {
            return nil
        }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
            let minute = number(14, 2), let second = number(17, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == 46, b.count > 21 else { return nil }
            var scale = 0.1
            for i in 20..<(b.count - 1) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                fraction += Double(b[i] - 48) * scale
                scale /= 10
            }
        }
        let days = daysSince1970(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Reads any ISO 8601 time: the UTC form directly, others (with an offset, with or without fractional
    /// seconds) through formatters made once per parser.
    public struct Parser {
        let fractional: ISO8601DateFormatter = {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter
        }()
        let whole = ISO8601DateFormatter()

        public init() {}

        /// The time `text` names, nil when it is not ISO 8601.
        public func date(_ text: String) -> Date? {
            Timestamp.utc(text) ?? fractional.date(from: text) ?? whole.date(from: text)
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date.
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : (a - b + 1) / b }
}
