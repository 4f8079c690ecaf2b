import AIDJCore
import AIDJLearning
import AIDJStore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJTaste

@Suite("Taste models, moods and model storage")
struct TasteModelTests {
    let folder = TemporaryDirectory("aidj-taste")

    /// `count` tracks with 12-value feature vectors drawn from a seeded generator; energy is feature 0 mapped to
    /// [0, 1], genres alternate between "A" and "B".
    func snapshot(count: Int, seed: UInt64) -> LibrarySnapshot {
        var random = SplitMix64(scrambling: seed)
        return LibrarySnapshot(
            tracks: (0..<count).map { i in
                let vector = (0..<12).map { _ in random.uniform(bound: 1) }
                return AnalysedTrack(
                    id: Int64(i + 1), path: "/m/\(i).flac", title: "T\(i)", artist: "Artist \(i % 7)",
                    genre: i % 2 == 0 ? "A" : "B", durationS: 200, bpm: 100 + Double(i % 40),
                    key: MusicalKey(tonic: i % 12, mode: .minor), energy: Double(vector[0] + 1) / 2, valence: 0.5,
                    danceability: 0.5,
                    loudnessLUFS: -14, vector: vector)
            })
    }

    /// A listener who likes energetic tracks (energy > 0.5) and skips the others, one or two events per track,
    /// on the first `heard` tracks.
    func events(for snapshot: LibrarySnapshot, heard: Int) -> [ListenerEvent] {
        var events: [ListenerEvent] = []
        for (n, track) in snapshot.tracks.prefix(heard).enumerated() {
            let kind: ListenerEventKind = track.energy > 0.5 ? .like : .skip
            for k in 0..<(1 + n % 2) {
                let time = String(format: "2026-10-%02dT%02d:00:00Z", 1 + n % 28, 8 + k * 6)
                events.append(
                    ListenerEvent(
                        kind: kind, rating: nil, occurredAt: time, trackID: track.id, path: track.path, source: "test"))
            }
        }
        return events
    }

    @Test("a listener who likes energetic tracks: cross-validated AUC high, unseen energetic tracks score higher")
    func learnsTaste() throws {
        let library = snapshot(count: 400, seed: 3)
        var trainer = TasteTrainer()
        trainer.options.epochs = 100
        guard
            case .trained(let model, let report) = try trainer.train(
                listener: "alice", events: events(for: library, heard: 200), snapshot: library, genreModel: nil)
        else {
            Issue.record("expected a trained model")
            return
        }
        #expect(report.tracks == 200)
        #expect(report.events == 300)
        #expect(report.folds == 5)
        #expect(try #require(report.likedAUC) > 0.95, "\(report)")
        #expect(model.labels == [.disliked, .liked])
        #expect(model.genreVocabulary == ["A", "B"])
        // Score the 200 unheard tracks.
        let unseen = Array(library.tracks.suffix(200))
        let inputs = TasteInputs(genreVocabulary: model.genreVocabulary, genreModel: nil)
        let genres = try inputs.genreRows(LibrarySnapshot(tracks: unseen))
        let date = Date(timeIntervalSince1970: 1_790_000_000)
        let rows = unseen.enumerated().flatMap { inputs.row($1, genre: genres[$0], at: date) }
        let p = try model.likeProbabilities(flat: rows, count: unseen.count)
        let auc = try #require(ClassificationMetrics.auc(scores: p, positives: unseen.map { $0.energy > 0.5 }))
        #expect(auc > 0.95, "held-out AUC \(auc)")
    }

