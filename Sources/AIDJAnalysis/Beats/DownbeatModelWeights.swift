// Written by `aidj-bench train-downbeat` (λ = 0.001, start features 0.01, 5000 iterations)
// from downbeat-features.csv: bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
// training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
enum DownbeatModelWeights {
    static let triple: [Double] = [
        2.642314, 1.089711, 3.179633, 2.192747, 0.000000, 0.000000, 0.000000, 0.286660, -0.077535, -0.353516, 1.276215,
        1.317297, 1.796308, 0.123728,
    ]
    static let quadruple: [Double] = [
        0.444315, 1.783532, 2.869707, 0.733840, 1.547998, 1.848236, -0.491491, 0.748354, 1.151133, -1.755097, 1.276215,
        1.317297, 1.796308, 0.123728,
    ]
    static let tripleBias = -1.506203
}
