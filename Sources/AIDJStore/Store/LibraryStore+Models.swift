import GRDB

extension LibraryStore {
    /// Replaces every stored prediction of a model with `predictions` (track id → probability per label), in one
    /// transaction: a failure leaves the previous predictions in place.
    public func replaceGenrePredictions(modelID: Int64, labels: [String], predictions: [(Int64, [Float])])
        throws(StoreError)
    {
        try write { db in
            try db.execute(sql: "DELETE FROM genre_predictions WHERE model_id = ?", arguments: [modelID])
            let statement = try db.makeStatement(
                sql: "INSERT INTO genre_predictions (track_id, model_id, label, probability) VALUES (?, ?, ?, ?)")
            for (trackID, probabilities) in predictions {
                for (label, p) in zip(labels, probabilities) {
                    try statement.execute(arguments: [trackID, modelID, label, Double(p)])
                }
            }
        }
    }

    /// The stored predictions for one track: genre-model name → label → probability.
    public func genrePredictions(trackID: Int64) throws(StoreError) -> [String: [String: Double]] {
        try read { db in
            var result: [String: [String: Double]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.name, p.label, p.probability FROM genre_predictions p JOIN models m ON m.id = p.model_id
                    WHERE p.track_id = ?
                    """, arguments: [trackID])
            {
                result[row[0], default: [:]][row[1]] = row[2]
            }
            return result
        }
    }

    /// The stored predictions of a model: track id → label → probability.
    public func genrePredictions(modelID: Int64) throws(StoreError) -> [Int64: [String: Double]] {
        try read { db in
            var result: [Int64: [String: Double]] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT track_id, label, probability FROM genre_predictions WHERE model_id = ?",
                arguments: [modelID])
            while let row = try rows.next() {
                result[row["track_id"], default: [:]][row["label"]] = row["probability"]
            }
            return result
        }
    }
}

extension LibraryStore {
    /// The structure sections of each of `trackIDs`, in order (empty for a track analysed before they were stored).
    public func sections(trackIDs: [Int64]) throws(StoreError) -> [Int64: [TrackSectionRecord]] {
        try read { db in
            var result: [Int64: [TrackSectionRecord]] = [:]
            let statement = try db.makeStatement(
                sql: "SELECT * FROM track_sections WHERE track_id = ? ORDER BY section_index")
            for id in trackIDs { result[id] = try TrackSectionRecord.fetchAll(statement, arguments: [id]) }
            return result
        }
    }

    /// The beat grids of some tracks, each in beat order. Read row by row (not through Codable), since a mix plan
    /// reads hundreds of grids.
    public func beats(trackIDs: [Int64]) throws(StoreError) -> [Int64: [BeatRecord]] {
        try read { db in
            var result: [Int64: [BeatRecord]] = [:]
            let statement = try db.makeStatement(
                sql: """
                    SELECT track_id, beat_index, time_s, bar_position, phrase_start FROM beats
                    WHERE track_id = ? ORDER BY beat_index
                    """)
            for id in trackIDs {
                var beats: [BeatRecord] = []
                let rows = try Row.fetchCursor(statement, arguments: [id])
                while let row = try rows.next() {
                    beats.append(
                        BeatRecord(
                            trackId: row[0], beatIndex: row[1], timeS: row[2], barPosition: row[3],
                            phraseStart: row[4]))
                }
                result[id] = beats
            }
            return result
        }
    }
}
