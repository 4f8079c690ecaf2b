import AIDJLearning
import AIDJStore
import Foundation

/// A model that cannot be used: missing, damaged, or trained on another feature layout.
public struct ModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A trained genre model: label vocabulary, the standardization it was trained with, and the classifier weights.
/// Stored as one `models` row of kind ``kind``: this header as JSON (weights left out) plus the weights blob.
public struct GenreModel: Codable, Sendable, StoredClassifier {
    public static let kind = "genre-softmax"

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
        guard let record = try store.model(kind: kind, name: name) else {
            throw ModelError("no genre model '\(name)' in \(store.path): train one with `aidj train genre`")
        }
        let model = try decode(record, title: "genre model '\(name)'", retrain: "aidj train genre")
        return (model, record.id!)
    }

    /// Saves the model with its report as metrics, replacing one of the same name.
    ///
    /// - Returns: its row id.
    @discardableResult
    public func save(as name: String, report: GenreReport, in store: LibraryStore) throws -> Int64 {
        try store.saveModel(try record(kind: Self.kind, name: name, metrics: report))
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
