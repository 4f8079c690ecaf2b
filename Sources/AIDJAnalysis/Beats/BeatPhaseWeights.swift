// Written by `aidj-bench train-phase` (λ = 0.01, 2000 iterations) from phase-dev.csv:
// BeatPhase features of the labelled beats of the development sets (Benchmarks/datasets/), training
// half of the pieces. Regenerate rather than edit. Entries: BeatPhase.featureNames.
enum BeatPhaseWeights {
    static let weights: [Double] = [2.405941, 1.515636, 1.384131, 0.173686, -0.293700, -0.213710]
    static let margin = 0.3
}
