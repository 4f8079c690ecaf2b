public import AIDJLearning
public import AIDJStore
import Foundation

/// A trained genre model: label vocabulary, the standardization it was trained with, and the classifier weights.
/// Stored in the ``ModelRepository`` as kind `.genre`: this header as JSON (weights left out) plus the weights.
public struct GenreModel: Codable, Sendable, StoredClassifier {
    public static let kind = ModelKind.genre

    public var labels: [String]
    public var featureLayoutVersion: Int
    public var standardizer: Standardizer
    public var configuration: SoftmaxClassifier.Configuration
    public var parameters: [Float]
    var classCount: Int { labels.count }

    /// The stored model `name`.
    ///
    /// - Throws: ``ModelError`` when there is none, it is damaged, or it was trained on an older feature layout.
    public static func load(_ name: String, from store: LibraryStore) throws -> (model: GenreModel, id: Int64) {
        let stored = try ModelRepository(store).require(
            kind, name: name, header: GenreModel.self, metrics: IgnoredMetrics.self, retrain: "aidj train genre")
        return (try checked(stored, retrain: "aidj train genre"), stored.id)
    }

    /// Saves the model with its report as metrics, replacing one of the same name.
    ///
    /// - Returns: its row id.
    @discardableResult
    public func save(as name: String, report: GenreReport, in store: LibraryStore) throws -> Int64 {
        try save(name: name, metrics: report, in: store)
    }

    /// Class probabilities (in ``labels`` order) for raw feature vectors, `rows` of them laid end to end.
    public func probabilities(flat vectors: [Float], rows: Int) throws -> [Float] {
        try classifier().probabilities(flat: vectors, rows: rows)
    }

    /// The model's logits for raw feature vectors, each row centred (softmax ignores a constant per row): the
    /// genre-discriminating projection `similar` measures distances in.
    public func embedding(flat vectors: [Float], rows: Int) throws -> [Float] {
        var z = try classifier().logits(flat: vectors, rows: rows)
        let k = labels.count
        for r in 0..<rows {
            var mean: Float = 0
            for j in 0..<k { mean += z[r * k + j] }
            mean /= Float(max(k, 1))
            for j in 0..<k { z[r * k + j] -= mean }
        }
        return z
    }

    /// Predicts and stores genre probabilities for every analysed track with this model (stored under `modelID`),
    /// replacing its earlier predictions in one transaction.
    ///
    /// - Returns: the tracks classified: id, path and probabilities.
    @discardableResult
    public func classifyAll(modelID: Int64, in store: LibraryStore) throws -> [(
        id: Int64, path: String, probabilities: [Float]
    )] {
        let tracks = try LibrarySnapshot(store: store).tracks
        let p = try probabilities(flat: tracks.flatMap(\.vector), rows: tracks.count)
        let k = labels.count
        let result = tracks.enumerated().map { i, track in
            (id: track.id, path: track.path, probabilities: Array(p[(i * k)..<((i + 1) * k)]))
        }
        try store.replaceGenrePredictions(
            modelID: modelID, labels: labels, predictions: result.map { ($0.id, $0.probabilities) })
        return result
    }
}
