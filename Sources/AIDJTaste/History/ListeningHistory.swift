import AIDJCore
import Foundation

/// One listen from an exported history, before matching to the library.
public struct HistoryRecord: Sendable, Equatable {
    public var artist: String?
    public var title: String?
    /// ISO 8601 UTC.
    public var occurredAt: String
    public var isSkip: Bool
}

/// Reads listening histories exported by ListenBrainz (JSON array or JSON lines), Spotify (extended streaming
/// history JSON) and Last.fm (CSV: artist, album, track, time). The format is recognized from the content.
public enum ListeningHistory {
    /// The listening-history exports aidj reads.
    public enum Format: String, Sendable {
        case listenBrainz = "ListenBrainz", spotify = "Spotify", lastFM = "Last.fm"
    }

    /// Spotify: a play shorter than this that ended by a skip counts as a skip.
    static let skipThresholdMilliseconds = 30_000

    /// Reads a history file, telling the format from its content.
    ///
    /// - Throws: ``TasteError`` (`.unreadableHistory`) naming the file and the first record that cannot be read.
    public static func read(_ path: String) throws(TasteError) -> (format: Format, records: [HistoryRecord]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TasteError(.unreadableHistory, file: path, reason: "cannot open the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw TasteError(.unreadableHistory, file: path, reason: "the file is empty") }
        if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
            let objects = try jsonObjects(trimmed, path: path)
            guard let first = objects.first else { return (.listenBrainz, []) }
            if first["ts"] != nil || first["master_metadata_track_name"] != nil {
                let timestamps = Timestamp.Parser()
                return (
                    .spotify,
                    try objects.enumerated().map { i, o throws(TasteError) in
                        try spotify(o, index: i, path: path, timestamps: timestamps)
                    }
                )
            }
            if first["track_metadata"] != nil || first["listened_at"] != nil {
                return (
                    .listenBrainz,
                    try objects.enumerated().map { i, o throws(TasteError) in try listenBrainz(o, index: i, path: path)
                    }
                )
            }
            throw TasteError(
                .unreadableHistory, file: path,
                reason: "JSON that is neither a ListenBrainz nor a Spotify export (record 1)")
        }
        return (.lastFM, try lastFM(text, path: path))
    }

    static func jsonObjects(_ text: String, path: String) throws(TasteError) -> [[String: Any]] {
        if text.hasPrefix("[") {
            guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
                throw TasteError(.unreadableHistory, file: path, reason: "malformed JSON")
            }
            return try array.enumerated().map { i, item throws(TasteError) in
                guard let object = item as? [String: Any] else {
                    throw TasteError(.unreadableHistory, file: path, reason: "record \(i + 1) is not an object")
                }
                return object
            }
        }
        // JSON lines.
        var objects: [[String: Any]] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TasteError(.unreadableHistory, file: path, reason: "line \(i + 1) is not a JSON object")
            }
            objects.append(object)
        }
        return objects
    }

    static func listenBrainz(_ o: [String: Any], index: Int, path: String) throws(TasteError) -> HistoryRecord {
        guard let seconds = (o["listened_at"] as? NSNumber)?.doubleValue else {
            throw TasteError(.unreadableHistory, file: path, reason: "record \(index + 1) has no listened_at time")
        }
        let metadata = o["track_metadata"] as? [String: Any]
        return HistoryRecord(
            artist: metadata?["artist_name"] as? String, title: metadata?["track_name"] as? String,
            occurredAt: Timestamp.string(from: Date(timeIntervalSince1970: seconds), milliseconds: false), isSkip: false
        )
    }

    static func spotify(_ o: [String: Any], index: Int, path: String, timestamps: Timestamp.Parser)
        throws(TasteError) -> HistoryRecord
    {
        guard let ts = o["ts"] as? String, let date = timestamps.date(ts) else {
            throw TasteError(.unreadableHistory, file: path, reason: "record \(index + 1) has no valid ts time")
        }
        let played = (o["ms_played"] as? NSNumber)?.intValue ?? 0
        let skipped = (o["skipped"] as? Bool) == true || (o["reason_end"] as? String) == "fwdbtn"
        return HistoryRecord(
            artist: o["master_metadata_album_artist_name"] as? String,
            title: o["master_metadata_track_name"] as? String,
            occurredAt: Timestamp.string(from: date, milliseconds: false),
            isSkip: skipped && played < skipThresholdMilliseconds)
    }

    /// Last.fm CSV rows: artist, album, track, time ("31 Jan 2021 12:34", UTC); an optional header row.
    static func lastFM(_ text: String, path: String) throws(TasteError) -> [HistoryRecord] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy HH:mm"
        var records: [HistoryRecord] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let row = line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if row.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = csvFields(row)
            if i == 0 && fields.first?.lowercased() == "artist" { continue }  // header
            guard fields.count == 4 else {
                throw TasteError(
                    .unreadableHistory, file: path,
                    reason: "line \(i + 1): expected 4 fields (artist, album, track, time), found \(fields.count)")
            }
            guard let date = formatter.date(from: fields[3]) else {
                throw TasteError(
                    .unreadableHistory, file: path, reason: "line \(i + 1): cannot read the time '\(fields[3])'")
            }
            records.append(
                HistoryRecord(
                    artist: fields[0], title: fields[2], occurredAt: Timestamp.string(from: date, milliseconds: false),
                    isSkip: false))
        }
        return records
    }

    /// Splits one CSV line (RFC 4180 quoting: "…" with "" for a quote).
    public static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            current.append("\"")
                        } else {
                            quoted = false
                            if next == "," { fields.append(current); current = "" } else { current.append(next) }
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
