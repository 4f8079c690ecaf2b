// Written by `aidj-bench train-key` (λ = 0.001, 1500 iterations) from kf2.csv: key profiles that
// aidj extracted from renders of Benchmarks/datasets/scores.py and grooves.py, training half of the pieces.
// Regenerate rather than edit. Order per mode: treble, bass; tonic first.
enum KeyModelWeights {
    static let weights: [[Double]] = [
        [
            2.786237, -0.392837, 0.419486, -1.691454, 0.620001, 0.558100,
            -0.992417, 1.936268, -1.038425, -1.132606, -1.465356, 1.979690,
            1.763503, -0.874317, -0.084157, -0.758017, 0.386394, 0.077083,
            -0.555729, 1.305706, -0.412342, 0.408899, -2.028557, 0.623815,
        ],
        [
            2.110401, -3.712249, 0.814446, 1.849339, -2.574875, -1.203762,
            -0.604873, 2.059154, 1.777165, -1.369574, 0.121830, 0.907763,
            3.008990, -1.347620, -0.535571, 0.431821, 0.258554, -0.548899,
            -0.147802, 1.345721, -1.154145, -0.676837, 0.076543, -0.153268,
        ],
    ]
    static let biases: [Double] = [0.661612, -0.661612]
}
