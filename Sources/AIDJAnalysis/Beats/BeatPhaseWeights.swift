// Written by `aidj-bench train-phase` (λ = 0.01, 2000 iterations, margin 0.3) from phase-features.csv:
// BeatPhase features of the labelled beats of the development sets (Benchmarks/datasets/), training
// half of the pieces. Regenerate rather than edit. Entries: BeatPhase.featureNames.
enum BeatPhaseWeights {
    static let weights: [Double] = [1.697848, 1.271324, 1.336406, 0.172171, -0.303204, 0.061898, 1.939678]
    static let margin = 0.3
}
