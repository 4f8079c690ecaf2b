import AIDJComposer
import AIDJLearning
import AIDJStore
import ArgumentParser
import Foundation

struct ComposeTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train (or continue training) a melody LSTM on MIDI files.",
        discussion: """
            Melodies are the top voice of each file, on a 16th-note grid. A tenth of the files (chosen by a hash of the \
            file name) is held out for validation unless --valid is given; training stops early when the validation \
            NLL has not improved for --patience epochs, and the best weights are stored under --model.
            """)

    @Argument(help: "MIDI files or folders.", completion: .directory)
    var paths: [String]

    @Option(help: "Model name (stored in the database).")
    var model: String

    @Option(help: "Validation MIDI folder (default: a deterministic 10 % of the training files).")
    var valid: String?

    @Option(help: "LSTM layers.") var layers = 1
    @Option(help: "LSTM units per layer.") var units = 256
    @Option(help: "Embedding size.") var embedding = 64
    @Option(help: "Truncated-BPTT length in steps.") var seq = 64
    @Option(help: "Mini-batch lanes.") var batch = 64
    @Option(help: "Adam learning rate.") var lr: Float = 1e-3
    @Option(help: "Epochs (at most).") var epochs = 20
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Dropout on LSTM outputs while training, 0 ≤ p < 1.") var dropout: Float = 0
    @Option(help: "Stop after this many epochs without a better validation NLL.") var patience = 3
    @Option(help: "Threads: mini-batch lanes are split between this many model replicas (OpenBLAS single-threaded).")
    var threads = 1

    @Option(help: "Take the melody from this track only (0-based; default: all tracks).") var track: Int?
    @Option(help: "Take the melody from this MIDI channel only (1–16; default: all but drums, channel 10).")
    var channel: Int?

    @Flag(help: "Continue training the stored model (its shape and seed are kept).")
    var resume = false

    @Flag(help: "Print one JSON object per epoch.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        for (name, value) in [
            ("--layers", layers), ("--units", units), ("--embedding", embedding), ("--seq", seq),
            ("--batch", batch), ("--epochs", epochs), ("--threads", threads), ("--patience", patience),
        ]
        where value < 1 {
            throw ValidationError("\(name) must be at least 1, got \(value)")
        }
        guard lr > 0 else { throw ValidationError("--lr must be positive, got \(lr)") }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") }
        if let channel, !(1...16).contains(channel) { throw ValidationError("--channel must be 1–16, got \(channel)") }
        if let track, track < 0 { throw ValidationError("--track must be 0 or more, got \(track)") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let library = try store.open()
        var options = MelodyTrainingOptions()
        var parameters: [Float]?
        if resume {
            let stored = try ModelRepository(library).melodyModel(model)
            options = stored.options
            parameters = stored.network.parameters
        } else {
            options.layers = layers
            options.units = units
            options.embedding = embedding
            options.seed = seed
            options.dropout = dropout
        }
        options.sequenceLength = seq
        options.batchSize = batch
        options.learningRate = lr
        options.epochs = epochs
        options.patience = patience

        let extractor = MelodyExtractor(track: track, channel: channel.map { $0 - 1 })
        let melodies = try loadMelodies(paths, quiet: json, extractor: extractor)
        var train: [Melody], held: [Melody]
        if let valid {
            train = melodies
            held = try loadMelodies([valid], quiet: json, extractor: extractor)
        } else {
            (train, held) = MelodyCorpus(melodies: melodies, skipped: []).split()
        }
        guard !train.isEmpty else { throw CLIError("no usable melodies in \(paths.joined(separator: ", "))") }
        if !json {
            print(
                "\(train.count) training melodies (\(train.reduce(0) { $0 + $1.tokens.count }) events), \(held.count) for validation"
            )
        }
        let network =
            try parameters.map { try MelodyModel(options: options, parameters: $0) } ?? MelodyModel(options: options)
        let started = Date()
        let bar = ProgressBar(label: "training", enabled: !json && Output.stderrIsTerminal)
        var currentEpoch = 0, epochStart = Date()
        let reports = try network.train(
            train, valid: held, workers: threads,
            stepProgress: { epoch, fraction in
                if epoch != currentEpoch {
                    currentEpoch = epoch
                    epochStart = Date()
                }
                bar.update(
                    fraction: fraction, elapsed: Date().timeIntervalSince(epochStart),
                    detail: "epoch \(epoch)/\(options.epochs)")
            }
        ) { report in
            bar.finish()
            if json {
                try? Output.printJSONLine(report)
            } else {
                print(
                    String(
                        format:
                            "epoch %2d/%d  train %.4f  valid %.4f nats/event (accuracy %.3f)  %.0f tokens/s  %.1f s",
                        report.epoch, options.epochs, report.trainNLL, report.validNLL, report.validAccuracy,
                        report.tokensPerSecond, report.seconds))
            }
        }
        try ModelRepository(library).saveMelodyModel(
            network, name: model,
            report: MelodyTrainingReport(
                reports: reports, trainMelodies: train.count, validMelodies: held.count,
                seconds: Date().timeIntervalSince(started)))
        if !json { print("saved model '\(model)' to \(library.path)") }
    }
}
