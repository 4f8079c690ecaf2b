public import AIDJAudio
import CEBUR128

/// Short-term loudness (EBU Tech 3341: K-weighted, 3-second sliding window, LUFS) of a stream, read at any point:
/// how loud the last three seconds were.
public final class ShortTermLoudness {
    private var state: UnsafeMutablePointer<ebur128_state>?
    public let channels: Int

    /// - Throws: `AudioError` when libebur128 cannot meter that rate and channel count.
    public init(sampleRate: Int, channels: Int, source: String = "memory") throws(AudioError) {
        guard channels > 0, sampleRate > 0,
            let created = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(EBUR128_MODE_S.rawValue))
        else {
            throw AudioError(
                .measure, path: source, reason: "libebur128 cannot meter \(channels) channel(s) at \(sampleRate) Hz")
        }
        state = created
        self.channels = channels
    }

    // A failed init leaves no state; libebur128 1.2.6 dereferences the state it is asked to destroy.
    deinit { if state != nil { ebur128_destroy(&state) } }

    /// Adds `frames` interleaved frames.
    public func add(interleaved samples: UnsafePointer<Float>, frames: Int) {
        ebur128_add_frames_float(state, samples, frames)
    }

    /// The loudness of the last three seconds (LUFS); nil for digital silence.
    public var lufs: Double? { Self.shortTerm(state) }

    /// libebur128's short-term loudness of a state metering in a mode that keeps the 3-second window (S or LRA).
    static func shortTerm(_ state: UnsafeMutablePointer<ebur128_state>?) -> Double? {
        var value = 0.0
        guard ebur128_loudness_shortterm(state, &value) == EBUR128_SUCCESS.rawValue, value.isFinite else { return nil }
        return value
    }
}
