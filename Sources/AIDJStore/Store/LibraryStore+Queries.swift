import Foundation
import GRDB

/// A track with its features and tempo alternates (nil and empty unless analysed).
public struct TrackSummary: Sendable {
    public var track: TrackRecord
    public var features: FeatureRecord?
    public var tempoAlternates: [TempoAlternateRecord]
}

/// A track in full: summary plus tempo sections, structure sections and beat grid.
public struct TrackDetail: Sendable {
    public var track: TrackRecord
    public var features: FeatureRecord?
    public var tempoAlternates: [TempoAlternateRecord]
    public var tempoSections: [TempoSectionRecord]
    public var sections: [TrackSectionRecord]
    public var beats: [BeatRecord]
}

/// Orders for `tracks` listings.
public enum TrackOrder: String, CaseIterable, Sendable {
    case path, bpm, key, energy, valence, danceability, loudness, duration, added, title, artist

    var sql: String {
        switch self {
        case .path: "t.path"
        case .bpm: "f.bpm IS NULL, f.bpm, t.path"
        case .key: "f.key_mode IS NULL, f.key_mode, f.key_tonic, t.path"
        case .energy: "f.energy IS NULL, f.energy, t.path"
        case .valence: "f.valence IS NULL, f.valence, t.path"
        case .danceability: "f.danceability IS NULL, f.danceability, t.path"
        case .loudness: "f.loudness_lufs IS NULL, f.loudness_lufs, t.path"
        case .duration: "t.duration_s IS NULL, t.duration_s, t.path"
        case .added: "t.added_at, t.path"
        case .title: "t.title IS NULL, t.title COLLATE NOCASE, t.path"
        case .artist: "t.artist IS NULL, t.artist COLLATE NOCASE, t.title COLLATE NOCASE, t.path"
        }
    }
}

extension LibraryStore {
    /// Tracks with their features, in `order`, optionally only those with `status`.
    public func trackSummaries(order: TrackOrder = .path, descending: Bool = false, status: TrackRecord.Status? = nil)
        throws(StoreError) -> [TrackSummary]
    {
        try read { db in
            var sql = "SELECT t.*, f.* FROM tracks t LEFT JOIN features f ON f.track_id = t.id"
            var arguments: StatementArguments = []
            if let status {
                sql += " WHERE t.status = ?"
                arguments = [status.rawValue]
            }
            let terms = order.sql.split(separator: ",").map { term -> String in
                let t = term.trimmingCharacters(in: .whitespaces)
                return descending && !t.hasSuffix("IS NULL") ? t + " DESC" : t
            }
            sql += " ORDER BY " + terms.joined(separator: ", ")
            let trackColumns = try db.columns(in: "tracks").count
            let adapter = ScopeAdapter([
                "track": RangeRowAdapter(0..<trackColumns),
                "features": SuffixRowAdapter(fromIndex: trackColumns),
            ])
            var alternates: [Int64: [TempoAlternateRecord]] = [:]
            let alternateRows = try Row.fetchCursor(db, sql: "SELECT * FROM tempo_alternates ORDER BY track_id, rank")
            while let row = try alternateRows.next() {
                let record = try TempoAlternateRecord(row: row)
                alternates[record.trackId, default: []].append(record)
            }
            return try Row.fetchAll(db, sql: sql, arguments: arguments, adapter: adapter).map { row in
                var features: FeatureRecord?
                if let scope = row.scopes["features"], scope["track_id"] != nil {
                    features = try FeatureRecord(row: scope)
                }
                let track = try TrackRecord(row: row.scopes["track"]!)
                return TrackSummary(
                    track: track, features: features, tempoAlternates: track.id.flatMap { alternates[$0] } ?? [])
            }
        }
    }

    /// The track with this id, in full.
    public func trackDetail(id: Int64) throws(StoreError) -> TrackDetail? {
        try read { db in
            guard let track = try TrackRecord.fetchOne(db, key: id) else { return nil }
            let features = try Row.fetchOne(db, sql: "SELECT * FROM features WHERE track_id = ?", arguments: [id])
                .map(FeatureRecord.init(row:))
            let alternates = try Row.fetchAll(
                db, sql: "SELECT * FROM tempo_alternates WHERE track_id = ? ORDER BY rank", arguments: [id]
            ).map(TempoAlternateRecord.init(row:))
            let sections = try TempoSectionRecord.fetchAll(
                db, sql: "SELECT * FROM tempo_sections WHERE track_id = ? ORDER BY section_index", arguments: [id])
            let structure = try TrackSectionRecord.fetchAll(
                db, sql: "SELECT * FROM track_sections WHERE track_id = ? ORDER BY section_index", arguments: [id])
            let beats = try BeatRecord.fetchAll(
                db, sql: "SELECT * FROM beats WHERE track_id = ? ORDER BY beat_index", arguments: [id])
            return TrackDetail(
                track: track, features: features, tempoAlternates: alternates, tempoSections: sections,
                sections: structure, beats: beats)
        }
    }

    /// Finds a track by id, by exact path, by the end of its path ("Artist/Song.flac"), or by a piece of its file
    /// name ("Neon Avenue" finds "01 - Neon Avenue.flac"), in that order.
    ///
    /// - Returns: the matching ids of the first rule that matches (empty: none; more than one: ambiguous).
    public func findTracks(matching reference: String, absolutePath: String?) throws(StoreError) -> [Int64] {
        try read { db in
            if let id = Int64(reference), try TrackRecord.exists(db, key: id) { return [id] }
            for candidate in [absolutePath, reference].compactMap({ $0 }) {
                if let id = try Int64.fetchOne(db, sql: "SELECT id FROM tracks WHERE path = ?", arguments: [candidate])
                {
                    return [id]
                }
            }
            let suffix = reference.hasPrefix("/") ? reference : "/" + reference
            let bySuffix = try Int64.fetchAll(
                db, sql: "SELECT id FROM tracks WHERE substr(path, -length(?)) = ? ORDER BY path LIMIT 20",
                arguments: [suffix, suffix])
            if !bySuffix.isEmpty { return bySuffix }
            guard !reference.contains("/"), !reference.isEmpty else { return [] }
            let needle = reference.lowercased()
            return try Row.fetchAll(db, sql: "SELECT id, path FROM tracks ORDER BY path").compactMap { row -> Int64? in
                let path: String = row["path"]
                let name = path.split(separator: "/").last.map { String($0).lowercased() } ?? ""
                return name.contains(needle) ? row["id"] : nil
            }
        }
    }

    /// Failures recorded by the most recent run.
    public func lastRunFailures() throws(StoreError) -> [(path: String, reason: String)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT path, reason FROM ingest_failures
                    WHERE run_id = (SELECT max(id) FROM ingest_runs) ORDER BY path
                    """
            ).map { ($0["path"], $0["reason"]) }
        }
    }
}
