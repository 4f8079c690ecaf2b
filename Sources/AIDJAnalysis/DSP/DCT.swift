import Foundation

/// The orthonormal DCT-II as a matrix (`outputCount × inputCount`, row-major), as `scipy.fft.dct(norm='ortho')`:
/// y[k] = s(k) Σ x[n] cos(π k (2n + 1) / 2N), s(0) = √(1/N), s(k>0) = √(2/N).
public struct DCTMatrix: Sendable {
    public let inputCount: Int
    public let outputCount: Int
    public let matrix: [Float]
    /// The rows in groups of four, interleaved: `grouped[g · inputCount + i]` holds column i of rows 4g…4g+3.
    private let grouped: [SIMD4<Float>]

    public init(inputCount: Int, outputCount: Int) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        var matrix = [Float](repeating: 0, count: inputCount * outputCount)
        let n = Double(inputCount)
        for k in 0..<outputCount {
            let scale = k == 0 ? sqrt(1 / n) : sqrt(2 / n)
            for i in 0..<inputCount {
                matrix[k * inputCount + i] = Float(scale * cos(Double.pi * Double(k) * (2 * Double(i) + 1) / (2 * n)))
            }
        }
        self.matrix = matrix
        grouped = (0..<outputCount / 4).flatMap { g in
            (0..<inputCount).map { i in SIMD4<Float>((0..<4).map { matrix[(4 * g + $0) * inputCount + i] }) }
        }
    }

    /// y = D x.
    ///
    /// Four rows at a time, one per lane: each row's products are summed in the order of i, as one row at a time
    /// would, so the values are the same; the four sums run independently instead of one waiting on the next.
    public func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        let groups = outputCount / 4
        grouped.withUnsafeBufferPointer { g in
            for group in 0..<groups {
                var sums = SIMD4<Float>(repeating: 0)
                let columns = g.baseAddress! + group * inputCount
                for i in 0..<inputCount { sums += columns[i] * input[i] }
                for lane in 0..<4 { output[4 * group + lane] = sums[lane] }
            }
        }
        matrix.withUnsafeBufferPointer { m in
            for k in (4 * groups)..<outputCount {
                var sum: Float = 0
                let row = m.baseAddress! + k * inputCount
                for i in 0..<inputCount { sum += row[i] * input[i] }
                output[k] = sum
            }
        }
    }
}
