import AIDJStore
import AIDJTaste
import ArgumentParser
import Foundation

extension LibraryStore {
    /// The listener a command names (ignoring case).
    ///
    /// - Throws: `CLIError` when there is none.
    func listener(named name: String) throws -> ListenerSummary {
        guard let listener = try listeners().first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw CLIError.noListener(name, self)
        }
        return listener
    }
}

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
            try library.model(kind: GenreModel.kind, name: genreModel) == nil
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
                try Output.printJSON(["trained": "false", "reason": reason])
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
}

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Predict genre probabilities with a trained genre model and store them.")

    @Argument(help: "Tracks to show (id, path, or part of the file name); with --all, every analysed track.")
    var tracks: [String] = []
    @Flag(help: "Classify every analysed track and store the probabilities.") var all = false
    @Option(help: "Genre model name.") var model = "genre"
    @Option(help: "Probabilities shown per track.") var top = 3
    @Flag(help: "Print JSON (one object per track with every label's probability).") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard all || !tracks.isEmpty else { throw ValidationError("give tracks to classify, or --all") }
        guard !(all && !tracks.isEmpty) else { throw ValidationError("give tracks or --all, not both") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    struct Prediction: Encodable {
        var id: Int64
        var path: String
        var genre: String
        var probabilities: [String: Double]
    }

    func run() throws {
        let library = try store.open()
        let (genreModel, _) = try GenreModel.load(model, from: library)
        var results: [(id: Int64, path: String, probabilities: [Float])]
        if all {
            results = try GenreModel.classifyAll(modelName: model, in: library)
        } else {
            let snapshot = try LibrarySnapshot(store: library)
            results = try tracks.map { reference in
                let id = try library.resolveTrack(reference)
                guard let track = snapshot[id] else {
                    throw CLIError("track '\(reference)' has no analysis with the current feature layout")
                }
                return (id, track.path, try genreModel.probabilities(flat: track.vector, rows: 1))
            }
        }
        let predictions = results.map { r in
            Prediction(
                id: r.id, path: r.path,
                genre: genreModel.labels[r.probabilities.indices.max { r.probabilities[$0] < r.probabilities[$1] }!],
                probabilities: Dictionary(
                    uniqueKeysWithValues: zip(
                        genreModel.labels, r.probabilities.map { (Double($0) * 1e4).rounded() / 1e4 })))
        }
        if json {
            try Output.printJSON(predictions)
            return
        }
        var table = Table(headers: ["ID", "GENRE", "PROBABILITIES", "TRACK"], rightAligned: [0])
        for p in predictions {
            let best = p.probabilities.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(top)
            table.rows.append([
                "\(p.id)", p.genre, best.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", "),
                (p.path as NSString).lastPathComponent,
            ])
        }
        print(table.render())
        if all {
            var counts: [String: Int] = [:]
            for p in predictions { counts[p.genre, default: 0] += 1 }
            print(
                "stored predictions of '\(model)' for \(predictions.count) tracks: "
                    + counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", "))
        }
    }
}

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Tracks for a listener, ranked, with the reasons.",
        discussion: """
            Ranks by taste (the listener's model, else similarity to what they liked), fit to --mood, and novelty, \
            with the same artist's later tracks penalised. Tracks heard in the last --recent-days days and \
            disliked tracks are left out. `aidj moods` lists the moods.
            """)

    @Argument(help: "Listener name.") var listener: String
    @Option(help: "A named mood (aidj moods).") var mood: String?
    @Option(help: "How many tracks.") var limit = 20
    @Option(name: .customLong("recent-days"), help: "Leave out tracks heard this recently (days).")
    var recentDays = 14.0
    @Option(help: "Score as of this time (ISO 8601; default now): the listening context.") var at: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        guard recentDays >= 0 else { throw ValidationError("--recent-days must not be negative") }
        if let mood {
            do { _ = try MoodSpace.region(named: mood) } catch { throw ValidationError("\(error)") }
        }
        if let at, ISO8601DateFormatter().date(from: at) == nil {
            throw ValidationError("--at '\(at)' is not an ISO 8601 time like 2026-11-29T20:00:00Z")
        }
    }

    struct Result: Encodable {
        var listener: String
        var mood: String?
        var taste: String
        var tracks: [Recommendation]
    }

    func run() throws {
        let library = try store.open()
        let listener = try library.listener(named: self.listener)
        let date = at.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
        let space = FeatureSpace(try LibrarySnapshot(store: library))
        guard !space.snapshot.tracks.isEmpty else {
            throw CLIError("no analysed tracks in \(library.path): run aidj ingest first")
        }
        let scorer = try TasteScorer(
            listener: listener.name, listenerID: listener.id, store: library, space: space, at: date)
        var recommender = Recommender()
        recommender.mood = try mood.map { try MoodSpace.region(named: $0) }
        recommender.limit = limit
        recommender.recentDays = recentDays
        let picks = recommender.recommend(scorer: scorer, space: space, at: date)
        if json {
            try Output.printJSON(Result(listener: listener.name, mood: mood, taste: scorer.explanation, tracks: picks))
            return
        }
        print("\(listener.name)\(mood.map { ", \($0)" } ?? ""): \(scorer.explanation)")
        guard !picks.isEmpty else {
            print("nothing to recommend: every track was heard recently, disliked, or does not fit the mood")
            return
        }
        for (n, p) in picks.enumerated() {
            let name =
                p.title.map { t in p.artist.map { "\($0) – \(t)" } ?? t } ?? (p.path as NSString).lastPathComponent
            print(String(format: "%2d. %.3f  %@", n + 1, p.score, name))
            for reason in p.reasons { print("        \(reason)") }
        }
    }
}

struct MoodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moods", abstract: "The named moods: regions of energy × valence plus a tempo range.")
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        var name: String
        var energy: [Double]
        var valence: [Double]
        var bpm: [Double]
        var summary: String
    }

    func run() throws {
        let rows = MoodSpace.named.map {
            Row(
                name: $0.name, energy: [$0.energy.lowerBound, $0.energy.upperBound],
                valence: [$0.valence.lowerBound, $0.valence.upperBound], bpm: [$0.bpm.lowerBound, $0.bpm.upperBound],
                summary: $0.summary)
        }
        if json {
            try Output.printJSON(rows)
            return
        }
        var table = Table(headers: ["MOOD", "ENERGY", "VALENCE", "BPM", ""], rightAligned: [])
        for r in rows {
            table.rows.append([
                r.name, String(format: "%.2f–%.2f", r.energy[0], r.energy[1]),
                String(format: "%.2f–%.2f", r.valence[0], r.valence[1]),
                String(format: "%.0f–%.0f", r.bpm[0], r.bpm[1]),
                r.summary,
            ])
        }
        print(table.render())
    }
}
