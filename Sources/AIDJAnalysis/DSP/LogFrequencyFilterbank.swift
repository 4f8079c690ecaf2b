import Foundation

/// Triangular filters a semitone apart (12 per octave), for the tonal novelty (``FrameFeatures/tonalNovelty``).
///
/// Where a semitone is narrower than an FFT bin (below about 180 Hz for 2048 points at 22 050 Hz) the centres are
/// one bin apart instead, so no filter is empty and none repeats another. Each filter's weights sum to 1: a band's
/// value is the mean magnitude under its triangle. Stored sparsely (``TriangularFilters``).
public struct LogFrequencyFilterbank: Sendable {
    public let bandCount: Int
    /// Centre frequency of every band in Hz.
    public let centerFrequencies: [Double]
    let filters: TriangularFilters
    /// Each filter's weights, from its first bin on.
    var weights: [[Float]] { filters.weights }

    /// - Parameters:
    ///   - fftSize: FFT length in samples.
    ///   - sampleRate: Hz.
    ///   - minFrequency / maxFrequency: the lowest and highest centres (Hz).
    public init(fftSize: Int, sampleRate: Double, minFrequency: Double, maxFrequency: Double) {
        let binFrequency = sampleRate / Double(fftSize)
        let semitone = pow(2, 1.0 / 12)
        // Centres: one bin apart while a semitone is narrower than that, a semitone apart above.
        var centres: [Double] = []
        var f = minFrequency
        let top = min(maxFrequency, sampleRate / 2 - binFrequency)
        while f <= top {
            centres.append(f)
            f = max(f * semitone, f + binFrequency)
        }
        let edges = [max(0, 2 * centres[0] - centres[1])] + centres + [min(sampleRate / 2, f)]
        bandCount = centres.count
        centerFrequencies = centres
        filters = TriangularFilters(
            edges: edges, binFrequency: binFrequency, binCount: fftSize / 2 + 1, normalization: .unitSum)
    }

    /// Applies the bank to a magnitude spectrum (`fftSize / 2 + 1` values) and writes `bandCount` band values.
    public func apply(magnitude: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        filters.apply(magnitude, into: bands)
    }
}
