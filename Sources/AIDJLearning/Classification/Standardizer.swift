/// Per-feature standardization (z = (x − mean) / std), with statistics saved alongside a model so scoring uses
/// exactly the training scaling. Constant features get std 1, so they become 0 rather than NaN.
public struct Standardizer: Codable, Sendable, Equatable {
    public var mean: [Float]
    public var scale: [Float]

    /// Fits mean and (population) standard deviation over `rows` (each `dimension` values).
    public init(fitting rows: [[Float]]) {
        let dimension = rows.first?.count ?? 0
        var sums = [Double](repeating: 0, count: dimension), squares = sums
        for row in rows {
            for j in 0..<dimension {
                sums[j] += Double(row[j])
                squares[j] += Double(row[j]) * Double(row[j])
            }
        }
        let n = Double(max(rows.count, 1))
        mean = sums.map { Float($0 / n) }
        scale = (0..<dimension).map { j in
            let variance = max(0, squares[j] / n - (sums[j] / n) * (sums[j] / n))
            return variance > 1e-12 ? Float(variance.squareRoot()) : 1
        }
    }

    /// Statistics given directly.
    public init(mean: [Float], scale: [Float]) {
        precondition(mean.count == scale.count, "mean and scale differ in length")
        self.mean = mean
        self.scale = scale
    }

    /// This standardizer followed by `count` columns passed through unchanged (mean 0, scale 1): for inputs that
    /// are already on a unit scale, such as one-hot codes, whose rare values standardization would blow up.
    public func appendingIdentity(_ count: Int) -> Standardizer {
        Standardizer(
            mean: mean + [Float](repeating: 0, count: count), scale: scale + [Float](repeating: 1, count: count))
    }

    /// `row` with every column centred and scaled: (x − mean) / scale.
    public func transform(_ row: [Float]) -> [Float] {
        precondition(row.count == mean.count, "feature vector has \(row.count) values, the standardizer \(mean.count)")
        return (0..<row.count).map { (row[$0] - mean[$0]) / scale[$0] }
    }
}
