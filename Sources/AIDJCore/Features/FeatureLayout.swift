/// The layout of the stored feature vector: what each component is, in order, and the version every stored
/// vector records. Analysis writes vectors in this layout; taste, similarity and the genre model read them and
/// refuse vectors (and models) of another version.
public enum FeatureLayout {
    /// Raised whenever a component is added, removed, reordered or changes meaning.
    public static let version = 1

    /// Mel-frequency cepstral coefficients summarized per track (mean and standard deviation of each).
    public static let mfccCount = 20

    /// Frame-level spectral statistics summarized per track, in the order of AIDJAnalysis's `SpectralStatistic`.
    public static let spectralStatistics = ["centroid", "bandwidth", "rolloff", "flatness", "flux", "zcr", "rms"]

    /// Track-level scalars, after the MFCC, chroma and spectral blocks.
    public static let scalars = [
        "bpm", "bpm_confidence", "pulse_clarity", "onsets_per_s", "key_major", "key_confidence",
        "loudness_lufs", "loudness_range_lu", "energy", "valence", "danceability", "duration_s",
        "intro_s", "outro_s", "beat_steady", "true_peak_dbtp",
    ]

    /// Name of every component, in order.
    public static let names: [String] = {
        var names: [String] = []
        names += (0..<mfccCount).map { "mfcc\($0)_mean" }
        names += (0..<mfccCount).map { "mfcc\($0)_std" }
        names += MusicalKey.pitchClassNames.map { "chroma_\($0)" }
        names += spectralStatistics.flatMap { ["\($0)_mean", "\($0)_std"] }
        names += scalars
        return names
    }()
}
