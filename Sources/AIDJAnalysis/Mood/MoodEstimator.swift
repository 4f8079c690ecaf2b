import Foundation

/// Mood descriptors in [0, 1], from measured features by transparent rules (no trained model, so each value can
/// be explained). Each is a weighted mean of terms that are themselves clamped to [0, 1].
///
/// - **energy** (arousal): 0.45 × loudness (integrated LUFS mapped −30 → 0, −6 → 1) + 0.30 × onset density
///   (0 → 0, 6 onsets/s → 1) + 0.25 × brightness (spectral centroid, log scale, 500 Hz → 0, 4 kHz → 1).
///   Loudness, event density and timbral brightness are the strongest acoustic correlates of rated arousal
///   (Gabrielsson & Lindström 2010; Eerola, Lartillot & Toiviainen 2009).
/// - **danceability**: 0.5 × pulse clarity (onset autocorrelation at the beat period, 0.5 → 1) + 0.25 × tempo fit
///   (log-normal around 118 BPM, σ = 0.35 octave: the range of dance tempi, Moelants 2002) + 0.25 × regularity
///   (1 for a constant-tempo grid, less as beat intervals vary), scaled by the share of the track that has beats.
/// - **valence**: 0.4 × mode (major/minor evidence from the key scores) + 0.25 × tempo (60 → 0, 180 BPM → 1) +
///   0.2 × brightness + 0.15 × consonance (1 − spectral flatness / 0.3). Mode and tempo are the two cues with the
///   largest effect on happy/sad judgements (Hevner 1937; Gagnon & Peretz 2003).
public struct MoodEstimator: Sendable {
    public init() {}

    /// The measured features the mood rules read.
    public struct Inputs: Sendable {
        public var loudnessLUFS: Double?
        public var onsetsPerSecond: Double
        public var spectralCentroidHz: Double
        public var spectralFlatness: Double
        public var bpm: Double
        public var pulseClarity: Double
        public var beatsAreSteady: Bool
        /// Coefficient of variation of inter-beat intervals.
        public var beatIntervalVariation: Double
        /// Share of the duration between the first and last beat, in [0, 1].
        public var beatCoverage: Double
        /// Probability that the key is major (the key model's probabilities summed over the 12 major keys), in
        /// [0, 1]; 0.5 when there is no key.
        public var majorProbability: Double
    }

    /// Energy, valence and danceability, each in [0, 1].
    public struct Mood: Sendable, Equatable, Codable {
        public var energy: Double
        public var valence: Double
        public var danceability: Double
    }

    /// The mood descriptors of a track, by the rules in the type's summary.
    public func estimate(_ x: Inputs) -> Mood {
        let loudness = clamp(((x.loudnessLUFS ?? -70) + 30) / 24)
        let density = clamp(x.onsetsPerSecond / 6)
        let brightness = clamp(log2(max(x.spectralCentroidHz, 1) / 500) / 3)
        let energy = 0.45 * loudness + 0.30 * density + 0.25 * brightness

        let clarity = clamp(x.pulseClarity / 0.5)
        let tempoFit = x.bpm > 0 ? exp(-0.5 * pow(log2(x.bpm / 118) / 0.35, 2)) : 0
        let regularity = x.beatsAreSteady ? 1 : clamp(1 - 5 * x.beatIntervalVariation)
        let danceability = (0.5 * clarity + 0.25 * tempoFit + 0.25 * regularity) * clamp(x.beatCoverage)

        let mode = clamp(x.majorProbability)
        let tempo = clamp((x.bpm - 60) / 120)
        let consonance = clamp(1 - x.spectralFlatness / 0.3)
        let valence = 0.4 * mode + 0.25 * tempo + 0.2 * brightness + 0.15 * consonance
        return Mood(energy: clamp(energy), valence: clamp(valence), danceability: clamp(danceability))
    }

    private func clamp(_ x: Double) -> Double { max(0, min(1, x.isFinite ? x : 0)) }
}
