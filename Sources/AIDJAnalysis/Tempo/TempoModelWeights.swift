// Written by `aidj-bench train-tempo` (λ = 0.001, 2000 iterations) from tf2.csv: metrical-level
// candidates that aidj extracted from renders of Benchmarks/datasets/, training half of the pieces.
// Regenerate rather than edit. Order: MetricalLevelModel.featureNames.
enum TempoModelWeights {
    static let weights: [Double] = [
        0.247622, -2.490133, -0.041475, 3.479307, 1.071323, -0.377325, 5.150259, 0.269070, -5.281937, -6.641390, -0.956098, 0.054740, 1.633944, -0.401483, -1.105924, 1.866261, 1.227375, 5.051935, 5.617356,
    ]
}
