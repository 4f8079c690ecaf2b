/// Mean and (population) standard deviation of a stream of vectors, accumulated in Double (Welford's method,
/// Welford 1962) so hour-long files lose no precision.
public struct RunningStatistics: Sendable {
    public private(set) var count = 0
    private var means: [Double]
    private var squares: [Double]

    public init(dimension: Int) {
        means = [Double](repeating: 0, count: dimension)
        squares = [Double](repeating: 0, count: dimension)
    }

    public mutating func add(_ values: UnsafePointer<Float>) {
        count += 1
        let n = Double(count)
        for i in 0..<means.count {
            let x = Double(values[i])
            let delta = x - means[i]
            means[i] += delta / n
            squares[i] += delta * (x - means[i])
        }
    }

    public mutating func add(_ values: [Float]) {
        values.withUnsafeBufferPointer { add($0.baseAddress!) }
    }

    public var mean: [Float] { means.map(Float.init) }
    public var standardDeviation: [Float] {
        squares.map { count > 0 ? Float(($0 / Double(count)).squareRoot()) : 0 }
    }
}
