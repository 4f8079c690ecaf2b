import Foundation

/// Analysis windows.
public enum Window {
    /// The periodic Hann window of `length` samples (as `scipy.signal.get_window('hann', N)` and librosa use):
    /// w[n] = 0.5 − 0.5 cos(2πn / N), so overlapping frames at hop N/4 sum to a constant.
    public static func hann(length: Int) -> [Float] {
        (0..<length).map { n in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(length))) }
    }
}
