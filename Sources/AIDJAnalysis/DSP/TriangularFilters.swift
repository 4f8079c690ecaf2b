/// Triangular filters over the bins of a spectrum, stored sparsely (each filter as its first bin and its weights,
/// since a filter spans only a few bins): the shared body of ``MelFilterbank`` and ``LogFrequencyFilterbank``.
struct TriangularFilters: Sendable {
    /// How each filter's weights are scaled.
    enum Normalization {
        /// Unit area in Hz (Slaney's mel convention): `2 / (upper − lower)` at the peak.
        case area
        /// Weights summing to 1: a band reads the mean magnitude under its triangle.
        case unitSum
    }

    let firstBin: [Int]
    let weights: [[Float]]
    var count: Int { weights.count }
    /// All filters' weights end to end, filter b's from `start[b]` to `start[b + 1]`: one buffer, so applying the
    /// bank retains no per-filter array (that was most of its time per frame).
    private let flatWeights: [Float]
    private let start: [Int]

    /// - Parameters:
    ///   - edges: `count + 2` increasing frequencies (Hz); filter `b` rises from `edges[b]` to a peak at
    ///     `edges[b + 1]` and falls to `edges[b + 2]`.
    ///   - binFrequency: Hz per bin.
    ///   - binCount: bins in the spectrum.
    init(edges: [Double], binFrequency: Double, binCount: Int, normalization: Normalization) {
        var firstBin: [Int] = []
        var weights: [[Float]] = []
        for band in 0..<(edges.count - 2) {
            let lower = edges[band], center = edges[band + 1], upper = edges[band + 2]
            let first = max(0, min(binCount - 1, Int((lower / binFrequency).rounded(.up))))
            let last = max(first, min(binCount - 1, Int((upper / binFrequency).rounded(.down))))
            var row = (first...last).map { k -> Double in
                let f = Double(k) * binFrequency
                return max(0, min((f - lower) / (center - lower), (upper - f) / (upper - center)))
            }
            switch normalization {
            case .area:
                row = row.map { $0 * 2 / (upper - lower) }
            case .unitSum:
                let sum = row.reduce(0, +)
                if sum > 0 { row = row.map { $0 / sum } }
            }
            firstBin.append(first)
            weights.append(row.map { Float($0) })
        }
        self.firstBin = firstBin
        self.weights = weights
        flatWeights = weights.flatMap { $0 }
        start = weights.reduce(into: [0]) { $0.append($0.last! + $1.count) }
    }

    /// Applies the filters to a spectrum (`binCount` values) and writes `count` band values.
    func apply(_ spectrum: UnsafePointer<Float>, into bands: UnsafeMutablePointer<Float>) {
        flatWeights.withUnsafeBufferPointer { w in
            firstBin.withUnsafeBufferPointer { first in
                start.withUnsafeBufferPointer { start in
                    for band in 0..<first.count {
                        let x = spectrum + first[band], weights = w.baseAddress! + start[band]
                        var sum: Float = 0
                        for j in 0..<(start[band + 1] - start[band]) { sum += weights[j] * x[j] }
                        bands[band] = sum
                    }
                }
            }
        }
    }
}
