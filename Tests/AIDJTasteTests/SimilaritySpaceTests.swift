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
                key: MusicalKey(tonic: 0, mode: .major), energy: 0.5, valence: 0.5, danceability: 0.5,
                loudnessLUFS: -14,
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
        // Distances read on the same scale: the median pair is as far apart in every space (within a few per
        // cent: the scale is fitted on a fixed sample of pairs, measured here on all of them).
        func medianDistance(_ metric: FeatureSpace.Metric) throws -> Double {
            let space = try FeatureSpace(snapshot, metric: metric, genreModel: model)
            let n = tracks.count
            var all: [Double] = []
            for a in 0..<n { for b in (a + 1)..<n { all.append(space.distance(a, b)) } }
            #expect(space.distance(5, 5) == 0)
            return all.sorted()[all.count / 2]
        }
        let featureMedian = try medianDistance(.features)
        for metric in [FeatureSpace.Metric.genre, .blend] {
            let m = try medianDistance(metric)
            #expect(abs(m / featureMedian - 1) < 0.1, "\(metric) median \(m) against features \(featureMedian)")
        }
    }
}
