public import AIDJCore

/// Estimates key and mode from a track's pitch-class profiles with the learned ``KeyModel``s: the one that also
/// reads the ending when the track ends (``KeyProfiles/hasEnding``), the whole-track one otherwise.
public struct KeyEstimator: Sendable {
    public var model: KeyModel
    public var endingModel: KeyModel
    /// Tonal weight (frames × tonality) below which a track has no usable pitch content: about a second of a
    /// clearly tonal sound. Silence, noise and unpitched percussion stay under it and get no key.
    public var minimumTonalFrames = 40.0

    public init(model: KeyModel = .trained, endingModel: KeyModel = .trainedWithEnding) {
        precondition(!model.readsEnding && endingModel.readsEnding, "a whole-track model and an ending model")
        self.model = model
        self.endingModel = endingModel
    }

    /// The key, the model's probability of it, and the probabilities of all 24 keys.
    public struct Estimate: Sendable {
        public let key: MusicalKey
        /// Probability of the chosen key under the model, in [0, 1].
        public let confidence: Double
        /// Probability per key, indexed as `MusicalKey.all`.
        public let scores: [Double]
    }

    /// - Returns: nil when the track has no tonal content (silence, unpitched noise, flat profiles).
    public func estimate(_ profiles: KeyProfiles) -> Estimate? {
        guard profiles.tonalFrames >= minimumTonalFrames, !KeyProfiles.isFlat(profiles.treble) else { return nil }
        let p = (profiles.hasEnding ? endingModel : model).probabilities(profiles)
        let best = p.indices.max { p[$0] < p[$1] }!
        return Estimate(key: MusicalKey.all[best], confidence: p[best], scores: p)
    }
}
