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
    /// The beat grids of some tracks, each in beat order.
    public func beats(trackIDs: [Int64]) throws(StoreError) -> [Int64: [BeatRecord]] {
        try read { db in
            var result: [Int64: [BeatRecord]] = [:]
            for id in trackIDs {
                result[id] = try BeatRecord.filter(Column("track_id") == id).order(Column("beat_index")).fetchAll(db)
            }
            return result
        }
    }
}
