import Foundation

/// Estimates the beat rate (BPM) of an onset envelope, with its metrical alternates and a confidence.
///
/// Periodicity is read from the onset autocorrelation at two metrical levels at once: a candidate beat period τ
/// scores `r(τ) · r(4τ)`, the periodicity of the beat times that of the 4/4 bar it implies. The bar term rejects
/// the off-metre candidates (⅔× and 3⁄2×) that syncopated patterns make periodic at the beat level alone — a
/// breakbeat's kicks 1½ beats apart, say — since their "bars" of 6 or 2⅔ true beats do not repeat. Between the
/// remaining octaves (½×, 1×, 2×), the product is weighted by a log-normal preference centred on 120 BPM
/// (σ = 1 octave): the tempo-resonance prior of Moelants & van Noorden (1999) and Klapuri, Eronen & Astola
/// (2006), as librosa's `start_bpm`/`std_bpm`. Candidates span 40–240 BPM (ballads at 60, drum & bass at 174).
///
/// Half-time and very fast material: a half-time groove (kick on 1, snare on 3 at 140) is periodic exactly like a
/// backbeat at 70, and a 190 BPM four-on-the-floor's claps make its two-beat period the strongest; both win at
/// half speed above. What sets them apart is the cymbals: at the half-speed reading they divide each beat into
/// four or more regular parts (16ths), which a slow ballad's or a reggae groove's 8th-note hats do not. So a slow
/// reading (< 100 BPM) whose high-frequency onsets are periodic at a quarter of its beat is doubled. This is the
/// event-density cue that listeners use to choose the metrical level (Elowsson & Friberg 2015, "Modeling the
/// perception of tempo", JASA 137(6)); on the synthesized styles it separates r ≥ 0.19 (half-time, 190 BPM)
/// from r ≤ 0.05 (everything else).
public struct TempoEstimator: Sendable {
    /// Slowest beat rate considered (BPM). Default 40.
    public var minBPM = 40.0
    /// Fastest beat rate considered (BPM). Default 240.
    public var maxBPM = 240.0
    /// Centre of the tempo prior (BPM). Default 120.
    public var preferredBPM = 120.0
    /// Width of the prior in octaves. Default 1.
    public var priorOctaves = 1.0

    public init() {}

    /// A tempo candidate related to the chosen one.
    public struct Alternate: Sendable, Codable, Equatable {
        /// Beats per minute.
        public let bpm: Double
        /// "half", "double", "two-thirds", "three-halves".
        public let relation: String
        /// Salience relative to the chosen tempo (1 = as strong).
        public let score: Double
    }

    public struct Estimate: Sendable {
        /// Beats per minute.
        public let bpm: Double
        /// In [0, 1]: how much the chosen tempo outscores its strongest metrical alternate, times pulse clarity.
        public let confidence: Double
        /// Autocorrelation at the beat period, in [0, 1]: how periodic the onsets are (pulse clarity).
        public let pulseClarity: Double
        public let alternates: [Alternate]
    }

    /// Slow readings below this (BPM) are doubled when the cymbals subdivide them into 16ths. Default 100.
    public var subdivisionCheckBelowBPM = 100.0
    /// High-band periodicity at a quarter beat above which the beat is subdivided into 16ths. Default 0.12.
    public var sixteenthPeriodicity = 0.12

    /// - Parameters:
    ///   - acf: autocorrelation of the full onset envelope.
    ///   - highBand: autocorrelation of the onsets above 2 kHz (cymbals), for the octave check; nil skips it.
    /// - Returns: nil when no periodicity is found (silence, a single hit, noise without accents).
    public func estimate(_ acf: OnsetAutocorrelation, highBand: OnsetAutocorrelation? = nil) -> Estimate? {
        let fr = acf.frameRate
        var bestBPM = 0.0, bestScore = 0.0
        var bpm = minBPM
        while bpm <= maxBPM {
            let s = score(bpm: bpm, acf)
            if s > bestScore {
                bestScore = s
                bestBPM = bpm
            }
            bpm += 0.5
        }
        guard bestScore > 1e-3 else { return nil }
        // Refine on a fine grid around the peak.
        var refined = bestBPM
        var step = -0.5
        while step <= 0.5 {
            let s = score(bpm: bestBPM + step, acf)
            if s > bestScore {
                bestScore = s
                refined = bestBPM + step
            }
            step += 0.05
        }
        if let highBand, refined < subdivisionCheckBelowBPM, refined * 2 <= maxBPM {
            let quarterBeat = 60 * fr / refined / 4
            if highBand.peak(nearLag: quarterBeat, tolerance: 0.5) > sixteenthPeriodicity {
                refined *= 2
                bestScore = score(bpm: refined, acf)
            }
        }
        let relations: [(String, Double)] = [
            ("half", 0.5), ("double", 2), ("two-thirds", 2.0 / 3), ("three-halves", 1.5),
        ]
        let alternates = relations.compactMap { name, factor -> Alternate? in
            let candidate = refined * factor
            guard candidate >= 30, candidate <= 300 else { return nil }
            let s = bestLocalScore(around: candidate, acf)
            return Alternate(bpm: (candidate * 100).rounded() / 100, relation: name, score: min(1, s / bestScore))
        }
        let strongestAlternate = alternates.map(\.score).max() ?? 0
        let clarity = max(0, min(1, acf.peak(nearLag: 60 * fr / refined)))
        let confidence = max(0, min(1, (1 - strongestAlternate) * 0.5 + clarity * 0.5))
        return Estimate(bpm: refined, confidence: confidence, pulseClarity: clarity, alternates: alternates)
    }

    /// Beat-level periodicity times bar-level periodicity, weighted by the prior.
    func score(bpm: Double, _ acf: OnsetAutocorrelation) -> Double {
        let period = 60 * acf.frameRate / bpm
        let beat = max(0, acf.peak(nearLag: period, tolerance: 0.5))
        let bar = max(0, acf.peak(nearLag: 4 * period, tolerance: 1))
        return beat * bar * prior(bpm: bpm)
    }

    func prior(bpm: Double) -> Double {
        let octaves = log2(bpm / preferredBPM) / priorOctaves
        return exp(-0.5 * octaves * octaves)
    }

    private func bestLocalScore(around bpm: Double, _ acf: OnsetAutocorrelation) -> Double {
        var best = 0.0
        var b = bpm * 0.98
        while b <= bpm * 1.02 {
            best = max(best, score(bpm: b, acf))
            b += bpm * 0.002
        }
        return best
    }
}
