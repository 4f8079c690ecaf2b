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
    ///
    /// Read row by row by column position: the record types' Codable decoding (with snake-case key conversion)
    /// costs about 40 µs a row, most of a recommendation on a 10,000-track library.
    public func analysedTracks(vectorVersion: Int) throws(StoreError) -> [AnalysedTrack] {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT t.id, t.path, t.title, t.artist, t.genre, t.duration_s,
                        f.bpm, f.bpm_confidence, f.bpm_alternates, f.key_tonic, f.key_mode, f.key_confidence,
                        f.loudness_lufs, f.loudness_range_lu, f.true_peak_dbtp, f.replay_gain_db, f.energy, f.valence,
                        f.danceability, f.first_sound_s, f.intro_end_s, f.outro_start_s, f.last_sound_s, f.vector
                    FROM tracks t JOIN features f ON f.track_id = t.id
                    WHERE t.status = 'analyzed' AND f.vector_version = ?
                    ORDER BY t.path
                    """,
                arguments: [vectorVersion])
            var tracks: [AnalysedTrack] = []
            while let row = try rows.next() {
                let id: Int64 = row[0]
                var features = FeatureRecord(
                    trackId: id, bpm: row[6], bpmConfidence: row[7], bpmAlternates: row[8], keyTonic: row[9],
                    keyMode: row[10], keyConfidence: row[11], loudnessLufs: row[12], loudnessRangeLu: row[13],
                    truePeakDbtp: row[14], replayGainDb: row[15], energy: row[16], valence: row[17],
                    danceability: row[18], firstSoundS: row[19], introEndS: row[20], outroStartS: row[21],
                    lastSoundS: row[22], vectorVersion: vectorVersion, vector: [])
                features.vector = row[23]
                tracks.append(
                    AnalysedTrack(
                        id: id, path: row[1], title: row[2], artist: row[3], genre: row[4], durationS: row[5] ?? 0,
                        features: features))
            }
            return tracks
        }
    }
}
