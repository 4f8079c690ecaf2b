// Written by `aidj-bench train-downbeat` (λ = 0.001, start features 0.01, 5000 iterations)
// from downbeat-features.csv: bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
// training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
enum DownbeatModelWeights {
    static let triple: [Double] = [
        3.090286, 0.087943, 3.141263, 3.637254, 0.000000, 0.000000, 0.000000, 0.362431, 0.013158, -0.518807, -0.276824,
        0.429534, -0.080500, 0.742970,
    ]
    static let quadruple: [Double] = [
        0.744847, 2.003951, 2.544576, 1.429013, 0.920392, 2.030190, 0.280925, 0.734142, 1.211159, -1.802083, -0.276824,
        0.429534, -0.080500, 0.742970,
    ]
    static let tripleBias = -1.677909
}
