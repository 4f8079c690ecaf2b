import CSndFile

/// A container and sample encoding that libsndfile writes here; used by the writer, tests and the demo.
public enum AudioFormat: String, CaseIterable, Sendable {
    case wav16, wav24, wavFloat, aiff16, flac16, flac24, oggVorbis, opus, mp3

    /// The conventional file extension.
    public var fileExtension: String {
        switch self {
        case .wav16, .wav24, .wavFloat: "wav"
        case .aiff16: "aiff"
        case .flac16, .flac24: "flac"
        case .oggVorbis: "ogg"
        case .opus: "opus"
        case .mp3: "mp3"
        }
    }

    /// Lossy codecs change samples; round-trip tests compare durations and loudness, not samples, for these.
    public var isLossy: Bool { self == .oggVorbis || self == .opus || self == .mp3 }

    /// Ogg/Opus is written at 48 kHz only by libsndfile.
    public var requiredSampleRate: Int? { self == .opus ? 48_000 : nil }

    var sndfileFormat: Int32 {
        switch self {
        case .wav16: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .wav24: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .wavFloat: Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case .aiff16: Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
        case .flac16: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .flac24: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        case .oggVorbis: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        case .opus: Int32(SF_FORMAT_OGG | SF_FORMAT_OPUS)
        case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        }
    }

    /// Infers the format from a path's extension (`.wav` → 16-bit WAV, `.flac` → 16-bit FLAC, …).
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "wav": self = .wav16
        case "aif", "aiff": self = .aiff16
        case "flac": self = .flac16
        case "ogg", "oga": self = .oggVorbis
        case "opus": self = .opus
        case "mp3": self = .mp3
        default: return nil
        }
    }
}

/// Describes a libsndfile format word as people say it: "FLAC 16-bit", "WAV float", "MP3".
func describeSndfileFormat(_ format: Int32) -> String {
    let major: String
    switch Int(format) & Int(SF_FORMAT_TYPEMASK) {
    case Int(SF_FORMAT_WAV): major = "WAV"
    case Int(SF_FORMAT_WAVEX): major = "WAV"
    case Int(SF_FORMAT_RF64): major = "RF64"
    case Int(SF_FORMAT_AIFF): major = "AIFF"
    case Int(SF_FORMAT_AU): major = "AU"
    case Int(SF_FORMAT_FLAC): major = "FLAC"
    case Int(SF_FORMAT_OGG): major = "Ogg"
    case Int(SF_FORMAT_MPEG): major = "MP3"
    case Int(SF_FORMAT_CAF): major = "CAF"
    case Int(SF_FORMAT_W64): major = "W64"
    default: major = "audio"
    }
    let subtype: String?
    switch Int(format) & Int(SF_FORMAT_SUBMASK) {
    case Int(SF_FORMAT_PCM_S8), Int(SF_FORMAT_PCM_U8): subtype = "8-bit"
    case Int(SF_FORMAT_PCM_16): subtype = "16-bit"
    case Int(SF_FORMAT_PCM_24): subtype = "24-bit"
    case Int(SF_FORMAT_PCM_32): subtype = "32-bit"
    case Int(SF_FORMAT_FLOAT): subtype = "float"
    case Int(SF_FORMAT_DOUBLE): subtype = "double"
    case Int(SF_FORMAT_VORBIS): subtype = "Vorbis"
    case Int(SF_FORMAT_OPUS): subtype = "Opus"
    case Int(SF_FORMAT_ALAC_16), Int(SF_FORMAT_ALAC_20), Int(SF_FORMAT_ALAC_24), Int(SF_FORMAT_ALAC_32):
        subtype = "ALAC"
    default: subtype = nil
    }
    if major == "MP3" { return major }
    return subtype.map { "\(major) \($0)" } ?? major
}
