import Foundation

/// A triangular mel filterbank in the Slaney convention (Auditory Toolbox; librosa's default `htk=False`,
/// `norm='slaney'`): linear below 1 kHz, logarithmic above, each filter scaled to unit area.
///
/// Stored sparsely (``TriangularFilters``), since a filter spans only a few FFT bins.
public struct MelFilterbank: Sendable {
    public let bandCount: Int
    /// Centre frequency of every band in Hz.
    public let centerFrequencies: [Double]
    let filters: TriangularFilters
    /// Each filter's weights, from its first bin on.
    var weights: [[Float]] { filters.weights }

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
        filters = TriangularFilters(
            edges: edges, binFrequency: sampleRate / Double(fftSize), binCount: fftSize / 2 + 1, normalization: .area)
    }

    /// Applies the bank to a power spectrum (`binCount` values) and writes `bandCount` band powers.
    public func apply(power: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        filters.apply(power, into: bands)
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
