import AIDJComposer
import AIDJLearning
import AIDJStore
import ArgumentParser
import Foundation

struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Train melody models on MIDI files, then generate, continue and score melodies.",
        subcommands: [
            ComposeTrain.self, ComposeScore.self, ComposeGenerate.self, ComposeContinue.self, ComposeModels.self,
        ])
}

/// Melody models in the database (kind "melody-lstm").
enum MelodyModelStore {
    static let kind = "melody-lstm"

    struct Metrics: Codable {
        var epochs: [EpochReport]
        var validNLL: Double?
        var validAccuracy: Double?
        var trainMelodies: Int
        var validMelodies: Int
        var trainingSeconds: Double

        /// From a training run: the validation figures are those of the best epoch (the stored weights).
        init(reports: [EpochReport], trainMelodies: Int, validMelodies: Int, seconds: Double) {
            let best = validMelodies > 0 ? reports.min { $0.validNLL < $1.validNLL } : nil
            epochs = reports
            validNLL = best?.validNLL
            validAccuracy = best?.validAccuracy
            self.trainMelodies = trainMelodies
            self.validMelodies = validMelodies
            trainingSeconds = seconds
        }

        enum CodingKeys: String, CodingKey {
            case epochs, validNLL = "valid_nll", validAccuracy = "valid_accuracy", trainMelodies = "train_melodies",
                validMelodies = "valid_melodies", trainingSeconds = "training_seconds"
        }
    }

    static func save(_ model: MelodyModel, name: String, metrics: Metrics, in store: LibraryStore) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let record = ModelRecord(
            kind: kind, name: name, hyperparameters: String(decoding: try encoder.encode(model.options), as: UTF8.self),
            metrics: String(decoding: try encoder.encode(metrics), as: UTF8.self), weights: model.network.parameters)
        try store.saveModel(record)
    }

    static func load(_ name: String, from store: LibraryStore) throws -> MelodyModel {
        guard let record = try store.model(kind: kind, name: name) else {
            throw CLIError(
                "no melody model named '\(name)' in \(store.path); train one with: aidj compose train DIR --model \(name)"
            )
        }
        let options = try JSONDecoder().decode(MelodyTrainingOptions.self, from: Data(record.hyperparameters.utf8))
        return try MelodyModel(options: options, parameters: record.weightValues)
    }

    static func metrics(of record: ModelRecord) -> Metrics? {
        try? JSONDecoder().decode(Metrics.self, from: Data(record.metrics.utf8))
    }
}

/// Reads melodies from MIDI files and folders, reporting the skipped files on standard error.
func loadMelodies(_ paths: [String], quiet: Bool, extractor: MelodyExtractor = MelodyExtractor()) throws -> [Melody] {
    let corpus = MelodyCorpus.load(paths, extractor: extractor)
    if !quiet {
        for skipped in corpus.skipped.prefix(20) { Output.error("skipped \(skipped.path): \(skipped.reason)") }
        if corpus.skipped.count > 20 { Output.error("… and \(corpus.skipped.count - 20) more skipped files") }
    }
    return corpus.melodies
}
