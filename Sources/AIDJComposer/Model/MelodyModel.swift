import AIDJCore
public import AIDJLearning
import Foundation

/// Hyper-parameters of a melody model and its training (the `compose train` flags).
public struct MelodyTrainingOptions: Codable, Sendable, Equatable {
    public var layers = 1
    public var units = 256
    public var embedding = 64
    /// Truncated-BPTT length (steps). Default 64.
    public var sequenceLength = 64
    /// Parallel lanes per mini-batch. Default 64.
    public var batchSize = 64
    public var learningRate: Float = 1e-3
    public var epochs = 20
    public var seed: UInt64 = 1
    public var dropout: Float = 0
    /// Gradient clipping (global L2 norm). Default 5.
    public var clipNorm: Float = 5
    /// Stop after this many epochs without a better validation NLL. Default 3.
    public var patience = 3

    public init() {}

    public var configuration: LSTMConfiguration {
        LSTMConfiguration(
            vocabularySize: Melody.vocabularySize, embeddingSize: embedding, units: units, layers: layers,
            dropout: dropout)
    }
}

/// One epoch's figures (the `compose train --json` lines).
public struct EpochReport: Codable, Sendable {
    public var epoch: Int
    public var trainNLL: Double
    public var validNLL: Double
    public var validAccuracy: Double
    public var tokensPerSecond: Double
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, trainNLL = "train_nll", validNLL = "valid_nll", validAccuracy = "valid_accuracy",
            tokensPerSecond = "tokens_per_s", seconds
    }
}

/// The NLL and accuracy of a model on melodies, by the convention of docs/ARCHITECTURE.md: nats per event, each
/// melody scored from a fresh model state, every event after the first predicted from those before it.
public struct MelodyScore: Codable, Sendable {
    public var melodies: Int
    public var events: Int
    /// Mean negative log-likelihood per predicted event (nats).
    public var nllNatsPerEvent: Double
    /// Share of events whose most likely prediction was right.
    public var accuracy: Double

    enum CodingKeys: String, CodingKey {
        case melodies, events, nllNatsPerEvent = "nll_nats_per_event", accuracy
    }
}

/// A trained melody model: an LSTM over the 38 melody tokens, with the options it was trained with.
public final class MelodyModel {
    public let options: MelodyTrainingOptions
    public let network: LSTMLanguageModel

    /// A new model, its weights drawn from the options' seed.
    public init(options: MelodyTrainingOptions) {
        self.options = options
        network = LSTMLanguageModel(configuration: options.configuration, seed: options.seed)
    }

    /// A model with stored weights.
    ///
    /// - Throws: ``LearningError`` when the weights do not fit the options' network.
    public init(options: MelodyTrainingOptions, parameters: [Float]) throws(LearningError) {
        self.options = options
        network = try LSTMLanguageModel(configuration: options.configuration, parameters: parameters)
    }

    /// What goes between melodies in the training stream, and before a melody is generated: a note-off and a
    /// bar of rest, so the model learns how melodies begin.
    public static let separator: [Int32] =
        [Melody.noteOff] + [Int32](repeating: Melody.hold, count: Melody.stepsPerBar - 1)

    // MARK: Training

