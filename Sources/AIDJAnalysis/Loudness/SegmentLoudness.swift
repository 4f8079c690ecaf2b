import CEBUR128
import Foundation

/// The loudness of stretches of a mono signal (notes, phrases): BS.1770's K-weighted mean square over each whole
/// stretch, with libebur128's window loudness, in LUFS. Ungated, so it reads notes shorter than the 400 ms blocks
/// that integrated loudness needs.
public enum SegmentLoudness {
    /// - Parameters:
    ///   - segments: sample ranges into `samples` (clamped to it).
    ///   - samples: the signal, mono.
    ///   - sampleRate: Hz (libebur128 meters 16 Hz to 2.8 MHz).
    /// - Returns: LUFS per segment, in the order given; nil for digital silence, an empty segment, or a rate
    ///   libebur128 refuses.
    /// - Complexity: one pass over the samples up to the last segment's end: the signal is filtered once and each
    ///   segment read from libebur128's window as the signal reaches its end.
    public static func lufs(of segments: [Range<Int>], in samples: [Float], sampleRate: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: segments.count)
        let clamped = segments.map { $0.clamped(to: 0..<samples.count) }
        guard let longest = clamped.map(\.count).max(), longest > 0, sampleRate > 0,
            var state = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_M.rawValue))
        else { return result }
        var optional: UnsafeMutablePointer<ebur128_state>? = state
        defer { ebur128_destroy(&optional) }
        func milliseconds(_ frames: Int) -> UInt { UInt((Double(frames) * 1000 / Double(sampleRate)).rounded(.down)) }
        // EBUR128_ERROR_NO_CHANGE: the window asked for is the 400 ms the M mode starts with.
        let set = ebur128_set_max_window(state, max(400, milliseconds(longest) + 1))
        guard set == EBUR128_SUCCESS.rawValue || set == EBUR128_ERROR_NO_CHANGE.rawValue else { return result }
        state = optional!
        var fed = 0
        samples.withUnsafeBufferPointer { x in
            for k in clamped.indices.sorted(by: { clamped[$0].upperBound < clamped[$1].upperBound }) {
                let segment = clamped[k]
                let window = milliseconds(segment.count)
                guard window > 0 else { continue }
                if segment.upperBound > fed {
                    ebur128_add_frames_float(state, x.baseAddress! + fed, segment.upperBound - fed)
                    fed = segment.upperBound
                }
                // The window ends where the signal fed so far ends: right for every segment ending there.
                guard fed == segment.upperBound else { continue }
                var value = 0.0
                if ebur128_loudness_window(state, window, &value) == EBUR128_SUCCESS.rawValue, value.isFinite {
                    result[k] = value
                }
            }
        }
        return result
    }
}
