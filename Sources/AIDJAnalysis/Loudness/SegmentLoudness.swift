import CEBUR128
import Foundation

/// The loudness of stretches of a mono signal (notes, phrases): BS.1770's K-weighted mean square over each whole
/// stretch, with libebur128's window loudness, in LUFS. Ungated, so it reads notes shorter than the 400 ms blocks
/// that integrated loudness needs.
public enum SegmentLoudness {
    /// The longest window read at once (ms): libebur128's momentary window, which needs no resizing. (Debian's
    /// libebur128 1.2.6 allocates a thousand times the buffer a larger window needs: 230 MB for 1.8 s at 16 kHz.)
    static let chunkMilliseconds = 400

    /// - Parameters:
    ///   - segments: sample ranges into `samples` (clamped to it).
    ///   - samples: the signal, mono.
    ///   - sampleRate: Hz (libebur128 meters 16 Hz to 2.8 MHz).
    /// - Returns: LUFS per segment, in the order given; nil for digital silence, an empty segment, or a rate
    ///   libebur128 refuses.
    /// - Complexity: one pass over the samples up to the last segment's end: the signal is filtered once, and each
    ///   segment is read in windows of at most 400 ms as the signal reaches their ends; their mean squares are
    ///   averaged by length.
    public static func lufs(of segments: [Range<Int>], in samples: [Float], sampleRate: Int) -> [Double?] {
        var result = [Double?](repeating: nil, count: segments.count)
        guard sampleRate > 0, !segments.isEmpty,
            let state = ebur128_init(1, UInt(sampleRate), Int32(EBUR128_MODE_M.rawValue))
        else { return result }
        defer {
            var owned: UnsafeMutablePointer<ebur128_state>? = state
            ebur128_destroy(&owned)
        }
        let chunkFrames = max(1, sampleRate * chunkMilliseconds / 1000)
        // Every window to read: (end, length in frames, segment), in the order the signal reaches them.
        var windows: [(end: Int, frames: Int, segment: Int)] = []
        for (k, range) in segments.enumerated() {
            let segment = range.clamped(to: 0..<samples.count)
            var end = segment.upperBound
            while end > segment.lowerBound {
                let frames = min(chunkFrames, end - segment.lowerBound)
                windows.append((end, frames, k))
                end -= frames
            }
        }
        windows.sort { $0.end < $1.end }
        var power = [Double](repeating: 0, count: segments.count)
        var frames = [Int](repeating: 0, count: segments.count)
        var fed = 0
        samples.withUnsafeBufferPointer { x in
            for window in windows {
                if window.end > fed {
                    ebur128_add_frames_float(state, x.baseAddress! + fed, window.end - fed)
                    fed = window.end
                }
                let milliseconds = UInt((Double(window.frames) * 1000 / Double(sampleRate)).rounded())
                var value = 0.0
                guard milliseconds > 0,
                    ebur128_loudness_window(state, milliseconds, &value) == EBUR128_SUCCESS.rawValue
                else { continue }
                // LUFS back to K-weighted mean square, weighted by the window's length.
                if value.isFinite { power[window.segment] += Double(window.frames) * pow(10, (value + 0.691) / 10) }
                frames[window.segment] += window.frames
            }
        }
        for k in segments.indices where frames[k] > 0 && power[k] > 0 {
            result[k] = -0.691 + 10 * log10(power[k] / Double(frames[k]))
        }
        return result
    }
}
