import AIDJCore
import AIDJLearning
import AIDJStore
import Foundation
import Testing

@testable import AIDJTaste

@Suite("Similarity spaces")
struct SimilaritySpaceTests {
    @Test(
        "the genre model's learned space finds same-genre neighbours for tracks it never saw better than raw features")
    func learnedSpaceHelps() throws {
        var random = SplitMix64(scrambling: 8)
        let classes = 3, dimensions = 24
        // Genres differ in 6 of 24 features; the rest is noise.
        let centres = (0..<classes).map { _ in (0..<dimensions).map { j in j < 6 ? random.uniform(bound: 1) : 0 } }
        var labels: [Int: String] = [:]
        let tracks = (0..<(classes * 80)).map { n in
            labels[n] = "g\(n % classes)"
            return AnalysedTrack(
                id: Int64(n + 1), path: "/\(n)", title: nil, artist: nil, genre: nil, durationS: 200, bpm: 120,
                key: MusicalKey(tonic: 0, mode: .major), energy: 0.5, valence: 0.5, danceability: 0.5, loudnessLUFS: -14,
                vector: centres[n % classes].map { $0 + random.normal() })
        }
        var trainer = GenreTrainer()
        trainer.folds = 3
        trainer.options.epochs = 100
        let (_, model) = try trainer.train(
            tracks.indices.filter { ($0 / classes) % 2 == 0 }.map { (tracks[$0].vector, labels[$0]!) })
        let queries = tracks.indices.filter { ($0 / classes) % 2 == 1 }
        let snapshot = LibrarySnapshot(tracks: tracks)
        func precision(_ metric: FeatureSpace.Metric) throws -> Double {
            SimilarTracks.precision(
                at: 10, space: try FeatureSpace(snapshot, metric: metric, genreModel: model), labels: labels,
                queries: queries)
        }
        let features = try precision(.features), genre = try precision(.genre), blend = try precision(.blend)
        // Chance is 1/3; `aidj-bench similar` shows the same on larger sets.
        #expect(
            genre > features + 0.03 && blend > features + 0.03, "features \(features), genre \(genre), blend \(blend)")
        // Distances read on the same scale: the median pair is as far apart in every space.
        let space = try FeatureSpace(snapshot, metric: .genre, genreModel: model)
        #expect(space.distance(0, 0) == 0 && space.distance(0, 1) > 0)
    }
}
