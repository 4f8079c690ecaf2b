import Foundation

/// Triangular filters a semitone apart (12 per octave), for the tonal novelty (``FrameFeatures/tonalNovelty``).
///
/// Where a semitone is narrower than an FFT bin (below about 180 Hz for 2048 points at 22 050 Hz) the centres are
/// one bin apart instead, so no filter is empty and none repeats another. Each filter's weights sum to 1: a band's
/// value is the mean magnitude under its triangle. Stored sparsely, as ``MelFilterbank``.
public struct LogFrequencyFilterbank: Sendable {
    public let bandCount: Int
    /// Centre frequency of every band in Hz.
    public let centerFrequencies: [Double]
    let firstBin: [Int]
    let weights: [[Float]]

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
        let binCount = fftSize / 2 + 1
        var firstBin: [Int] = []
        var weights: [[Float]] = []
        for band in 0..<bandCount {
            let lower = edges[band], center = edges[band + 1], upper = edges[band + 2]
            let lo = max(0, Int(ceil(lower / binFrequency))), hi = min(binCount - 1, Int(floor(upper / binFrequency)))
            var row: [Float] = []
            for k in lo...max(lo, hi) {
                let x = Double(k) * binFrequency
                row.append(Float(max(0, min((x - lower) / (center - lower), (upper - x) / (upper - center)))))
            }
            let sum = row.reduce(0, +)
            firstBin.append(lo)
            weights.append(sum > 0 ? row.map { $0 / sum } : row)
        }
        self.firstBin = firstBin
        self.weights = weights
    }

    /// Applies the bank to a magnitude spectrum (`fftSize / 2 + 1` values) and writes `bandCount` band values.
    public func apply(magnitude: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        for band in 0..<bandCount {
            let first = firstBin[band]
            var sum: Float = 0
            weights[band].withUnsafeBufferPointer { w in
                for j in 0..<w.count { sum += w[j] * magnitude[first + j] }
            }
            bands[band] = sum
        }
    }
}
