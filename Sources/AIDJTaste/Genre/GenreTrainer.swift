import AIDJCore
public import AIDJLearning
public import AIDJStore
import Foundation

/// Where genre labels come from.
public enum GenreLabelSource: Sendable, Equatable {
    /// The genre tag of each file.
    case tags
    /// The name of the folder each file is in.
    case folders
    /// A CSV file with the header `path,genre`.
    case csv(String)
}

/// The cross-validated report of `aidj train genre`.
public struct GenreReport: Codable, Sendable {
    public var accuracy: Double
    public var macroF1: Double
    public var logLoss: Double
    /// confusion[true label][predicted label] counts.
    public var confusion: [String: [String: Int]]
    public var labels: [String]
    public var tracks: Int
    public var seconds: Double
    /// Labels left out for having fewer than the minimum count, with their counts.
    public var rareLabels: [String: Int]

    enum CodingKeys: String, CodingKey {
        case accuracy, macroF1 = "macro_f1", logLoss = "log_loss", confusion, labels, tracks, seconds,
            rareLabels = "rare_labels"
    }
}

/// Trains the genre classifier on the stored feature vectors: stratified k-fold cross-validation (each fold
/// standardized with its own training statistics), then a final model on every labelled track.
public struct GenreTrainer: Sendable {
    public var folds = 5
    public var minimumCount = 3
    public var hidden = 0
    public var options = SoftmaxClassifier.TrainingOptions()

    public init() {}

    /// Labelled feature vectors from the store.
    public static func examples(store: LibraryStore, labels source: GenreLabelSource) throws
        -> [(vector: [Float], label: String)]
    {
        var csvLabels: [String: String] = [:]
        if case .csv(let file) = source {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw TasteError(.unreadableLabels, file: file, reason: "cannot read it")
            }
            for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() {
                let fields = ListeningHistory.csvFields(String(line))
                if i == 0 && fields.map({ $0.lowercased() }) == ["path", "genre"] { continue }
                guard fields.count == 2 else {
                    throw TasteError(.unreadableLabels, file: file, reason: "line \(i + 1): expected path,genre")
                }
                csvLabels[URL(fileURLWithPath: fields[0]).standardizedFileURL.path] = fields[1]
            }
        }
        return try store.analysedTracks(vectorVersion: FeatureLayout.version).compactMap { track in
            let label: String?
            switch source {
            case .tags: label = track.genre
            case .folders:
                label = (track.path as NSString).deletingLastPathComponent.split(separator: "/").last.map(String.init)
            case .csv: label = csvLabels[track.path]
            }
            guard let label, !label.isEmpty else { return nil }
            return (track.vector, label)
        }
    }

    /// Cross-validates and trains. - Returns: the report and the final model.
    public func train(_ examples: [(vector: [Float], label: String)]) throws -> (GenreReport, GenreModel) {
        let started = Date()
        var counts: [String: Int] = [:]
        for e in examples { counts[e.label, default: 0] += 1 }
        let rare = counts.filter { $0.value < minimumCount }
        let kept = examples.filter { rare[$0.label] == nil }
        let labels = Set(kept.map(\.label)).sorted()
        guard labels.count >= 2 else {
            throw TasteError(
                .tooFewExamples,
                reason: "need at least 2 labels with \(minimumCount)+ tracks each, found \(labels.count)")
        }
        let y = kept.map { labels.firstIndex(of: $0.label)! }
        let x = kept.map(\.vector)
        let k = min(folds, counts.filter { rare[$0.key] == nil }.values.min() ?? folds)
        guard k >= 2 else {
            throw TasteError(
                .tooFewExamples, reason: "k-fold cross-validation needs at least 2 tracks per label; raise --min-count")
        }
        let assignment = ClassificationMetrics.stratifiedFolds(labels: y, folds: k, seed: options.seed)
        var probabilities = [[Float]](repeating: [], count: kept.count)
        for fold in 0..<k {
            let trainIndices = kept.indices.filter { assignment[$0] != fold }
            let testIndices = kept.indices.filter { assignment[$0] == fold }
            let (model, standardizer) = fit(
                trainIndices.map { x[$0] }, trainIndices.map { y[$0] }, classes: labels.count)
            let predicted = model.probabilities(testIndices.map { standardizer.transform(x[$0]) })
            for (i, p) in zip(testIndices, predicted) { probabilities[i] = p }
        }
        let metrics = ClassificationMetrics(probabilities: probabilities, labels: y, classes: labels.count)
        let (final, standardizer) = fit(x, y, classes: labels.count)
        var confusion: [String: [String: Int]] = [:]
        for (i, truth) in labels.enumerated() {
            confusion[truth] = Dictionary(
                uniqueKeysWithValues: labels.enumerated().map { ($1, metrics.confusion[i][$0]) })
        }
        let report = GenreReport(
            accuracy: metrics.accuracy, macroF1: metrics.macroF1, logLoss: metrics.logLoss, confusion: confusion,
            labels: labels, tracks: kept.count, seconds: Date().timeIntervalSince(started), rareLabels: rare)
        let model = GenreModel(
            labels: labels, featureLayoutVersion: FeatureLayout.version, standardizer: standardizer,
            configuration: final.configuration, parameters: final.parameters)
        return (report, model)
    }

    func fit(_ x: [[Float]], _ y: [Int], classes: Int) -> (SoftmaxClassifier, Standardizer) {
        SoftmaxClassifier.fitStandardized(x, labels: y, classes: classes, hidden: hidden, options: options)
    }
}
