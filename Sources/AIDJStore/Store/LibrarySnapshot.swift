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
            var tracks: [AnalysedTrack] = []
            while let row = try rows.next() {
                tracks.append(
                    AnalysedTrack(
                        id: row["id"], path: row["path"], title: row["title"], artist: row["artist"],
                        genre: row["genre"], durationS: row["duration_s"] ?? 0, features: try FeatureRecord(row: row)))
            }
            return tracks
        }
    }
}
