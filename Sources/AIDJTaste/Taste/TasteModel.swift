import AIDJCore
public import AIDJLearning
public import AIDJStore
import Foundation

/// A listener's trained taste model: P(liked) from audio features, genre and listening context. Stored as one
/// model of kind `.taste` in the ``ModelRepository``, named after the listener (lower-cased).
public struct TasteModel: Codable, Sendable, StoredClassifier {
    public static let kind = ModelKind.taste

    public var listener: String
    /// Classes present in training, in ``TasteLabel`` order.
    public var labels: [TasteLabel]
    public var featureLayoutVersion: Int
    public var genreVocabulary: [String]
    /// The genre model whose predictions fill in genres of untagged tracks, if any.
    public var genreModelName: String?
    public var standardizer: Standardizer
    public var configuration: SoftmaxClassifier.Configuration
    public var parameters: [Float]
    var classCount: Int { labels.count }

    public init(
        listener: String, labels: [TasteLabel], featureLayoutVersion: Int, genreVocabulary: [String],
        genreModelName: String?, standardizer: Standardizer, configuration: SoftmaxClassifier.Configuration,
        parameters: [Float]
    ) {
        self.listener = listener
        self.labels = labels
        self.featureLayoutVersion = featureLayoutVersion
        self.genreVocabulary = genreVocabulary
        self.genreModelName = genreModelName
        self.standardizer = standardizer
        self.configuration = configuration
        self.parameters = parameters
    }

    /// The stored model's name: the listener's name, lower-cased.
    public static func modelName(listener: String) -> String { listener.lowercased() }

    /// The stored model of a listener, or nil when they have none.
    ///
    /// - Throws: ``ModelError`` for a damaged model or one trained on an older feature layout.
    public static func load(listener: String, from store: LibraryStore) throws -> (TasteModel, TasteReport)? {
        guard
            let stored = try ModelRepository(store).load(
                kind, name: modelName(listener: listener), header: TasteModel.self, metrics: TasteReport.self)
        else { return nil }
        return (try checked(stored, retrain: "aidj train taste \(listener)"), stored.metrics)
    }

    /// Stores the model with its report, replacing the listener's earlier one.
    public func save(report: TasteReport, in store: LibraryStore) throws {
        try save(name: Self.modelName(listener: listener), metrics: report, in: store)
    }

    /// P(liked) for each row (raw, unstandardized inputs laid end to end).
    public func likeProbabilities(flat rows: [Float], count: Int) throws -> [Double] {
        let p = try classifier().probabilities(flat: rows, rows: count)
        guard let liked = labels.firstIndex(of: .liked) else { return [Double](repeating: 0, count: count) }
        let k = labels.count
        return (0..<count).map { Double(p[$0 * k + liked]) }
    }
}

/// How a taste model was trained and how it did in grouped cross-validation.
public struct TasteReport: Codable, Sendable {
    public var listener: String
    /// Labelled events used, and the distinct tracks they are on.
    public var events: Int
    public var tracks: Int
    public var classCounts: [String: Int]
    /// Cross-validation over tracks (every event of a track in the same fold), when each class has 5 or more
    /// tracks; nil otherwise.
    public var folds: Int?
    public var accuracy: Double?
    public var logLoss: Double?
    /// Area under the ROC curve of P(liked) for liked versus the rest (0.5 is chance).
    public var likedAUC: Double?
    public var genreVocabulary: [String]
    public var genreModel: String?
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case listener, events, tracks, classCounts = "class_counts", folds, accuracy, logLoss = "log_loss",
            likedAUC = "liked_auc", genreVocabulary = "genre_vocabulary", genreModel = "genre_model", seconds
    }
}

/// Trains a listener's taste model, or says why there is too little feedback to.
public struct TasteTrainer: Sendable {
    public var hidden = 0
    public var folds = 5
    public var options = SoftmaxClassifier.TrainingOptions()
    /// Below these, ``train(listener:events:store:genreModelName:)`` declines and recommendations fall back to
    /// similarity: labelled events in all, liked events, and other events.
    public var minimumEvents = 20
    public var minimumLiked = 5
    public var minimumOther = 5
    /// Distinct tracks every class needs before cross-validation is reported.
    public var minimumTracksForValidation = 5

    public init() {}

    /// A trained model, or why none was trained.
    public enum Outcome: Sendable {
        case trained(TasteModel, TasteReport)
        /// Not enough feedback; the reason names the counts.
        case tooLittleFeedback(String)
    }

