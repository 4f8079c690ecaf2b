import AIDJCore
import GRDB

/// A rendered mix as stored.
public struct MixSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var path: String
    public var mood: String
    public var arc: String
    public var listener: String?
    public var durationS: Double
    public var tracks: Int
    public var loudnessLUFS: Double?
    public var truePeakDBTP: Double?
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, path, mood, arc, listener, durationS = "duration_s", tracks, loudnessLUFS = "loudness_lufs",
            truePeakDBTP = "true_peak_dbtp", createdAt = "created_at"
    }
}

extension LibraryStore {
    /// Records a rendered mix and its tracklist in one transaction.
    @discardableResult
    public func saveMix(
        path: String, mood: String, arc: String, listenerID: Int64?, durationS: Double, loudnessLUFS: Double?,
        truePeakDBTP: Double?, planJSON: String, tracks: [(trackID: Int64, mixStartS: Double)]
    ) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO mixes (path, mood, arc, listener_id, duration_s, loudness_lufs, true_peak_dbtp, plan,
                        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    path, mood, arc, listenerID, durationS, loudnessLUFS, truePeakDBTP, planJSON, Timestamp.now(),
                ])
            let id = db.lastInsertedRowID
            for (position, track) in tracks.enumerated() {
                try db.execute(
                    sql: "INSERT INTO mix_tracks (mix_id, position, track_id, mix_start_s) VALUES (?, ?, ?, ?)",
                    arguments: [id, position, track.trackID, track.mixStartS])
            }
            return id
        }
    }

    /// Stored mixes, newest first.
    public func mixes() throws(StoreError) -> [MixSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, l.name AS listener, (SELECT count(*) FROM mix_tracks t WHERE t.mix_id = m.id) AS n
                    FROM mixes m LEFT JOIN listeners l ON l.id = m.listener_id ORDER BY m.id DESC
                    """
            ).map { row in
                MixSummary(
                    id: row["id"], path: row["path"], mood: row["mood"], arc: row["arc"], listener: row["listener"],
                    durationS: row["duration_s"], tracks: row["n"], loudnessLUFS: row["loudness_lufs"],
                    truePeakDBTP: row["true_peak_dbtp"], createdAt: row["created_at"])
            }
        }
    }
}