    @Test("too little feedback is declined with the counts; labels follow the documented rules")
    func littleFeedbackAndLabels() throws {
        let library = snapshot(count: 20, seed: 4)
        let outcome = try TasteTrainer().train(
            listener: "bob", events: events(for: library, heard: 6), snapshot: library, genreModel: nil)
        guard case .tooLittleFeedback(let reason) = outcome else {
            Issue.record("expected too little feedback")
            return
        }
        #expect(reason.contains("bob has 9 events"), "\(reason)")
        func event(_ kind: ListenerEventKind, _ track: Int64, rating: Int? = nil) -> ListenerEvent {
            ListenerEvent(
                kind: kind, rating: rating, occurredAt: "2026-10-01T10:00:00Z", trackID: track, path: nil,
                source: "t")
        }
        let labels = FeedbackLabels(
            events: [
                event(.play, 1), event(.play, 1), event(.play, 1), event(.play, 2), event(.rating, 3, rating: 5),
                event(.rating, 4, rating: 3), event(.rating, 5, rating: 1), event(.skip, 6), event(.play, 999),
            ], snapshot: library)
        #expect(
            labels.events.map(\.label) == [.liked, .liked, .liked, .neutral, .liked, .neutral, .disliked, .disliked])
        #expect(labels.unmatched == 1)
        #expect(labels.likedTracks.map { library.tracks[$0].id } == [1, 3])
        #expect(labels.dislikedTracks.map { library.tracks[$0].id } == [5, 6])
    }

    @Test("mood regions: 1 inside, falling off outside; names unique; unknown names listed in the error")
    func moods() throws {
        let chill = try MoodSpace.region(named: "Chill")
        #expect(chill.fit(energy: 0.3, valence: 0.7, bpm: 90) == 1)
        let near = chill.fit(energy: 0.6, valence: 0.7, bpm: 90)  // 0.1 outside: one σ
        #expect(abs(near - exp(-0.5)) < 1e-9)
        #expect(chill.fit(energy: 0.3, valence: 0.7, bpm: 140) < 0.01)
        #expect(Set(MoodSpace.named.map(\.name)).count == MoodSpace.named.count)
        for mood in MoodSpace.named {
            #expect(mood.energy.lowerBound >= 0 && mood.energy.upperBound <= 1 && mood.bpm.lowerBound > 0)
        }
        #expect(throws: MoodSpace.UnknownMood.self) { try MoodSpace.region(named: "melancholic") }
        #expect("\(MoodSpace.UnknownMood(name: "x"))".contains("chill, focus"))
        let custom = MoodRegion.custom(energy: 0.8, valence: nil, bpm: 120...128)
        #expect(custom.energy == 0.68...0.92 && custom.valence == 0...1)
        #expect(custom.fit(energy: 0.8, valence: 0.1, bpm: 124) == 1)
    }

    @Test("models trained on an older feature layout are refused with a clear message")
    func oldLayoutRefused() throws {
        let store = try LibraryStore(path: folder.file("old.sqlite"))
        let header = """
            {"labels":["a","b"],"featureLayoutVersion":0,"standardizer":{"mean":[0],"scale":[1]},
             "configuration":{"inputs":1,"classes":2,"hidden":0},"parameters":[]}
            """
        let models = ModelRepository(store)
        var old = try JSONDecoder().decode(GenreModel.self, from: Data(header.utf8))
        try models.save(.genre, name: "genre", header: old, metrics: IgnoredMetrics(), weights: [0, 0, 0, 0])
        #expect {
            _ = try GenreModel.load("genre", from: store)
        } throws: { error in
            (error as? ModelError)?.problem == .incompatible && "\(error)".contains("feature layout v0")
                && "\(error)".contains("aidj train genre")
        }
        // The same header at the current layout loads; with weights that do not fit its configuration, it is
        // damaged; under another name, missing.
        old.featureLayoutVersion = FeatureLayout.version
        try models.save(.genre, name: "genre", header: old, metrics: IgnoredMetrics(), weights: [0, 0, 0, 0])
        #expect(try GenreModel.load("genre", from: store).model.labels == ["a", "b"])
        try models.save(.genre, name: "genre", header: old, metrics: IgnoredMetrics(), weights: [0, 0, 0])
        #expect { _ = try GenreModel.load("genre", from: store) } throws: { ($0 as? ModelError)?.problem == .damaged }
        #expect { _ = try GenreModel.load("other", from: store) } throws: { error in
            (error as? ModelError)?.problem == .missing && "\(error)".contains("no genre model 'other'")
        }
    }
}
