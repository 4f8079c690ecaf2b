import AIDJCore
import AIDJLearning
import AIDJStore
import Foundation

/// A softmax classifier kept in the `models` table: a JSON header (everything but the weights) plus the weights
/// blob. Genre and taste models share how they are stored, checked and refused.
protocol StoredClassifier: Codable {
    var featureLayoutVersion: Int { get }
    var standardizer: Standardizer { get }
    var configuration: SoftmaxClassifier.Configuration { get }
    var parameters: [Float] { get set }
    var classCount: Int { get }
}

extension StoredClassifier {
    /// Decodes and checks a stored model.
    ///
    /// - Parameters:
    ///   - title: how errors name it ("genre model 'genre'").
    ///   - retrain: the command that makes a new one.
    /// - Throws: ``ModelError`` for a damaged header, another feature layout, or weights that do not fit.
    static func decode(_ record: ModelRecord, title: String, retrain: String) throws -> Self {
        guard var model = try? JSONDecoder().decode(Self.self, from: Data(record.hyperparameters.utf8)) else {
            throw ModelError("\(title) is damaged: its header is not valid JSON")
        }
        guard model.featureLayoutVersion == FeatureLayout.version else {
            throw ModelError(
                "\(title) was trained on feature layout v\(model.featureLayoutVersion), this aidj reads "
                    + "v\(FeatureLayout.version): retrain it with `\(retrain)`")
        }
        model.parameters = record.weightValues
        guard model.configuration.parameterCount == model.parameters.count,
            model.configuration.classes == model.classCount,
            model.standardizer.mean.count == model.configuration.inputs
        else {
            throw ModelError("\(title) is damaged: its weights do not match its configuration")
        }
        return model
    }

    /// The row that stores this model, with `metrics` as its metrics JSON.
    func record<Metrics: Encodable>(kind: String, name: String, metrics: Metrics) throws -> ModelRecord {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var header = self
        header.parameters = []
        return ModelRecord(
            kind: kind, name: name, hyperparameters: String(decoding: try encoder.encode(header), as: UTF8.self),
            metrics: String(decoding: try encoder.encode(metrics), as: UTF8.self), weights: parameters)
    }

    /// The classifier that takes raw (unstandardized) inputs.
    func classifier() throws -> SoftmaxClassifier {
        try SoftmaxClassifier(configuration: configuration, parameters: parameters).folding(standardizer)
    }
}
