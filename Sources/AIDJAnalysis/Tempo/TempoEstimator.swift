public import AIDJCore
import Foundation

/// Estimates the beat rate (BPM) of an onset envelope, with its metrical alternates and a confidence.
///
/// Periodicity is read from the onset autocorrelation at two metrical levels at once: a candidate beat period τ
/// scores `r(τ) · r(4τ)`, the periodicity of the beat times that of the 4/4 bar it implies, weighted by a
/// log-normal preference centred on 120 BPM (σ = 1 octave): the tempo-resonance prior of Moelants & van Noorden
/// (1999) and Klapuri, Eronen & Astola (2006), as librosa's `start_bpm`/`std_bpm`. Candidates span 40–240 BPM.
///
/// The strongest periodicity is often not the level a listener taps: a chorale's eighth-note motion, a half-time
/// groove's backbeat (kick on 1, snare on 3 at 140 is periodic exactly like a backbeat at 70), a fast
/// four-on-the-floor's claps. So the readings related to it by simple ratios are described by the cues listeners
/// use — subdivision by the cymbals, bass accents, harmonic rhythm and tonal change, periodicity at the beat, bar
/// and half beat — and ``MetricalLevelModel``, fitted on labelled renders and on real records labelled by madmom,
/// chooses among them.
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
        /// How it relates to the chosen tempo.
        public let relation: TempoRelation
        /// Salience relative to the chosen tempo (1 = as strong).
        public let score: Double
    }

    /// The chosen tempo with its confidence, pulse clarity and metrical alternates.
    public struct Estimate: Sendable {
        /// Beats per minute.
        public let bpm: Double
        /// In [0, 1]: how much the chosen tempo outscores its strongest metrical alternate, times pulse clarity.
        public let confidence: Double
        /// Autocorrelation at the beat period, in [0, 1]: how periodic the onsets are (pulse clarity).
        public let pulseClarity: Double
        public let alternates: [Alternate]
        /// The metrical-level candidates the tempo was chosen from (empty without range autocorrelations).
        public var candidates: [Candidate] = []
    }

    /// The metrical-level chooser; nil keeps the strongest periodicity.
    public var levelModel: MetricalLevelModel? = .trained

    /// The autocorrelations of the onset ranges that tell metrical levels apart.
    public struct Bands: Sendable {
        /// Onsets above 2 kHz (cymbals, hats: how the beat is subdivided).
        public var high: OnsetAutocorrelation
        /// Onsets below 200 Hz (kick drums, bass notes).
        public var low: OnsetAutocorrelation
        /// Harmonic change (chord changes, new notes without an attack).
        public var harmonic: OnsetAutocorrelation
        /// Tonal novelty (``FrameFeatures/tonalNovelty``): any change of the sustained spectrum's shape, so also a
        /// voice moving within a chord, where the twelve pitch-class shares of the harmonic change barely move.
        public var tonal: OnsetAutocorrelation
        public init(
            high: OnsetAutocorrelation, low: OnsetAutocorrelation, harmonic: OnsetAutocorrelation,
            tonal: OnsetAutocorrelation
        ) {
            self.high = high
            self.low = low
            self.harmonic = harmonic
            self.tonal = tonal
        }
    }

    /// A candidate reading and its cues, for choosing the level and for fitting the chooser.
    public struct Candidate: Sendable {
        public let bpm: Double
        public let features: [Double]
    }

    /// - Parameters:
    ///   - acf: autocorrelation of the full onset envelope.
    ///   - bands: the range autocorrelations for choosing the metrical level; nil keeps the strongest reading.
    /// - Returns: nil when no periodicity is found (silence, a single hit, noise without accents).
    public func estimate(_ acf: OnsetAutocorrelation, bands: Bands? = nil) -> Estimate? {
        guard let strongest = strongestReading(acf) else { return nil }
        var chosen = strongest
        let candidates = bands.map { self.candidates(acf, strongest: strongest, bands: $0) } ?? []
        if let levelModel {
            if let best = candidates.max(by: { levelModel.logit($0.features) < levelModel.logit($1.features) }) {
                chosen = (best.bpm, score(bpm: best.bpm, acf))
            }
        }
        return estimate(acf, at: chosen.bpm, candidates: candidates)
    }

    /// The estimate for a given reading: its alternates, pulse clarity and confidence, read from `acf`.
    public func estimate(_ acf: OnsetAutocorrelation, at bpm: Double, candidates: [Candidate] = []) -> Estimate {
        let refined = bpm, bestScore = max(score(bpm: bpm, acf), 1e-12)
        let fr = acf.frameRate
        let alternates = TempoRelation.allCases.compactMap { relation -> Alternate? in
            let candidate = refined * relation.factor
            guard candidate >= 30, candidate <= 300 else { return nil }
            let s = bestLocalScore(around: candidate, acf).score
            return Alternate(bpm: (candidate * 100).rounded() / 100, relation: relation, score: min(1, s / bestScore))
        }
        let strongestAlternate = alternates.map(\.score).max() ?? 0
        let clarity = max(0, min(1, acf.peak(nearLag: 60 * fr / refined)))
        let confidence = max(0, min(1, (1 - strongestAlternate) * 0.5 + clarity * 0.5))
        return Estimate(
            bpm: refined, confidence: confidence, pulseClarity: clarity, alternates: alternates, candidates: candidates)
    }

    /// The candidate readings at the ratios of ``MetricalLevelModel/ratios`` to the strongest one, each moved to
    /// its local score peak (±2 %), within 40–240 BPM; then the strongest reading of the harmonic change and its
    /// half and double, where no candidate lies within 4 % of them. Legato music (a chorale sung or bowed) has
    /// weak attacks and its onset periodicity can sit at no simple ratio to the beat, while its chords still
    /// change on the beat: on held-out GM renders of chorales the harmonic reading was within 4 % of the written
    /// tempo, or its octave, in 8 of the 9 files whose onset candidates all missed it.
    private func candidates(
        _ acf: OnsetAutocorrelation, strongest: (bpm: Double, score: Double), bands: Bands
    ) -> [Candidate] {
        func candidate(_ local: (bpm: Double, score: Double)) -> Candidate {
            Candidate(
                bpm: local.bpm,
                features: MetricalLevelModel.features(
                    bpm: local.bpm, score: local.score / max(strongest.score, 1e-12), full: acf, bands: bands))
        }
        var list = MetricalLevelModel.ratios.compactMap { ratio -> Candidate? in
            let target = strongest.bpm * ratio
            guard target >= minBPM, target <= maxBPM else { return nil }
            return candidate(ratio == 1 ? strongest : bestLocalScore(around: target, acf))
        }
        if let harmonic = strongestReading(bands.harmonic) {
            for ratio in [1.0, 0.5, 2] {
                let target = harmonic.bpm * ratio
                guard target >= minBPM, target <= maxBPM,
                    !list.contains(where: { abs($0.bpm / target - 1) <= 0.04 })
                else { continue }
                list.append(candidate((target, score(bpm: target, acf))))
            }
        }
        return list
    }

    /// The beat rate with the highest ``score(bpm:_:)`` over 40–240 BPM, on a 0.5 BPM grid refined to 0.05 BPM.
    func strongestReading(_ acf: OnsetAutocorrelation) -> (bpm: Double, score: Double)? {
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
        return (refined, bestScore)
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

    private func bestLocalScore(around bpm: Double, _ acf: OnsetAutocorrelation) -> (bpm: Double, score: Double) {
        var best = (bpm: bpm, score: 0.0)
        var b = bpm * 0.98
        while b <= bpm * 1.02 {
            let s = score(bpm: b, acf)
            if s > best.score { best = (b, s) }
            b += bpm * 0.002
        }
        return best
    }
}
