import AIDJCore
import AIDJLearning
import AIDJStore
import AIDJTaste
import Foundation

/// `aidj-bench taste`: the speed targets on generated rows, one thread —
/// training a genre model on 10k tracks × the full feature vector (one fit with `aidj train genre`'s defaults, and
/// the whole 5-fold run plus final fit), and scoring 100k tracks with a genre model and a taste model.
enum TasteBench {
    static func run(arguments: [String]) throws {
        BLAS.setThreads(1)
        var random = SplitMix64(scrambling: 7)
        let dimensions = 82, classes = 8
        let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in random.uniform(bound: 0.5) } }
        func row(_ k: Int) -> [Float] { centres[k].map { $0 + random.normal() } }
        let examples = (0..<10_000).map { i in (vector: row(i % classes), label: "genre \(i % classes)") }

        let trainer = GenreTrainer()
        let x = examples.map(\.vector), y = examples.map { Int($0.label.split(separator: " ")[1])! }
        var t0 = Date()
        _ = SoftmaxClassifier.fitStandardized(x, labels: y, classes: classes, hidden: 0, options: trainer.options)
        let oneFit = Date().timeIntervalSince(t0)
        t0 = Date()
        let (report, model) = try trainer.train(examples)
        let kFold = Date().timeIntervalSince(t0)
        print(
            String(
                format:
                    "genre model, 10,000 tracks × %d features, %d classes, %d epochs (train genre defaults), one thread:\n"
                    + "  one fit %.2f s; 5-fold report + final fit %.2f s (CV accuracy %.3f)",
                dimensions, classes, trainer.options.epochs, oneFit, kFold, report.accuracy))

        // Scoring 100k tracks.
        let count = 100_000
        var flat = [Float]()
        flat.reserveCapacity(count * dimensions)
        for i in 0..<count { flat += row(i % classes) }
        var best = Double.infinity
        for _ in 0..<5 {
            t0 = Date()
            _ = try model.probabilities(flat: flat, rows: count)
            best = min(best, Date().timeIntervalSince(t0))
        }
        print(String(format: "scoring %d tracks with the genre model: %.1f ms (best of 5)", count, best * 1000))

        // A taste model's scoring: features + one-hot genre + context per track, then P(liked).
        let tracks = (0..<count).map { i in
            AnalysedTrack(
                id: Int64(i), path: "/\(i)", title: nil, artist: nil, genre: "genre \(i % classes)", durationS: 200,
                bpm: 120, key: MusicalKey(tonic: 0, mode: .major), energy: 0.5, valence: 0.5, danceability: 0.5,
                loudnessLUFS: -14, vector: Array(flat[(i * dimensions)..<((i + 1) * dimensions)]))
        }
        let inputs = TasteInputs(genreVocabulary: model.labels, genreModel: nil)
        let width = dimensions + classes + TasteInputs.contextWidth
        let taste = TasteModel(
            listener: "bench", labels: [.disliked, .neutral, .liked],
            featureLayoutVersion: FeatureLayout.version,
            genreVocabulary: model.labels, genreModelName: nil,
            standardizer: Standardizer(
                mean: .init(repeating: 0, count: width), scale: .init(repeating: 1, count: width)),
            configuration: .init(inputs: width, classes: 3),
            parameters: (0..<((width + 1) * 3)).map { _ in random.uniform(bound: 0.1) })
        let snapshot = LibrarySnapshot(tracks: tracks)
        let date = Date()
        best = .infinity
        for _ in 0..<5 {
            t0 = Date()
            let rows = try inputs.rows(snapshot, at: date)
            _ = try taste.likeProbabilities(flat: rows, count: count)
            best = min(best, Date().timeIntervalSince(t0))
        }
        print(
            String(
                format: "scoring %d tracks with a taste model (inputs built from features, genre and context): %.1f ms",
                count, best * 1000))
    }
}
