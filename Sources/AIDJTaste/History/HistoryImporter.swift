public import AIDJStore
import Foundation

/// What an import did.
public struct ImportSummary: Codable, Sendable, Equatable {
    public var format: String
    public var records: Int
    public var imported: Int
    public var duplicates: Int
    public var matched: Int
    public var unmatched: Int
    public var plays: Int
    public var skips: Int
    /// Why records did not match a library track, with counts.
    public var unmatchedReasons: [String: Int]

    enum CodingKeys: String, CodingKey {
        case format, records, imported, duplicates, matched, unmatched, plays, skips, unmatchedReasons =
            "unmatched_reasons"
    }
}

/// Imports a listening history file for a listener: reads it (format from content), matches each listen to a
/// library track, and stores the events in one transaction. Unmatched listens are kept with their artist and title.
public enum HistoryImporter {
    /// Imports the history at `path` for a listener; listens already imported are not added twice.
    ///
    /// - Returns: counts of what was read, matched and stored.
    public static func importHistory(path: String, listenerID: Int64, store: LibraryStore) throws -> ImportSummary {
        let (format, records) = try ListeningHistory.read(path)
        let matcher = TrackMatcher(tracks: try store.trackIdentities())
        var summary = ImportSummary(
            format: format.rawValue, records: records.count, imported: 0, duplicates: 0, matched: 0,
            unmatched: 0, plays: 0, skips: 0, unmatchedReasons: [:])
        let events = records.map { record -> ImportedEvent in
            var trackID: Int64?
            if let artist = record.artist, let title = record.title, !title.isEmpty {
                trackID = matcher.match(artist: artist, title: title)
                if trackID == nil { summary.unmatchedReasons["not in the library", default: 0] += 1 }
            } else {
                summary.unmatchedReasons["no artist or title (a podcast or local file?)", default: 0] += 1
            }
            if trackID != nil { summary.matched += 1 } else { summary.unmatched += 1 }
            if record.isSkip { summary.skips += 1 } else { summary.plays += 1 }
            return ImportedEvent(
                trackID: trackID, kind: record.isSkip ? .skip : .play, occurredAt: record.occurredAt,
                artist: record.artist, title: record.title)
        }
        let source = "import:" + format.rawValue
        let result = try store.importEvents(events, listenerID: listenerID, source: source)
        summary.imported = result.inserted
        summary.duplicates = result.duplicates
        return summary
    }
}
