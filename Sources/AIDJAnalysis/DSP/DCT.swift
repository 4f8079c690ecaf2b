import Foundation

/// The orthonormal DCT-II as a matrix (`outputCount × inputCount`, row-major), as `scipy.fft.dct(norm='ortho')`:
/// y[k] = s(k) Σ x[n] cos(π k (2n + 1) / 2N), s(0) = √(1/N), s(k>0) = √(2/N).
public struct DCTMatrix: Sendable {
    public let inputCount: Int
    public let outputCount: Int
    public let matrix: [Float]

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
    }

    /// y = D x.
    public func apply(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        matrix.withUnsafeBufferPointer { m in
            for k in 0..<outputCount {
                var sum: Float = 0
                let row = m.baseAddress! + k * inputCount
                for i in 0..<inputCount { sum += row[i] * input[i] }
                output[k] = sum
            }
        }
    }
}
