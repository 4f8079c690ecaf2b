import AIDJCore
import AIDJLearning
import AIDJStore
import Foundation

/// A softmax classifier kept in the store's ``ModelRepository``: the header is the classifier without its weights
/// (layout version, standardization, configuration, vocabulary), the weights go in the blob. Genre and taste
/// models share how they are stored, checked and refused.
protocol StoredClassifier: Codable, Sendable {
    static var kind: ModelKind { get }
    var featureLayoutVersion: Int { get }
    var standardizer: Standardizer { get }
    var configuration: SoftmaxClassifier.Configuration { get }
    var parameters: [Float] { get set }
    var classCount: Int { get }
}

extension StoredClassifier {
    /// The model a stored row holds, checked against this aidj.
    ///
    /// - Parameter retrain: the command that makes a new one.
    /// - Throws: ``ModelError`` for another feature layout (`.incompatible`) or weights that do not fit
    ///   (`.damaged`).
    static func checked<Metrics>(_ stored: StoredModel<Self, Metrics>, retrain: String) throws(ModelError) -> Self {
        var model = stored.header
        guard model.featureLayoutVersion == FeatureLayout.version else {
            throw ModelError(
                .incompatible, kind: kind, name: stored.name,
                detail: "was trained on feature layout v\(model.featureLayoutVersion), this aidj reads "
                    + "v\(FeatureLayout.version): retrain it with `\(retrain)`")
        }
        model.parameters = stored.weights
        guard model.configuration.parameterCount == model.parameters.count,
            model.configuration.classes == model.classCount,
            model.standardizer.mean.count == model.configuration.inputs
        else {
            throw ModelError(
                .damaged, kind: kind, name: stored.name,
                detail: "is damaged: its weights do not match its configuration")
        }
        return model
    }

    /// Stores the model under `name` with `metrics`, replacing one of the same name.
    ///
    /// - Returns: its row id.
    @discardableResult
    func save<Metrics: Encodable>(name: String, metrics: Metrics, in store: LibraryStore) throws -> Int64 {
        var header = self
        header.parameters = []
        return try ModelRepository(store).save(
            Self.kind, name: name, header: header, metrics: metrics, weights: parameters)
    }

    /// The classifier that takes raw (unstandardized) inputs.
    func classifier() throws -> SoftmaxClassifier {
        try SoftmaxClassifier(configuration: configuration, parameters: parameters).folding(standardizer)
    }
}
