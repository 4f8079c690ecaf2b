import AIDJCore
import AIDJLearning
import AIDJStore
import AIDJTaste
import Foundation

/// `aidj-bench similar`: how well each `similar` space finds tracks of the same genre, on generated feature rows
/// (6 genres × 300 tracks × 82 features) where only some features tell genres apart. The genre model is trained
/// on half the tracks; the queries are the other half. Precision at 10: the share of a query's 10 nearest tracks
/// in its own genre.
enum SimilarBench {
    static func run(arguments: [String]) throws {
        for informative in [82, 20, 8] {
            var random = SplitMix64(scrambling: 5)
            let classes = 6, perClass = 300, dimensions = 82
            let centres = (0..<classes).map { _ in
                (0..<dimensions).map { j in j < informative ? random.uniform(bound: 0.6) : 0 }
            }
            var tracks: [AnalysedTrack] = []
            var labels: [Int: String] = [:]
            for n in 0..<(classes * perClass) {
                let k = n % classes
                labels[n] = "genre \(k)"
                tracks.append(
                    AnalysedTrack(
                        id: Int64(n + 1), path: "/\(n)", title: nil, artist: nil, genre: nil, durationS: 200, bpm: 120,
                        key: MusicalKey(tonic: 0, mode: .major), energy: 0.5, valence: 0.5, danceability: 0.5,
                        loudnessLUFS: -14, vector: centres[k].map { $0 + random.normal() }))
            }
            let snapshot = LibrarySnapshot(tracks: tracks)
            var trainer = GenreTrainer()
            trainer.folds = 3
            let training = tracks.indices.filter { ($0 / classes) % 2 == 0 }.map {
                (vector: tracks[$0].vector, label: labels[$0]!)
            }
            let (_, model) = try trainer.train(training)
            let queries = Array(tracks.indices.filter { ($0 / classes) % 2 == 1 }.prefix(300))
            let figures = try FeatureSpace.Metric.allCases.map { metric in
                let space = try FeatureSpace(snapshot, metric: metric, genreModel: model)
                return String(
                    format: "%@ %.3f", metric.rawValue,
                    SimilarTracks.precision(at: 10, space: space, labels: labels, queries: queries))
            }
            print(
                "genre differs in \(informative) of 82 features: precision at 10, held-out queries: "
                    + figures.joined(separator: ", "))
        }
    }
}
