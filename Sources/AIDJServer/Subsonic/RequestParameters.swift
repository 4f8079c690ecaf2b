import Foundation

/// The parameters of one API call: the query string, plus an `application/x-www-form-urlencoded` body
/// (OpenSubsonic's formPost extension). Names may repeat (`id=1&id=2`); the typed readers name the parameter
/// and its value in their errors.
struct RequestParameters: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(query: String?, form: String? = nil) {
        for source in [query, form] {
            guard let source, !source.isEmpty else { continue }
            for part in source.split(separator: "&", omittingEmptySubsequences: true) {
                let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.decode(kv[0])
                let value = kv.count > 1 ? Self.decode(kv[1]) : ""
                pairs.append((name, value))
            }
        }
    }

    /// Percent-decoding with `+` as a space, as forms and most clients encode. A part with a malformed escape,
    /// or whose escapes do not decode to UTF-8, is kept as it came (with its `+` as spaces).
    static func decode(_ part: Substring) -> String {
        let bytes = part.utf8
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(part)
        }
        var spaced: [UInt8] = []
        spaced.reserveCapacity(bytes.count)
        for byte in bytes { spaced.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(spaced.count)
        var i = 0
        while i < spaced.count {
            if spaced[i] == UInt8(ascii: "%") {
                guard i + 2 < spaced.count, let high = hexValue(spaced[i + 1]), let low = hexValue(spaced[i + 2])
                else { return String(decoding: spaced, as: UTF8.self) }
                decoded.append(high << 4 | low)
                i += 3
            } else {
                decoded.append(spaced[i])
                i += 1
            }
        }
        return String(validating: decoded, as: UTF8.self) ?? String(decoding: spaced, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    func required(_ name: String) throws(SubsonicError) -> String {
        guard let value = self[name], !value.isEmpty else { throw .missing(name) }
        return value
    }

    func int(_ name: String) throws(SubsonicError) -> Int? {
        guard let text = self[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw .invalid(name, text, expected: "an integer") }
        return value
    }

    /// An integer with a default, clamped to `range` (clients ask for `size=100000`; the server caps it).
    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(SubsonicError) -> Int {
        let value = try int(name) ?? fallback
        guard value >= range.lowerBound else {
            throw .invalid(name, String(value), expected: "at least \(range.lowerBound)")
        }
        return min(value, range.upperBound)
    }

    func bool(_ name: String) throws(SubsonicError) -> Bool? {
        guard let text = self[name]?.lowercased(), !text.isEmpty else { return nil }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .invalid(name, text, expected: "true or false")
        }
    }

    var format: SubsonicFormat {
        switch self["f"]?.lowercased() {
        case "json": .json
        default: .xml
        }
    }
}
