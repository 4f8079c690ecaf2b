import AIDJLearning
import AIDJStore
import Foundation

/// The feature-vector layout this code reads (AIDJAnalysis `FeatureLayout.version`; AIDJTaste does not link the
/// analysis module, so the number is repeated here and checked by a test).
public enum FeatureLayoutVersion {
    public static let current = 1
}

/// A model that cannot be used: missing, damaged, or trained on another feature layout.
public struct ModelError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// The error for a model trained on a layout this code does not read.
    static func layout(kind: String, name: String, version: Int, retrain: String) -> ModelError {
        ModelError(
            "\(kind) model '\(name)' was trained on feature layout v\(version), this aidj reads "
                + "v\(FeatureLayoutVersion.current): retrain it with `\(retrain)`")
    }
}

/// A trained genre model: label vocabulary, the standardization it was trained with, and the classifier weights.
/// Stored as one `models` row of kind ``kind``: this header as JSON (weights left out) plus the weights blob.
public struct GenreModel: Codable, Sendable {
    public static let kind = "genre-softmax"

    public var labels: [String]
    public var featureLayoutVersion: Int
    public var standardizer: Standardizer
    public var configuration: SoftmaxClassifier.Configuration
    public var parameters: [Float]

    /// The stored model `name`.
    ///
    /// - Throws: ``ModelError`` when there is none, it is damaged, or it was trained on an older feature layout.
    public static func load(_ name: String, from store: LibraryStore) throws -> (model: GenreModel, id: Int64) {
        guard let record = try store.model(kind: kind, name: name) else {
            throw ModelError("no genre model '\(name)' in \(store.path): train one with `aidj train genre`")
        }
        guard var model = try? JSONDecoder().decode(GenreModel.self, from: Data(record.hyperparameters.utf8)) else {
            throw ModelError("genre model '\(name)' is damaged: its header is not valid JSON")
        }
        guard model.featureLayoutVersion == FeatureLayoutVersion.current else {
            throw ModelError.layout(
                kind: "genre", name: name, version: model.featureLayoutVersion, retrain: "aidj train genre")
        }
        model.parameters = record.weightValues
        guard model.configuration.parameterCount == model.parameters.count,
            model.configuration.classes == model.labels.count,
            model.standardizer.mean.count == model.configuration.inputs
        else {
            throw ModelError("genre model '\(name)' is damaged: its weights do not match its configuration")
        }
        return (model, record.id!)
    }

    /// Saves the model with its report as metrics, replacing one of the same name.
    public func save(as name: String, report: GenreReport, in store: LibraryStore) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var header = self
        header.parameters = []
        try store.saveModel(
            ModelRecord(
                kind: Self.kind, name: name,
                hyperparameters: String(decoding: try encoder.encode(header), as: UTF8.self),
                metrics: String(decoding: try encoder.encode(report), as: UTF8.self), weights: parameters))
    }

    /// Class probabilities (in ``labels`` order) for raw feature vectors, `rows` of them laid end to end.
    public func probabilities(flat vectors: [Float], rows: Int) throws -> [Float] {
        let classifier = try SoftmaxClassifier(configuration: configuration, parameters: parameters)
        return classifier.folding(standardizer).probabilities(flat: vectors, rows: rows)
    }

    /// Predicts and stores genre probabilities for every analysed track, replacing the model's earlier
    /// predictions in one transaction.
    ///
    /// - Returns: the tracks classified: id, path and probabilities.
    @discardableResult
    public static func classifyAll(modelName: String, in store: LibraryStore) throws -> [(
        id: Int64, path: String, probabilities: [Float]
    )] {
        let (model, modelID) = try load(modelName, from: store)
        let tracks = try LibrarySnapshot(store: store).tracks
        let p = try model.probabilities(flat: tracks.flatMap(\.vector), rows: tracks.count)
        let k = model.labels.count
        let result = tracks.enumerated().map { i, track in
            (id: track.id, path: track.path, probabilities: Array(p[(i * k)..<((i + 1) * k)]))
        }
        try store.replaceGenrePredictions(
            modelID: modelID, labels: model.labels, predictions: result.map { ($0.id, $0.probabilities) })
        return result
    }
}
