// Written by `aidj-bench train-downbeat` (λ = 0.001, start features 0.01, 5000 iterations)
// from downbeat-features.csv: bar readings that aidj extracted from the development sets (Benchmarks/datasets/),
// training half of the pieces. Regenerate rather than edit. Entries: DownbeatModel.featureNames.
enum DownbeatModelWeights {
    static let triple: [Double] = [
        2.158178, 1.519123, 3.039980, 1.148840, 0.000000, 0.000000, 0.000000, 0.447643, -0.125099, -0.461486, 1.370060,
        0.897015, 1.689860, 0.882294,
    ]
    static let quadruple: [Double] = [
        0.811292, 3.499106, 0.624835, 0.301636, 2.343485, 0.600817, 0.121442, 0.819519, 1.192026, -1.872602, 1.370060,
        0.897015, 1.689860, 0.882294,
    ]
    static let tripleBias = -1.502704
}
