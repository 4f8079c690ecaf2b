public import AIDJCore

/// Estimates key and mode from a track's pitch-class profiles with the learned ``KeyModel``.
public struct KeyEstimator: Sendable {
    public var model: KeyModel
    /// Tonal weight (frames × tonality) below which a track has no usable pitch content: about a second of a
    /// clearly tonal sound. Silence, noise and unpitched percussion stay under it and get no key.
    public var minimumTonalFrames = 40.0

    public init(model: KeyModel = .trained) {
        self.model = model
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
        guard profiles.tonalFrames >= minimumTonalFrames, !Self.isFlat(profiles.treble) else { return nil }
        let p = model.probabilities(profiles)
        let best = p.indices.max { p[$0] < p[$1] }!
        return Estimate(key: MusicalKey.all[best], confidence: p[best], scores: p)
    }

    /// A profile with no pitch class standing out (all equal within 1 %, or all zero).
    static func isFlat(_ profile: [Double]) -> Bool {
        guard let top = profile.max(), let bottom = profile.min(), top > 0 else { return true }
        return (top - bottom) <= 0.01 * top
    }
}
