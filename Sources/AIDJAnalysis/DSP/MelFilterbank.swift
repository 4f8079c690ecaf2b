import Foundation

/// A triangular mel filterbank in the Slaney convention (Auditory Toolbox; librosa's default `htk=False`,
/// `norm='slaney'`): linear below 1 kHz, logarithmic above, each filter scaled to unit area.
///
/// Stored sparsely (each filter as its first bin and weights), since a filter spans only a few FFT bins.
public struct MelFilterbank: Sendable {
    public let bandCount: Int
    /// Centre frequency of every band in Hz.
    public let centerFrequencies: [Double]
    let firstBin: [Int]
    let weights: [[Float]]

    /// - Parameters:
    ///   - bandCount: number of mel bands (default 128).
    ///   - fftSize: FFT length in samples.
    ///   - sampleRate: Hz.
    ///   - minFrequency / maxFrequency: Hz; max defaults to Nyquist.
    public init(
        bandCount: Int = 128, fftSize: Int, sampleRate: Double, minFrequency: Double = 0, maxFrequency: Double? = nil
    ) {
        let maxFrequency = maxFrequency ?? sampleRate / 2
        self.bandCount = bandCount
        let minMel = Self.mel(fromHertz: minFrequency)
        let maxMel = Self.mel(fromHertz: maxFrequency)
        let edges = (0..<(bandCount + 2)).map { i in
            Self.hertz(fromMel: minMel + (maxMel - minMel) * Double(i) / Double(bandCount + 1))
        }
        centerFrequencies = Array(edges[1...bandCount])
        let binCount = fftSize / 2 + 1
        let binFrequency = sampleRate / Double(fftSize)
        var firstBin: [Int] = []
        var weights: [[Float]] = []
        for band in 0..<bandCount {
            let lower = edges[band], center = edges[band + 1], upper = edges[band + 2]
            let norm = 2 / (upper - lower)
            var first = -1
            var row: [Float] = []
            for k in 0..<binCount {
                let f = Double(k) * binFrequency
                let w = max(0, min((f - lower) / (center - lower), (upper - f) / (upper - center)))
                if w > 0 {
                    if first < 0 { first = k }
                    // Keep interior zeros so the row stays contiguous.
                    while first + row.count < k { row.append(0) }
                    row.append(Float(w * norm))
                }
            }
            firstBin.append(max(first, 0))
            weights.append(row)
        }
        self.firstBin = firstBin
        self.weights = weights
    }

    /// Applies the bank to a power spectrum (`binCount` values) and writes `bandCount` band powers.
    public func apply(power: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        for band in 0..<bandCount {
            let first = firstBin[band]
            var sum: Float = 0
            weights[band].withUnsafeBufferPointer { w in
                for j in 0..<w.count { sum += w[j] * power[first + j] }
            }
            bands[band] = sum
        }
    }

    /// Slaney's mel scale: 3 mels per 200 Hz up to 1 kHz, then 27 mels per factor 6.4 (log).
    public static func mel(fromHertz f: Double) -> Double {
        let breakFrequency = 1000.0, breakMel = 15.0, logStep = log(6.4) / 27
        return f < breakFrequency ? 3 * f / 200 : breakMel + log(f / breakFrequency) / logStep
    }

    /// The inverse of ``mel(fromHertz:)``.
    public static func hertz(fromMel m: Double) -> Double {
        let breakFrequency = 1000.0, breakMel = 15.0, logStep = log(6.4) / 27
        return m < breakMel ? 200 * m / 3 : breakFrequency * exp(logStep * (m - breakMel))
    }
}