    /// Trains on `train`, validating on `valid` after every epoch; keeps the weights of the best validation NLL
    /// (early stopping after `patience` epochs without improvement).
    ///
    /// The training melodies, each after a ``separator``, form one stream cut into `batchSize` contiguous lanes;
    /// each step trains `sequenceLength` tokens of every lane, carrying the LSTM state to the next step (truncated
    /// BPTT, as PyTorch's word-language-model example).
    ///
    /// - Returns: the reports of all epochs run.
    /// - Parameter workers: threads; above 1, lanes are split between model replicas (``DataParallelTrainer``),
    ///   each with single-threaded BLAS.
    @discardableResult
    ///   - stepProgress: called after every mini-batch with the epoch and the share of it done, in (0, 1].
    public func train(
        _ train: [Melody], valid: [Melody], workers: Int = 1,
        stepProgress: (_ epoch: Int, _ fraction: Double) -> Void = { _, _ in },
        progress: (EpochReport) -> Void = { _ in }
    ) throws(LearningError) -> [EpochReport] {
        let stream = train.flatMap { Self.separator + $0.tokens }
        let b = options.batchSize, t = options.sequenceLength
        let laneLength = stream.count / b
        guard laneLength > t else {
            throw LearningError(
                .tooLittleData,
                "the training melodies hold \(stream.count) events; \(b) lanes of more than \(t) steps need \(b * (t + 1))"
            )
        }
        var adam = Adam(parameterCount: network.parameters.count, learningRate: options.learningRate)
        var random = SplitMix64(scrambling: options.seed &+ 1)
        let parallel =
            workers > 1 ? DataParallelTrainer(model: network, workers: workers, batch: b, seed: options.seed &+ 2) : nil
        var best = (nll: Double.infinity, parameters: network.parameters)
        var stale = 0
        var reports: [EpochReport] = []
        for epoch in 1...max(1, options.epochs) {
            let started = Date()
            var state = LSTMLanguageModel.State(configuration: network.configuration, batch: b)
            parallel?.resetState()
            var lossSum = 0.0, tokens = 0
            var offset = 0
            while offset + 1 < laneLength {
                let steps = min(t, laneLength - 1 - offset)
                var inputs = [Int32](repeating: 0, count: steps * b), targets = inputs
                for s in 0..<steps {
                    for lane in 0..<b {
                        inputs[s * b + lane] = stream[lane * laneLength + offset + s]
                        targets[s * b + lane] = stream[lane * laneLength + offset + s + 1]
                    }
                }
                let result =
                    parallel?.trainStep(inputs: inputs, targets: targets, batch: b, steps: steps)
                    ?? network.trainStep(
                        inputs: inputs, targets: targets, batch: b, steps: steps, state: &state, random: &random)
                var gradients = network.gradients
                clipGradientNorm(&gradients, maxNorm: options.clipNorm)
                adam.update(&network.parameters, gradients: gradients)
                lossSum += result.loss * Double(steps * b)
                tokens += steps * b
                offset += steps
                stepProgress(epoch, Double(offset) / Double(laneLength - 1))
            }
            let trainSeconds = Date().timeIntervalSince(started)
            let score = self.score(valid)
            let report = EpochReport(
                epoch: epoch, trainNLL: lossSum / Double(tokens), validNLL: score.nllNatsPerEvent,
                validAccuracy: score.accuracy,
                tokensPerSecond: Double(tokens) / trainSeconds, seconds: Date().timeIntervalSince(started))
            reports.append(report)
            progress(report)
            if score.nllNatsPerEvent < best.nll || valid.isEmpty {
                best = (score.nllNatsPerEvent, network.parameters)
                stale = 0
            } else {
                stale += 1
                if stale >= options.patience { break }
            }
        }
        network.parameters = best.parameters
        return reports
    }

    // MARK: Scoring

    /// Scores melodies: each from a fresh state, every event after the first predicted from all earlier ones.
    public func score(_ melodies: [Melody]) -> MelodyScore {
        var events = 0, correct = 0
        var nll = 0.0
        for melody in melodies {
            for (i, result) in network.evaluate(melody.tokens).enumerated() {
                nll -= result.logProbability
                if result.predicted == melody.tokens[i + 1] { correct += 1 }
                events += 1
            }
        }
        return MelodyScore(
            melodies: melodies.count, events: events, nllNatsPerEvent: events > 0 ? nll / Double(events) : 0,
            accuracy: events > 0 ? Double(correct) / Double(events) : 0)
    }

    /// Surprise (−log p, nats) of every event after the first of one melody.
    public func surprise(_ melody: Melody) -> [Double] {
        network.logProbabilities(of: melody.tokens).map { -$0 }
    }
}