    /// Trains a listener's taste model from their events, cross-validated over tracks when every class has enough.
    ///
    /// - Parameter genreModel: fills in genres of untagged tracks (its name is stored with the model).
    /// - Returns: the model and its report, or `.tooLittleFeedback` with the counts when there is too little.
    public func train(
        listener: String, events: [ListenerEvent], snapshot: LibrarySnapshot,
        genreModel: (name: String, model: GenreModel)?
    ) throws -> Outcome {
        let started = Date()
        let feedback = FeedbackLabels(events: events, snapshot: snapshot)
        let liked = feedback.count(.liked), other = feedback.events.count - liked
        guard feedback.events.count >= minimumEvents, liked >= minimumLiked, other >= minimumOther else {
            return .tooLittleFeedback(
                "\(listener) has \(feedback.events.count) events on analysed tracks (\(liked) liked, \(other) other); "
                    + "a taste model needs \(minimumEvents) with \(minimumLiked)+ liked and \(minimumOther)+ other")
        }
        let inputs = TasteInputs(
            genreVocabulary: TasteInputs.vocabulary(snapshot: snapshot, genreModel: genreModel?.model),
            genreModel: genreModel?.model)
        let genres = try inputs.genreRows(snapshot)
        let labels = TasteLabel.allCases.filter { label in feedback.events.contains { $0.label == label } }
        let x = feedback.events.map {
            inputs.row(snapshot.tracks[$0.trackIndex], genre: genres[$0.trackIndex], at: $0.occurredAt)
        }
        let y = feedback.events.map { labels.firstIndex(of: $0.label)! }
        let featureWidth = snapshot.tracks.first?.vector.count ?? 0

        // Grouped, stratified folds: each track's events stay together, so a fold never tests on a track it
        // trained on; tracks are stratified by their most frequent label.
        let trackIndices = Array(Set(feedback.events.map(\.trackIndex))).sorted()
        var labelCounts: [Int: [Int]] = [:]
        for (e, label) in zip(feedback.events, y) {
            labelCounts[e.trackIndex, default: [Int](repeating: 0, count: labels.count)][label] += 1
        }
        let majority = labelCounts.mapValues { counts in counts.indices.max { counts[$0] < counts[$1] }! }
        var perClass = [Int](repeating: 0, count: labels.count)
        for t in trackIndices { perClass[majority[t]!] += 1 }
        // Cross-validation over a handful of tracks says more about the split than the model (held-out tracks
        // take their class's examples with them): it is reported only with 5+ tracks in every class.
        let smallest = perClass.filter { $0 > 0 }.min() ?? 0
        let k = smallest >= minimumTracksForValidation ? min(folds, smallest) : 0
        var report = TasteReport(
            listener: listener, events: x.count, tracks: trackIndices.count,
            classCounts: Dictionary(uniqueKeysWithValues: labels.map { l in (l.rawValue, feedback.count(l)) }),
            genreVocabulary: inputs.genreVocabulary, genreModel: genreModel?.name, seconds: 0)
        if k >= 2 && perClass.filter({ $0 > 0 }).count >= 2 {
            let trackFold = ClassificationMetrics.stratifiedFolds(
                labels: trackIndices.map { majority[$0]! }, folds: k, seed: options.seed)
            let foldOf = Dictionary(uniqueKeysWithValues: zip(trackIndices, trackFold))
            let eventFold = feedback.events.map { foldOf[$0.trackIndex]! }
            var probabilities = [[Float]](repeating: [], count: x.count)
            for fold in 0..<k {
                let train = x.indices.filter { eventFold[$0] != fold }
                let test = x.indices.filter { eventFold[$0] == fold }
                guard Set(train.map { y[$0] }).count == labels.count else { continue }
                let (model, standardizer) = fit(
                    train.map { x[$0] }, train.map { y[$0] }, classes: labels.count, featureWidth: featureWidth)
                let p = model.probabilities(test.map { standardizer.transform(x[$0]) })
                for (i, row) in zip(test, p) { probabilities[i] = row }
            }
            let scored = x.indices.filter { !probabilities[$0].isEmpty }
            if !scored.isEmpty {
                let metrics = ClassificationMetrics(
                    probabilities: scored.map { probabilities[$0] }, labels: scored.map { y[$0] },
                    classes: labels.count)
                report.folds = k
                report.accuracy = metrics.accuracy
                report.logLoss = metrics.logLoss
                if let likedClass = labels.firstIndex(of: .liked) {
                    report.likedAUC = ClassificationMetrics.auc(
                        scores: scored.map { Double(probabilities[$0][likedClass]) },
                        positives: scored.map { y[$0] == likedClass })
                }
            }
        }
        let (final, standardizer) = fit(x, y, classes: labels.count, featureWidth: featureWidth)
        report.seconds = Date().timeIntervalSince(started)
        let model = TasteModel(
            listener: listener, labels: labels, featureLayoutVersion: FeatureLayout.version,
            genreVocabulary: inputs.genreVocabulary, genreModelName: genreModel?.name, standardizer: standardizer,
            configuration: final.configuration, parameters: final.parameters)
        return .trained(model, report)
    }

    func fit(_ x: [[Float]], _ y: [Int], classes: Int, featureWidth: Int) -> (SoftmaxClassifier, Standardizer) {
        // Audio features are standardized; genre codes and context are already on a unit scale.
        SoftmaxClassifier.fitStandardized(
            x, labels: y, classes: classes, hidden: hidden, options: options,
            unscaledColumns: (x.first?.count ?? featureWidth) - featureWidth)
    }
}
