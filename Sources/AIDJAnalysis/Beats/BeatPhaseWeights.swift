// Written by `aidj-bench train-phase` (λ = 0.01, 2000 iterations, margin 0.3) from phase-features.csv:
// BeatPhase features of the labelled beats of the development sets (Benchmarks/datasets/), training
// half of the pieces. Regenerate rather than edit. Entries: BeatPhase.featureNames.
enum BeatPhaseWeights {
    static let weights: [Double] = [1.780410, 1.058781, 1.212939, 0.031121, -0.442438, -0.107766, 1.805672]
    static let margin = 0.3
}
