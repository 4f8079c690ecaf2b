public import AIDJCore

/// Estimates key and mode from a track's pitch-class profiles with the learned ``KeyModel``s: the one that also
/// reads the ending when the track ends (``KeyProfiles/hasEnding``), the whole-track one otherwise.
public struct KeyEstimator: Sendable {
    public var model: KeyModel
    public var endingModel: KeyModel
    /// Tonal weight (frames × tonality, ``KeyProfiles/tonalFrames``) from which a track has usable pitch content:
    /// about a second of a clearly tonal sound. Silence and noise stay under it (white and pink noise gather 0.03
    /// per second) and get no key, as does a FluidR3 drum kit playing alone (0.1 per second) for up to 6 minutes. Not
    /// every kit: TimGM6mb's gathers 1.0 per second and gets a key after 40 s.
    public var minimumTonalFrames = 40.0
    /// A short piece gathers less weight in all: it has pitch content from ``minimumShortTonalFrames`` on when its
    /// sound is tonal at ``minimumTonalRate`` per second or more. Choirs (General MIDI "Choir Aahs") breathe over
    /// every pitch class, so each frame weighs little: 21–28 s chorales through FluidR3, TimGM6mb and MuseScore
    /// General gathered 19–39 and got no key at all (10 of the 138 choir renders of the development sets); their
    /// rate is 0.7–1.7 per second (lowest of all 138: 0.71). With this rule all ten read their written key. Noise
    /// and the FluidR3 kit are far under the rate; TimGM6mb's kit now gets a key from 15 s.
    public var minimumShortTonalFrames = 15.0
    public var minimumTonalRate = 0.5

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

    /// Whether the profiles hold enough tonal sound to read a key from (``minimumTonalFrames``, or for a short
    /// piece ``minimumShortTonalFrames`` at ``minimumTonalRate``).
    public func hasTonalContent(_ profiles: KeyProfiles) -> Bool {
        let weight = profiles.tonalFrames
        return weight >= minimumTonalFrames
            || weight >= minimumShortTonalFrames && profiles.soundingSeconds > 0
                && weight / profiles.soundingSeconds >= minimumTonalRate
    }

    /// - Returns: nil when the track has no tonal content (silence, unpitched noise, flat profiles).
    public func estimate(_ profiles: KeyProfiles) -> Estimate? {
        guard hasTonalContent(profiles), !KeyProfiles.isFlat(profiles.treble) else { return nil }
        let p = (profiles.hasEnding ? endingModel : model).probabilities(profiles)
        let best = p.indices.max { p[$0] < p[$1] }!
        return Estimate(key: MusicalKey.all[best], confidence: p[best], scores: p)
    }
}
