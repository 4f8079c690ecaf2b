// Written by `aidj-bench train-phase` (λ = 0.01, 2000 iterations, margin 0.3) from phase-features.csv:
// BeatPhase features of the labelled beats of the development sets (Benchmarks/datasets/), training
// half of the pieces. Regenerate rather than edit. Entries: BeatPhase.featureNames.
enum BeatPhaseWeights {
    static let weights: [Double] = [2.495582, 1.458081, 1.394170, 0.240031, -0.192183, -0.098869]
    static let margin = 0.3
}
