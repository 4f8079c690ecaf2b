public import AIDJAudio
import AIDJCore
import CEBUR128
import Foundation

/// Meters of other implementations, to check aidj's own against.
public enum ReferenceMeters {
    /// libebur128's own true peak (EBUR128_MODE_TRUE_PEAK: 4× oversampled, BS.1770-4 Annex 2), in dBTP.
    public static func libebur128TruePeak(_ buffer: AudioBuffer) -> Double {
        var state = ebur128_init(
            UInt32(buffer.channelCount), UInt(buffer.sampleRate), Int32(EBUR128_MODE_TRUE_PEAK.rawValue))
        precondition(state != nil, "libebur128 cannot meter this buffer")
        defer { ebur128_destroy(&state) }
        let interleaved = Interleaving.interleave(buffer.channels)
        _ = interleaved.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress!, buffer.frameCount) }
        var peak = 0.0
        for c in 0..<buffer.channelCount {
            var p = 0.0
            ebur128_true_peak(state, UInt32(c), &p)
            peak = max(peak, p)
        }
        return 20 * log10(peak)
    }
}
