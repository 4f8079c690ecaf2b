import Foundation
import GRDB

/// What taste and mixing read of an analysed track: identity, tags, the named feature columns and the vector.
public struct AnalysedTrack: Sendable {
    public var id: Int64
    public var path: String
    public var title: String?
    public var artist: String?
    public var genre: String?
    public var durationS: Double
    public var features: FeatureRecord
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
