import AIDJLearning
import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct TrainTaste: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taste", abstract: "Train a listener's taste model from their feedback.",
        discussion: """
            Targets come from the listener's events: like and ratings 4–5 are liked; dislike, skip and ratings \
            1–2 are disliked; rating 3 and plays are neutral, except plays of a track played 3+ times, which count \
            as liked. Inputs are the track's features, its genre (tag, else the genre model's prediction) and the \
            listening context (hour of day, weekend). With too little feedback no model is trained and \
            recommendations use similarity to liked tracks instead.
            """)

    @Argument(help: "Listener name.") var listener: String
    @Option(name: .customLong("genre-model"), help: "Genre model for untagged tracks (if it exists).")
    var genreModel = "genre"
    @Option(help: "Hidden ReLU units (0: softmax regression).") var hidden = 0
    @Option(help: "Training epochs.") var epochs = 200
    @Option(help: "L2 penalty on the weights.") var l2: Float = 1e-2
    @Option(help: "Cross-validation folds (over tracks).") var folds = 5
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard hidden >= 0, epochs >= 1, folds >= 2 else {
            throw ValidationError("--epochs ≥ 1, --folds ≥ 2, --hidden ≥ 0")
        }
    }

    func run() throws {
        let library = try store.open()
        let listener = try library.listener(named: self.listener)
        let snapshot = try LibrarySnapshot(store: library)
        let genre: (name: String, model: GenreModel)? =
            try !ModelRepository(library).contains(.genre, name: genreModel)
            ? nil : (genreModel, try GenreModel.load(genreModel, from: library).model)
        var trainer = TasteTrainer()
        trainer.hidden = hidden
        trainer.folds = folds
        trainer.options.epochs = epochs
        trainer.options.l2 = l2
        trainer.options.seed = seed
        switch try trainer.train(
            listener: listener.name, events: try library.events(listenerID: listener.id), snapshot: snapshot,
            genreModel: genre)
        {
        case .tooLittleFeedback(let reason):
            if json {
                try Output.printJSON(NotTrained(reason: reason))
            } else {
                print("not trained: \(reason)")
                print("recommendations for \(listener.name) use similarity to the tracks they liked until then")
            }
        case .trained(let model, let report):
            try model.save(report: report, in: library)
            if json {
                try Output.printJSON(report)
                return
            }
            let counts = TasteLabel.allCases.compactMap { l in
                report.classCounts[l.rawValue].map { "\($0) \(l.rawValue)" }
            }
            print(
                "\(listener.name): \(report.events) events on \(report.tracks) tracks (\(counts.joined(separator: ", ")))"
            )
            if let folds = report.folds, let accuracy = report.accuracy, let logLoss = report.logLoss {
                print(
                    String(format: "%d-fold over tracks: accuracy %.3f, log-loss %.3f", folds, accuracy, logLoss)
                        + (report.likedAUC.map { String(format: ", AUC for liked %.3f", $0) } ?? ""))
            } else {
                print("no cross-validation: it needs 5 or more tracks in every class")
            }
            print(
                "genre inputs: "
                    + (report.genreVocabulary.isEmpty ? "none" : report.genreVocabulary.joined(separator: ", "))
                    + (report.genreModel.map { " (untagged tracks: genre model '\($0)')" } ?? " (tags only)"))
            print("saved taste model of '\(listener.name)' to \(library.path)")
        }
    }

    /// `--json` when the listener has too little feedback: `{"trained": false, "reason": "…"}`.
    struct NotTrained: Encodable {
        let trained = false
        let reason: String
    }
}
