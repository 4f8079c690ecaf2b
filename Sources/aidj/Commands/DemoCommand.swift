import AIDJAnalysis
import AIDJAudio
import AIDJComposer
import AIDJLibrary
import AIDJStore
import AIDJSynth
import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate the built-in demo library, ingest it into a demo database and show it.",
        discussion: "Re-running is incremental: existing demo files are kept and unchanged files are not re-analysed.")

    @Option(help: "Folder for the generated demo library.")
    var folder = "demo/library"

    @Option(help: "Demo database file.")
    var db = "demo/library.sqlite"

    @Option(name: .shortAndLong, help: "Parallel workers (default: one per core).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Melody corpus (MIDI) for the composer part of the demo.")
    var corpus = "fixtures/melodies"

    func run() throws {
        print("Writing the demo library to \(folder) …")
        let paths = try DemoLibrary.write(into: folder)
        print(
            "\(paths.count) files (\(DemoLibrary.entries.count) synthesized tracks and one file that is not audio).\n")
        let store = try LibraryStore(path: db)
        let summary = try IngestCommand.ingest([folder], store: store, jobs: jobs, force: false, quiet: false)
        print(IngestCommand.describe(summary))
        print("")
        print(TracksCommand.table(try store.trackSummaries(order: .bpm)))
        let tool = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "aidj"
        try compose(store: store, tool: tool)
        print("\nDatabase: \(db)")
        print("Try:  \(tool) show --db \(db) \"Neon Avenue\"")
        print("      \(tool) tracks --db \(db) --sort energy --json")
    }

    /// Trains a small melody model on the shipped corpus (once; kept in the demo database) and writes a new
    /// melody as MIDI, WAV and ABC next to the database.
    func compose(store: LibraryStore, tool: String) throws {
        guard FileManager.default.fileExists(atPath: corpus) else {
            print("\n(no melody corpus at \(corpus): skipping the composer demo)")
            return
        }
        let name = "demo-melodies"
        print("\nComposer: a small LSTM (1 × 128) learns melodies from \(corpus) …")
        if try store.model(kind: MelodyModelStore.kind, name: name) == nil {
            var options = MelodyTrainingOptions()
            options.units = 128
            options.epochs = 4
            let melodies = try loadMelodies([corpus], quiet: true)
            let (train, valid) = MelodyCorpus(melodies: melodies, skipped: []).split()
            let model = MelodyModel(options: options)
            let started = Date()
            let reports = try model.train(
                train, valid: valid,
                progress: { report in
                    print(
                        String(
                            format: "  epoch %d: valid %.3f nats/event, accuracy %.3f, %.0f tokens/s", report.epoch,
                            report.validNLL, report.validAccuracy, report.tokensPerSecond))
                })
            try MelodyModelStore.save(
                model, name: name,
                metrics: .init(
                    reports: reports, trainMelodies: train.count, validMelodies: valid.count,
                    seconds: Date().timeIntervalSince(started)),
                in: store)
        } else {
            print("  (model '\(name)' already trained in \(db))")
        }
        let model = try MelodyModelStore.load(name, from: store)
        var generator = MelodyGenerator()
        generator.seed = 7
        generator.temperature = 0.9
        generator.key = MusicalKey(parsing: "D minor")
        let melody = Melody(tokens: generator.generate(model: model, steps: 8 * Melody.stepsPerBar), source: "demo")
        let folder =
            (db as NSString).deletingLastPathComponent.isEmpty ? "." : (db as NSString).deletingLastPathComponent
        let base = folder + "/melody"
        try MelodyExport.midi(melody, bpm: 96).write(to: base + ".mid")
        try AudioFileWriter.write(MelodyExport.audio(melody, bpm: 96), to: base + ".wav", format: .wav16)
        try MelodyExport.abc(melody, title: "aidj demo melody", bpm: 96, key: generator.key)
            .write(toFile: base + ".abc", atomically: true, encoding: .utf8)
        print("  wrote \(base).mid, \(base).wav and \(base).abc: 8 bars in D minor, \(melody.noteCount) notes")
        print(
            "  Try: \(tool) compose generate --db \(db) --model \(name) --bars 16 --seed 3 --key \"A minor\" --out tune.mid --wav tune.wav"
        )
    }
}
