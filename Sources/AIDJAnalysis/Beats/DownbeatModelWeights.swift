// Written by `aidj-bench train-downbeat` (λ = 0.001, start features 0.01, 5000 iterations)
// from downbeat-features.csv: bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
// training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
enum DownbeatModelWeights {
    static let triple: [Double] = [
        2.015381, 1.095840, 3.459312, 1.135846, 0.000000, 0.000000, 0.000000, 0.885387, 1.045839, -1.931226, 1.321086,
        0.813128, 1.712630, 0.872927,
    ]
    static let quadruple: [Double] = [
        0.798807, 3.484619, 0.739230, 0.246094, 2.378053, 0.674057, 0.095730, 0.885387, 1.045839, -1.931226, 1.321086,
        0.813128, 1.712630, 0.872927,
    ]
    static let tripleBias = -1.981157
}
