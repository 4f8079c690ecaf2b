import AIDJLearning
import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train classifiers on the library's features.",
        subcommands: [TrainGenre.self, TrainTaste.self])
}

struct TrainGenre: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genre", abstract: "Train the genre classifier, with a stratified k-fold report.",
        discussion: """
            Labels come from genre tags (tags), the folder of each file (folders), or a CSV file with the header \
            path,genre. Labels with fewer than --min-count tracks are reported and left out. The report comes from \
            k-fold cross-validation; the stored model is then trained on every labelled track.
            """)

    @Option(help: "tags, folders, or a CSV file (path,genre).") var labels = "tags"
    @Option(help: "Cross-validation folds.") var folds = 5
    @Option(name: .customLong("min-count"), help: "Leave out labels with fewer tracks.") var minCount = 3
    @Option(help: "Hidden ReLU units (0: softmax regression).") var hidden = 0
    @Option(help: "Training epochs.") var epochs = 200
    @Option(help: "L2 penalty on the weights.") var l2: Float = 1e-3
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Model name.") var name = "genre"
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds)") }
        guard minCount >= 1, hidden >= 0, epochs >= 1 else {
            throw ValidationError("--min-count, --epochs ≥ 1 and --hidden ≥ 0")
        }
    }

    func run() throws {
        let library = try store.open()
        let source: GenreLabelSource
        switch labels {
        case "tags": source = .tags
        case "folders": source = .folders
        default:
            guard FileManager.default.fileExists(atPath: labels) else {
                throw CLIError("--labels '\(labels)' is not tags, folders or an existing CSV file")
            }
            source = .csv(labels)
        }
        var trainer = GenreTrainer()
        trainer.folds = folds
        trainer.minimumCount = minCount
        trainer.hidden = hidden
        trainer.options.epochs = epochs
        trainer.options.l2 = l2
        trainer.options.seed = seed
        let examples = try GenreTrainer.examples(store: library, labels: source)
        guard !examples.isEmpty else { throw CLIError("no analysed track has a label from \(labels)") }
        let (report, model) = try trainer.train(examples)
        try model.save(as: name, report: report, in: library)
        if json {
            try Output.printJSON(report)
            return
        }
        print(
            String(
                format: "%d tracks, %d labels, %d-fold: accuracy %.3f, macro-F1 %.3f, log-loss %.3f (%.1f s)",
                report.tracks,
                report.labels.count, folds, report.accuracy, report.macroF1, report.logLoss, report.seconds))
        if !report.rareLabels.isEmpty {
            print(
                "left out (fewer than \(minCount) tracks): "
                    + report.rareLabels.sorted { $0.key < $1.key }
                    .map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        }
        var table = Table(headers: ["TRUE \\ PREDICTED"] + report.labels, rightAligned: Set(1...report.labels.count))
        for truth in report.labels {
            table.rows.append([truth] + report.labels.map { "\(report.confusion[truth]?[$0] ?? 0)" })
        }
        print(table.render())
        print("saved model '\(name)' to \(library.path)")
    }
}
