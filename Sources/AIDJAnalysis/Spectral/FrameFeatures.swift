import AIDJCore

/// What the short-time analysis keeps of a signal: per-frame envelopes the rhythm, key, cue and mood stages need,
/// and summary statistics of the timbre features. Some 50 floats per frame (≈ 200 bytes), so an hour of
/// audio takes about 32 MB.
public struct FrameFeatures: Sendable {
    /// Frames per second (sampleRate / hopSize).
    public var frameRate: Double
    /// Hop between frames in samples.
    public var hopSize: Int
    /// Onset strength per frame: the positive rise of mel-band magnitudes (square roots of band powers), averaged
    /// within the ranges below 200 Hz, 200 Hz–2 kHz and above 2 kHz, then combined over the three ranges.
    public var onset: [Float] = []
    /// Tonal novelty per frame: how much the shape of the sustained spectrum (the chroma's 5-frame minimum, so
    /// without drum hits), in log-compressed semitone bands, changes at the frame (``SpectralNovelty``), aligned to
    /// the frame where the notes change. Marks note and chord changes that swell rather than strike.
    public var tonalNovelty: [Float] = []
    /// Onset strength per range (below 200 Hz, 200 Hz–2 kHz, above 2 kHz), 3 values per frame.
    public var bandOnsets: [Float] = []
    /// Beat-phase envelopes per frame, 6 values per frame: the onset strength of the percussive part of the mel
    /// bands below 200 Hz, 200 Hz–2 kHz and above 2 kHz, then of the harmonic part (``HarmonicPercussiveSplit``).
    /// They tell a beat grid from the grid half a beat later (``BeatPhase``).
    public var phaseOnsets: [Float] = []
    /// Onset strength in the bands below 150 Hz (kick drums, bass notes).
    public var bassOnset: [Float] = []
    /// Frame RMS (linear amplitude, time domain).
    public var rms: [Float] = []
    /// Energy below 150 Hz per frame (mel power, linear).
    public var lowBandEnergy: [Float] = []
    /// Pitch-class profile per frame, 12 values per frame (C, C♯, …, B), row after row.
    public var chroma: [Float] = []
    /// Harmonic change per frame: the summed rise of the pitch classes' shares of the chroma since the previous
    /// frame, in [0, 1] (0 for a held chord, near 1 for a change to disjoint pitches).
    public var harmonicChange: [Float] = []
    /// Bass pitch-class profile per frame (spectral peaks below 260 Hz), 12 values per frame.
    public var bassChroma: [Float] = []
    /// Frames from a note's start to the first frame whose ``chroma``, ``bassChroma`` and ``harmonicChange`` hold it
    /// fully. They read the sustained spectrum, the minimum over the latest frames, each centred on its hop and a
    /// whole frame wide (`FrameAnalyzer`): 4 + 2 = 6 frames (139 ms) at 22 050 Hz, frame 2048, hop 512. A reader
    /// that times chords against beats must look this much later.
    public var chromaLatency = 0
    /// Timbre per frame: MFCC 1–12 (the spectral envelope's shape without its level), 12 values per frame, row after
    /// row; zeros in silent frames. For the structure analysis, which compares passages by their sound.
    public var timbre: [Float] = []
    /// How many MFCCs ``timbre`` keeps per frame.
    public static let timbreCount = 12
    /// MFCC 0–19 over non-silent frames.
    public var mfcc = RunningStatistics(dimension: SpectralStatistic.mfccCount)
    /// Spectral statistics over non-silent frames, indexed by ``SpectralStatistic``.
    public var spectral = RunningStatistics(dimension: SpectralStatistic.allCases.count)
    /// Frames counted as sound (RMS above the silence threshold).
    public var soundFrames = 0

    public var frameCount: Int { rms.count }

    /// The track's loud level: the 90th percentile of ``rms`` (0 without frames). Levels read against it do not
    /// depend on how loud the track was mastered, nor on a few peaks.
    public var loudRMS: Float {
        let sorted = rms.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
    }

    /// Time in seconds of the centre of frame `index`.
    public func time(ofFrame index: Int) -> Double { Double(index) / frameRate }
    /// Frame whose centre is closest to `seconds`.
    public func frame(at seconds: Double) -> Int { max(0, min(frameCount - 1, Int((seconds * frameRate).rounded()))) }
}

/// The per-frame spectral descriptors summarized into the feature vector.
public enum SpectralStatistic: Int, CaseIterable, Sendable {
    /// Magnitude-weighted mean frequency (Hz).
    case centroid
    /// Magnitude-weighted standard deviation around the centroid (Hz).
    case bandwidth
    /// Frequency below which 85 % of the magnitude lies (Hz).
    case rolloff
    /// Geometric over arithmetic mean of the power spectrum, in [0, 1]: 1 for white noise, ~0 for a tone.
    case flatness
    /// Half-wave rectified magnitude increase from the previous frame over the frame's magnitude sum.
    case flux
    /// Sign changes per sample in the frame.
    case zeroCrossingRate
    /// Frame RMS (linear).
    case rms

    public static let mfccCount = FeatureLayout.mfccCount

    /// The statistic's name in the feature layout.
    public var name: String { FeatureLayout.spectralStatistics[rawValue] }
}
