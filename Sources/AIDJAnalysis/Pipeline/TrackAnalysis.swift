import AIDJAudio

/// Everything the analysis learns about one audio file. A plain value: stored by the library, shown by the CLI.
public struct TrackAnalysis: Sendable {
    /// Bumped whenever an extractor changes its output, so stored tracks analysed by an older version are redone.
    /// 2: learned key model over treble/bass/ending profiles, learned metrical-level choice for the tempo, robust
    /// constant-tempo grid fit, grids extended by at most two bars beyond the tracked beats.
    public static let version = 2

    // Source
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    public var formatDescription: String
    public var tags: AudioTags

    // Rhythm
    /// Beats per minute (from the beat grid when there is one).
    public var bpm: Double
    public var bpmConfidence: Double
    public var bpmAlternates: [TempoEstimator.Alternate]
    public var pulseClarity: Double
    /// The metrical-level candidates the tempo was chosen from (not stored; for evaluation and fitting).
    public var tempoCandidates: [TempoEstimator.Candidate]
    public var beats: BeatGrid
    public var onsetsPerSecond: Double

    // Tonality
    public var key: MusicalKey
    public var keyConfidence: Double

    // Loudness
    public var loudness: LoudnessMeter.Measurement

    // Mood and cues
    public var mood: MoodEstimator.Mood
    public var cues: CueDetector.Cues

    // Timbre summaries
    public var mfccMean: [Float]
    public var mfccStd: [Float]
    public var chromaMean: [Float]
    /// The pitch-class profiles the key was read from.
    public var keyProfiles: KeyProfiles
    public var spectralMean: [Float]
    public var spectralStd: [Float]

    /// The feature vector in the layout of ``FeatureLayout``.
    public var featureVector: [Float] { FeatureLayout.vector(of: self) }
}

/// The named layout of the stored feature vector. Version 1: 82 Float32 values.
public enum FeatureLayout {
    public static let version = 1

    /// Name of every component, in order.
    public static let names: [String] = {
        var names: [String] = []
        names += (0..<SpectralStatistic.mfccCount).map { "mfcc\($0)_mean" }
        names += (0..<SpectralStatistic.mfccCount).map { "mfcc\($0)_std" }
        names += MusicalKey.pitchClassNames.map { "chroma_\($0)" }
        names += SpectralStatistic.allCases.flatMap { ["\($0.name)_mean", "\($0.name)_std"] }
        names += [
            "bpm", "bpm_confidence", "pulse_clarity", "onsets_per_s", "key_major", "key_confidence",
            "loudness_lufs", "loudness_range_lu", "energy", "valence", "danceability", "duration_s",
            "intro_s", "outro_s", "beat_steady", "true_peak_dbtp",
        ]
        return names
    }()

    static func vector(of a: TrackAnalysis) -> [Float] {
        var v: [Float] = []
        v += a.mfccMean
        v += a.mfccStd
        v += a.chromaMean
        for i in SpectralStatistic.allCases.indices { v += [a.spectralMean[i], a.spectralStd[i]] }
        v += [
            a.bpm, a.bpmConfidence, a.pulseClarity, a.onsetsPerSecond, a.key.mode == .major ? 1 : 0, a.keyConfidence,
            a.loudness.integratedLUFS ?? -70, a.loudness.rangeLU, a.mood.energy, a.mood.valence, a.mood.danceability,
            a.durationSeconds, a.cues.introEnd - a.cues.firstSound, a.cues.lastSound - a.cues.outroStart,
            a.beats.isSteady ? 1 : 0, a.loudness.truePeakDBTP ?? -70,
        ].map { Float($0) }
        precondition(v.count == names.count, "feature vector layout mismatch")
        return v
    }
}
