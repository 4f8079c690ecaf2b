import AIDJLearning
public import AIDJStore
public import Foundation

/// A listener's taste score for every track of a snapshot, in [0, 1]: P(liked) from their taste model when they
/// have one, else similarity to the tracks they liked.
public struct TasteScorer: Sendable {
    /// Where the scores come from.
    public enum Source: Sendable {
        /// Scores are P(liked) from the stored model.
        case model(TasteReport)
        /// No model: scores are similarity to liked tracks, s₊ · (1 − s₋ / 2) with s₊ (s₋) the highest
        /// ``FeatureSpace/similarity(distance:)`` to a liked (disliked) track.
        case similarity(liked: Int, disliked: Int)
        /// No feedback at all: every score is 0.5.
        case none

        var isNone: Bool {
            if case .none = self { return true }
            return false
        }
    }

    public let source: Source
    /// Per snapshot track.
    public let scores: [Double]
    public let feedback: FeedbackLabels
    let space: FeatureSpace

    /// - Throws: ``ModelError`` when the listener's model cannot be used (older feature layout, damaged, or its
    ///   genre model is gone).
    public init(listener: String, listenerID: Int64, store: LibraryStore, space: FeatureSpace, at date: Date) throws {
        self.space = space
        let snapshot = space.snapshot
        feedback = FeedbackLabels(events: try store.events(listenerID: listenerID), snapshot: snapshot)
        if let (model, report) = try TasteModel.load(listener: listener, from: store) {
            var genreModel: GenreModel?
            if let name = model.genreModelName {
                do {
                    genreModel = try GenreModel.load(name, from: store).model
                } catch {
                    throw ModelError(
                        .dependency, kind: .taste, name: TasteModel.modelName(listener: listener),
                        detail: "needs genre model '\(name)': \(error) "
                            + "(or retrain it with `aidj train taste \(listener)`)")
                }
            }
            let inputs = TasteInputs(genreVocabulary: model.genreVocabulary, genreModel: genreModel)
            let rows = try inputs.rows(snapshot, at: date)
            guard rows.count == snapshot.tracks.count * model.configuration.inputs else {
                throw ModelError(
                    .incompatible, kind: .taste, name: TasteModel.modelName(listener: listener),
                    detail: "expects \(model.configuration.inputs) inputs per track: "
                        + "retrain it with `aidj train taste \(listener)`")
            }
            scores = try model.likeProbabilities(flat: rows, count: snapshot.tracks.count)
            source = .model(report)
            return
        }
        var liked = feedback.likedTracks
        if liked.isEmpty {
            // Nothing explicitly liked yet: any track heard and not disliked counts.
            let disliked = Set(feedback.dislikedTracks)
            liked = Set(feedback.events.map(\.trackIndex)).subtracting(disliked).sorted()
        }
        let disliked = feedback.dislikedTracks
        guard !liked.isEmpty || !disliked.isEmpty else {
            scores = [Double](repeating: 0.5, count: snapshot.tracks.count)
            source = .none
            return
        }
        scores = snapshot.tracks.indices.map { i in
            let positive =
                liked.isEmpty ? 0.5 : liked.map { FeatureSpace.similarity(distance: space.distance(i, $0)) }.max()!
            let negative = disliked.map { FeatureSpace.similarity(distance: space.distance(i, $0)) }.max() ?? 0
            return positive * (1 - negative / 2)
        }
        source = .similarity(liked: liked.count, disliked: disliked.count)
    }

    /// The liked track nearest to track `i` (snapshot index), other than itself.
    public func nearestLiked(to i: Int) -> (track: AnalysedTrack, distance: Double)? {
        space.nearest(to: i, among: feedback.likedTracks).map { (space.snapshot.tracks[$0.index], $0.distance) }
    }

    /// One line on where the scores come from.
    public var explanation: String {
        switch source {
        case .model(let report):
            var text = "taste model trained on \(report.events) events"
            if let auc = report.likedAUC, let folds = report.folds {
                text += String(format: " (%d-fold AUC for liked %.2f)", folds, auc)
            }
            return text
        case .similarity(let liked, let disliked):
            return "no taste model (too little feedback or not trained): taste = similarity to \(liked) liked"
                + (disliked > 0 ? " and \(disliked) disliked" : "") + " tracks"
        case .none:
            return "no feedback yet: taste is not used"
        }
    }
}
