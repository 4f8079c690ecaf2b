import AIDJAnalysis
import AIDJAssess
import AIDJAudio
import AIDJComposer
import AIDJCore
import AIDJIngest
import AIDJLearning
import AIDJMixer
import AIDJStore
import AIDJSynth
import AIDJTaste
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
        let summary = try IngestCommand.ingest([folder], store: store, jobs: jobs, force: false)
        print(IngestCommand.describe(summary))
        print("")
        print(TracksCommand.table(try store.trackSummaries(order: .bpm)))
        let tool = CommandLine.arguments[0].contains("/") ? CommandLine.arguments[0] : "aidj"
        try taste(store: store, tool: tool)
        try mix(store: store, tool: tool)
        if let melody = try compose(store: store, tool: tool) { try teach(melody: melody, tool: tool) }
        print("\nDatabase: \(db)")
        print("Try:  \(tool) show --db \(db) \"Neon Avenue\"")
        print("      \(tool) tracks --db \(db) --sort energy --json")
    }

    /// Two listeners with generated feedback (once), a genre model on the demo styles with its cross-validated
    /// report, their taste models, and a recommendation list for each.
    func taste(store: LibraryStore, tool: String) throws {
        print("\nTaste: a genre model on the demo styles (labels = folders), 3-fold cross-validation …")
        var trainer = GenreTrainer()
        trainer.folds = 3
        let (report, model) = try trainer.train(try GenreTrainer.examples(store: store, labels: .folders))
        let modelID = try model.save(as: "genre", report: report, in: store)
        print(
            String(
                format: "  %d tracks, %d styles: accuracy %.2f, macro-F1 %.2f, log-loss %.2f", report.tracks,
                report.labels.count, report.accuracy, report.macroF1, report.logLoss))
        try model.classifyAll(modelID: modelID, in: store)
        let snapshot = try LibrarySnapshot(store: store)
        for listener in DemoListener.all {
            let id: Int64
            if let existing = try store.listenerID(named: listener.name) {
                id = existing
            } else {
                id = try store.addListener(listener.name)
                _ = try store.importEvents(listener.events(snapshot: snapshot), listenerID: id, source: "demo")
            }
            var taste = TasteTrainer()
            taste.options.l2 = 1e-2
            let events = try store.events(listenerID: id)
            if case .trained(let model, let report) = try taste.train(
                listener: listener.name, events: events, snapshot: snapshot, genreModel: ("genre", model))
            {
                try model.save(report: report, in: store)
                print(
                    "  \(listener.name) (\(listener.summary)): \(report.events) generated events; taste model"
                        + (report.likedAUC.map { String(format: ", %d-fold AUC for liked %.2f", report.folds ?? 0, $0) }
                            ?? " (too few tracks per class to cross-validate)"))
            }
            let space = FeatureSpace(snapshot)
            let scorer = try TasteScorer(
                listener: listener.name, listenerID: id, store: store, space: space, at: Date())
            var recommender = Recommender()
            recommender.mood = try MoodSpace.region(named: listener.mood)
            recommender.limit = 3
            recommender.recentDays = 0
            for (n, pick) in recommender.recommend(scorer: scorer, space: space, at: Date()).enumerated() {
                print(
                    "    \(n + 1). \(TrackTitle.display(artist: pick.artist, title: pick.title, path: pick.path))  "
                        + "(\(pick.reasons.prefix(2).joined(separator: "; ")))")
            }
        }
        print("  Try: \(tool) recommend --db \(db) alice --mood party --json")
    }

    /// A short party mix for alice, rendered with its cue sheet, playlist, tracklist and plot.
    func mix(store: LibraryStore, tool: String) throws {
        let folder =
            (db as NSString).deletingLastPathComponent.isEmpty ? "." : (db as NSString).deletingLastPathComponent
        let out = folder + "/party-mix.flac"
        print("\nMixer: 3 minutes of party for alice, warm-up to peak to cool-down …")
        var request = MixRequest(mood: try MoodSpace.region(named: "party"), minutes: 3)
        request.arc = .warmupPeakCooldown
        if let id = try store.listenerID(named: "alice") {
            request.listener = try ListenerTaste(
                listener: "alice", id: id, snapshot: try LibrarySnapshot(store: store), store: store)
        }
        let (plan, result) = try MixOutput.render(
            MixRenderer(plan: try MixPlanner(request: request).plan(store: store)), to: out, format: .flac24,
            title: "aidj demo: party", plot: (out as NSString).deletingPathExtension + ".svg",
            listenerID: request.listener?.id, store: store)
        print(MixCommand.describe(plan).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        print(
            String(
                format: "  wrote %@ (%.1f LUFS, %.1f dBTP) with .cue, .m3u8, .json and .svg beside it", out,
                result.loudnessLUFS ?? -70, result.truePeakDBTP ?? -70))
        print("  Try: \(tool) mix --db \(db) --mood chill --minutes 4 --out chill.flac --plot chill.svg")
    }

    /// Trains a small melody model on the shipped corpus (once; kept in the demo database) and writes a new
    /// melody as MIDI, WAV and ABC next to the database. Returns the MIDI file's path.
    func compose(store: LibraryStore, tool: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: corpus) else {
            print("\n(no melody corpus at \(corpus): skipping the composer demo)")
            return nil
        }
        let name = "demo-melodies"
        print("\nComposer: a small LSTM (1 × 128) learns melodies from \(corpus) …")
        let models = ModelRepository(store)
        if try !models.contains(.melody, name: name) {
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
            try models.saveMelodyModel(
                model, name: name,
                report: MelodyTrainingReport(
                    reports: reports, trainMelodies: train.count, validMelodies: valid.count,
                    seconds: Date().timeIntervalSince(started)))
        } else {
            print("  (model '\(name)' already trained in \(db))")
        }
        let model = try models.melodyModel(name)
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
        return base + ".mid"
    }

    /// A student's take of the composed melody, synthesized with mistakes (8 % slower, tuned 15 cents flat, one
    /// note a semitone sharp, one left out, one 90 ms late), then assessed against the melody's MIDI file.
    func teach(melody path: String, tool: String) throws {
        print("\nTeacher: a synthesized take of that melody, 8 % slower, 15 cents flat, with three mistakes …")
        let midi = try MIDIFile(contentsOf: path)
        let notes = midi.notes.sorted { $0.startTick < $1.startTick }
        guard notes.count >= 12 else {
            print("  (the melody has only \(notes.count) notes: skipping the teacher demo)")
            return
        }
        let rate = 44_100.0
        let slower = 1 / 0.92
        var samples = [Float](
            repeating: 0, count: Int((midi.seconds(atTick: notes.last!.endTick) * slower + 1.5) * rate))
        for (k, note) in notes.enumerated() where k != 9 {
            let start = 0.5 + midi.seconds(atTick: note.startTick) * slower + (k == 12 ? 0.09 : 0)
            let length = (midi.seconds(atTick: note.endTick) - midi.seconds(atTick: note.startTick)) * slower * 0.85
            Voice.tone(
                into: &samples, at: Int(start * rate), sampleRate: rate,
                midi: Double(note.pitch + (k == 5 ? 1 : 0)) - 0.15, duration: length - (k == 12 ? 0.09 : 0), gain: 0.3,
                release: 0.03)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let take = folder + "/take.wav"
        try AudioFileWriter.write(AudioBuffer(mono: samples, sampleRate: Int(rate)), to: take, format: .wav16)
        let reference = try ReferenceScore(midi: midi, path: path)
        let assessment = try Assessor().assess(takePath: take, reference: reference, takeName: take)
        try Data(AssessmentPlot.svg(assessment).utf8).write(
            to: URL(fileURLWithPath: folder + "/take.svg"), options: .atomic)
        let report = AssessmentReport.text(assessment).split(separator: "\n", omittingEmptySubsequences: false)
        for line in report.prefix { !$0.hasPrefix("what the figures mean") } { print("  " + line) }
        print("  wrote \(take) and \(folder)/take.svg (piano roll)")
        print("  Try: \(tool) assess \(take) --reference \(path) --json")
    }
}

