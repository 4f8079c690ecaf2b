/// How a melody model was trained: every epoch's figures and, as the model's headline, those of the best epoch
/// on held-out melodies (the weights kept).
public struct MelodyTrainingReport: Codable, Sendable {
    public var epochs: [EpochReport]
    /// Held-out negative log-likelihood (nats per event) and next-event accuracy of the best epoch; nil without
    /// held-out melodies.
    public var validNLL: Double?
    public var validAccuracy: Double?
    public var trainMelodies: Int
    public var validMelodies: Int
    public var trainingSeconds: Double

    /// From a training run: the validation figures are those of the best epoch (the stored weights).
    public init(reports: [EpochReport], trainMelodies: Int, validMelodies: Int, seconds: Double) {
        let best = validMelodies > 0 ? reports.min { $0.validNLL < $1.validNLL } : nil
        epochs = reports
        validNLL = best?.validNLL
        validAccuracy = best?.validAccuracy
        self.trainMelodies = trainMelodies
        self.validMelodies = validMelodies
        trainingSeconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case epochs, validNLL = "valid_nll", validAccuracy = "valid_accuracy", trainMelodies = "train_melodies",
            validMelodies = "valid_melodies", trainingSeconds = "training_seconds"
    }
}
