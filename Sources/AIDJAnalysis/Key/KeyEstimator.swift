import Foundation

/// Estimates key and mode from a track's pitch-class profiles by correlation with tonal hierarchy profiles
/// (Krumhansl & Kessler 1982; the method of Krumhansl & Schmuckler, "Cognitive Foundations of Musical Pitch", 1990).
///
/// Two profiles vote: the treble chroma against the major and minor profiles, and the bass chroma (peaks below
/// 260 Hz), which carries the chord roots, against a mode-neutral tonic profile; the bass separates a key from
/// its relative major/minor and its dominant, whose pitch sets overlap the tonic key's almost entirely. A third vote weighs a key against its parallel key by the degrees on which
/// they differ (minor against major third and sixth). Each key's score is
/// `r(chroma, mode profile) + bassWeight · r(bass chroma, tonic profile) ± thirdsWeight · modeEvidence`, with `r`
/// the Pearson correlation against the profile rotated to the key's tonic.
public struct KeyEstimator: Sendable {
    /// Krumhansl–Kessler probe-tone ratings, C major and C minor.
    static let majorProfile: [Double] = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    static let minorProfile: [Double] = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]

    /// The mean of the major and minor profiles: what a tonic looks like whatever the mode. The bass votes with it,
    /// because bass lines play chord roots (I, IV, V), which say where the tonic is but not the mode — against
    /// the mode profiles, a root-only bass line would always look major.
    static let tonicProfile: [Double] = zip(majorProfile, minorProfile).map { ($0 + $1) / 2 }

    /// Weight of the bass profile's vote, in [0, 1]. Default 0.5.
    public var bassWeight = 0.5
    /// Weight of the thirds-and-sixths vote between a tonic's major and minor keys. Default 0.3.
    public var thirdsWeight = 0.3
    /// Sharpness of the softmax that turns scores into a confidence. Default 20 (score differences of 0.05
    /// between the two best keys give ≈ 0.73).
    public var confidenceSharpness = 20.0

    public init() {}

    public struct Estimate: Sendable {
        public let key: MusicalKey
        /// Probability-like share of the best key among all 24 (softmax of scores), in [0, 1].
        public let confidence: Double
        /// Score per key, indexed as `MusicalKey.all`.
        public let scores: [Double]
    }

    /// - Parameters:
    ///   - chroma: the summed pitch-class profile (12 values, C first).
    ///   - bassChroma: the summed bass profile (12 values), or nil.
    /// - Returns: nil when the profile is flat (silence, unpitched noise).
    public func estimate(chroma: [Double], bassChroma: [Double]?) -> Estimate? {
        precondition(chroma.count == 12, "chroma has 12 bins")
        let mean = chroma.reduce(0, +) / 12
        guard chroma.contains(where: { abs($0 - mean) > 1e-9 * max(mean, 1e-12) }), mean > 1e-12 else { return nil }
        let bassUsable = bassChroma.map { b in b.reduce(0, +) > 1e-9 * chroma.reduce(0, +) } ?? false
        let scores = MusicalKey.all.map { key -> Double in
            let profile = key.mode == .major ? Self.majorProfile : Self.minorProfile
            let rotated = (0..<12).map { profile[(($0 - key.tonic) + 12) % 12] }
            var score = Self.correlation(chroma, rotated)
            if bassUsable, let bassChroma {
                let neutral = (0..<12).map { Self.tonicProfile[(($0 - key.tonic) + 12) % 12] }
                score += bassWeight * Self.correlation(bassChroma, neutral)
            }
            return score + thirdsWeight * Self.modeEvidence(chroma, tonic: key.tonic) * (key.mode == .minor ? 1 : -1)
        }
        let best = scores.indices.max { scores[$0] < scores[$1] }!
        let top = scores[best]
        let partition = scores.reduce(0) { $0 + exp(confidenceSharpness * ($1 - top)) }
        return Estimate(key: MusicalKey.all[best], confidence: 1 / partition, scores: scores)
    }

    /// Evidence for minor over major on `tonic`, in [−1, 1]: the minor third and sixth against the major third and
    /// sixth. These four degrees are what a key and its parallel key disagree on; a correlation over all twelve
    /// lets the tonic and fifth, common to both and loud in any mix, decide instead.
    static func modeEvidence(_ chroma: [Double], tonic: Int) -> Double {
        let minor = chroma[(tonic + 3) % 12] + chroma[(tonic + 8) % 12]
        let major = chroma[(tonic + 4) % 12] + chroma[(tonic + 9) % 12]
        return minor + major > 0 ? (minor - major) / (minor + major) : 0
    }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            sxy += (x[i] - mx) * (y[i] - my)
            sxx += (x[i] - mx) * (x[i] - mx)
            syy += (y[i] - my) * (y[i] - my)
        }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
