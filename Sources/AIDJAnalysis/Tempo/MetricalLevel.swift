import Foundation

/// Chooses the metrical level of a tempo reading — the rate a listener taps — among the readings related to the
/// strongest periodicity by 1/4, 1/3, 1/2, 2/3, 3/4, 1, 4/3, 3/2, 2, 3 and 4.
///
/// Periodicity alone cannot settle it: a chorale's eighth-note passing tones, a breakbeat's syncopated kicks
/// and a half-time groove's backbeat are all periodic at the wrong level. Listeners weigh several cues at once —
/// tempo near their preferred rate (Moelants & van Noorden 1999), how densely events subdivide the beat
/// (Elowsson & Friberg 2015, "Modeling the perception of tempo", JASA 137(6)), and the accents of the bass against
/// the upper parts — so each candidate is described by those cues and a softmax over the candidates, fitted to
/// labelled renders (`aidj-bench train-tempo`), picks one. Weights: `TempoModelWeights.swift`.
public struct MetricalLevelModel: Sendable {
    /// Ratios of the candidate readings to the strongest periodicity.
    public static let ratios: [Double] = [0.25, 1.0 / 3, 0.5, 2.0 / 3, 0.75, 1, 4.0 / 3, 1.5, 2, 3, 4]

    /// Names of the features of one candidate, in order.
    public static let featureNames = [
        "log2_tempo_over_120", "log2_tempo_over_120_squared", "score_ratio",
        "beat", "two_beats", "three_beats", "bar", "half_beat", "third_beat",
        "high_quarter_beat", "high_half_beat", "high_beat", "low_beat", "low_two_beats", "low_half_beat",
        "harmonic_beat", "harmonic_two_beats", "harmonic_half_beat", "harmonic_bar",
    ]

    public var weights: [Double]

    public init(weights: [Double]) {
        precondition(weights.count == Self.featureNames.count, "one weight per feature")
        self.weights = weights
    }

    /// The model shipped with aidj.
    public static let trained = MetricalLevelModel(weights: TempoModelWeights.weights)

    /// The cues of one candidate beat rate.
    ///
    /// - Parameters:
    ///   - bpm: the candidate (BPM).
    ///   - score: the candidate's periodicity score over the strongest candidate's, in (0, 1].
    ///   - full: autocorrelation of the whole onset envelope.
    ///   - bands: the range and harmonic-change autocorrelations.
    public static func features(bpm: Double, score: Double, full: OnsetAutocorrelation, bands: TempoEstimator.Bands)
        -> [Double]
    {
        let high = bands.high, low = bands.low, harmonic = bands.harmonic
        let period = 60 * full.frameRate / bpm
        let octaves = log2(bpm / 120)
        func r(_ acf: OnsetAutocorrelation, _ lag: Double) -> Double {
            max(0, acf.peak(nearLag: lag, tolerance: max(0.5, lag * 0.02)))
        }
        return [
            octaves, octaves * octaves, log(max(score, 1e-3)),
            r(full, period), r(full, 2 * period), r(full, 3 * period), r(full, 4 * period), r(full, period / 2),
            r(full, period / 3),
            r(high, period / 4), r(high, period / 2), r(high, period), r(low, period), r(low, 2 * period),
            r(low, period / 2), r(harmonic, period), r(harmonic, 2 * period), r(harmonic, period / 2),
            r(harmonic, 4 * period),
        ]
    }

    /// Logit of a candidate.
    public func logit(_ features: [Double]) -> Double {
        zip(weights, features).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
