import AIDJCore
import Foundation
import GRDB

/// The analysed tracks of the library, loaded once per command: every track whose feature vector has the
/// layout this code reads (`FeatureLayout/version`), by path, with an index by id.
public struct LibrarySnapshot: Sendable {
    public var tracks: [AnalysedTrack]
    /// Track id → index in ``tracks``.
    public var index: [Int64: Int]

    public init(tracks: [AnalysedTrack]) {
        self.tracks = tracks
        index = Dictionary(uniqueKeysWithValues: tracks.enumerated().map { ($1.id, $0) })
    }

    /// Loads every analysed track of the current `FeatureLayout` from `store`.
    public init(store: LibraryStore) throws(StoreError) {
        self.init(tracks: try store.analysedTracks(vectorVersion: FeatureLayout.version))
    }

    public subscript(id: Int64) -> AnalysedTrack? { index[id].map { tracks[$0] } }
}

extension LibraryStore {
    /// Every analysed track whose feature vector has layout `vectorVersion`, by path.
    public func analysedTracks(vectorVersion: Int) throws(StoreError) -> [AnalysedTrack] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, t.path, t.title, t.artist, t.genre, t.duration_s, f.*
                    FROM tracks t JOIN features f ON f.track_id = t.id
                    WHERE t.status = 'analyzed' AND f.vector_version = ?
                    ORDER BY t.path
                    """,
                arguments: [vectorVersion])
            // Opening and closing tempo of the tracks whose tempo changes (more than one section).
            var ends: [Int64: (opening: Double, closing: Double)] = [:]
            let sections = try Row.fetchCursor(
                db,
                sql: """
                    SELECT track_id, bpm FROM tempo_sections
                    WHERE track_id IN (SELECT track_id FROM tempo_sections WHERE section_index > 0)
                    ORDER BY track_id, section_index
                    """)
            while let row = try sections.next() {
                let id: Int64 = row["track_id"], bpm: Double = row["bpm"]
                ends[id] = (ends[id]?.opening ?? bpm, bpm)
            }
            var tracks: [AnalysedTrack] = []
            while let row = try rows.next() {
                var track = AnalysedTrack(
                    id: row["id"], path: row["path"], title: row["title"], artist: row["artist"],
                    genre: row["genre"], durationS: row["duration_s"] ?? 0, features: try FeatureRecord(row: row))
                if let (opening, closing) = ends[track.id] {
                    track.openingBPM = opening
                    track.closingBPM = closing
                }
                tracks.append(track)
            }
            return tracks
        }
    }
}
