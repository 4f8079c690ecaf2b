import AIDJComposer
import AIDJLearning
import AIDJStore

/// Melody models in the store's model repository (kind `.melody`): the training options as the header, the
/// training report as the metrics, the network's parameters as the weights. Here, where the composer and the
/// store meet, since neither depends on the other.
extension ModelRepository {
    typealias StoredMelodyModel = StoredModel<MelodyTrainingOptions, MelodyTrainingReport>

    func saveMelodyModel(_ model: MelodyModel, name: String, report: MelodyTrainingReport) throws {
        try save(.melody, name: name, header: model.options, metrics: report, weights: model.network.parameters)
    }

    /// - Throws: `ModelError` when there is none (with the command that trains one) or it is damaged.
    func melodyModel(_ name: String) throws -> MelodyModel {
        let stored = try require(
            .melody, name: name, header: MelodyTrainingOptions.self, metrics: MelodyTrainingReport.self,
            retrain: "aidj compose train DIR --model \(name)")
        return try MelodyModel(options: stored.header, parameters: stored.weights)
    }

    func melodyModels() throws -> [StoredMelodyModel] {
        try all(.melody, header: MelodyTrainingOptions.self, metrics: MelodyTrainingReport.self)
    }
}
