// Written by `aidj-bench train-downbeat` (λ = 0.001, start features 0.01, 5000 iterations)
// from downbeat-features.csv: bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
// training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
enum DownbeatModelWeights {
    static let triple: [Double] = [
        3.048099, 0.473577, 2.996840, 3.736644, 0.000000, 0.000000, 0.000000, 0.375503, -0.006309, -0.511530, -0.264975,
        0.517080, -0.181555, 0.762034,
    ]
    static let quadruple: [Double] = [
        0.780804, 2.031034, 2.560215, 1.398532, 0.911721, 2.104539, 0.241387, 0.739617, 1.211280, -1.808561, -0.264975,
        0.517080, -0.181555, 0.762034,
    ]
    static let tripleBias = -1.650709
}