/// A demo listener: generated events whose like/skip odds follow the listener's taste in styles, at their usual
/// hours, over the last weeks. Only some tracks are heard, so recommendations have new ones to offer.
struct DemoListener {
    var name: String
    var summary: String
    var mood: String
    /// Probability of liking a track of each genre tag.
    var preference: [String: Double]
    var hours: ClosedRange<Int>
    var seed: UInt64

    static let all = [
        DemoListener(
            name: "alice", summary: "likes house and breakbeat in the evening", mood: "party",
            preference: ["House": 0.95, "Breakbeat": 0.85, "Dubstep": 0.15, "Reggae": 0.1, "Ballad": 0.05],
            hours: 18...23,
            seed: 11),
        DemoListener(
            name: "bob", summary: "likes reggae and ballads in the morning", mood: "chill",
            preference: ["House": 0.15, "Breakbeat": 0.1, "Dubstep": 0.05, "Reggae": 0.95, "Ballad": 0.85],
            hours: 7...11,
            seed: 12),
    ]

    func events(snapshot: LibrarySnapshot) -> [ImportedEvent] {
        var random = SplitMix64(seed: seed)
        func uniform() -> Double { Double(random.next() >> 11) * 0x1.0p-53 }
        // Every fifth track stays unheard.
        let heard = snapshot.tracks.sorted { $0.path < $1.path }.enumerated().filter { $0.offset % 5 != 4 }.map(
            \.element)
        let formatter = ISO8601DateFormatter()
        let today = Calendar.current.startOfDay(for: Date())
        return (0..<60).map { _ in
            let track = heard[Int(random.next() % UInt64(heard.count))]
            let p = preference[track.genre ?? ""] ?? 0.5
            let r = uniform()
            let kind: ListenerEventKind = r < p * 0.4 ? .like : r < p ? .play : r < p + (1 - p) * 0.7 ? .skip : .dislike
            let day = 15 + Int(random.next() % 45)
            let hour = hours.lowerBound + Int(random.next() % UInt64(hours.count))
            let date = today.addingTimeInterval(Double(-day * 86_400 + hour * 3_600 + Int(random.next() % 3_600)))
            return ImportedEvent(
                trackID: track.id, kind: kind, occurredAt: formatter.string(from: date), artist: track.artist,
                title: track.title)
        }
    }
}
