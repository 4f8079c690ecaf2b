import AIDJCore
import Foundation

/// A key classifier over pitch-class profiles: a multinomial logistic model over the 24 keys whose weights are
/// shared across the 12 tonics of each mode, so it is a pair of learned key templates — one for major, one for
/// minor — matched against the profiles rotated to each candidate tonic.
///
/// Key templates estimated from data rather than from listening tests follow Faraldo, Gómez, Jordà & Herrera
/// (2016, "Key estimation in electronic dance music", ECIR), whose edma/bgate profiles are averaged chroma of
/// labelled tracks. Here the templates are fitted discriminatively (cross-entropy over the 24 keys), which lets
/// them absorb what the chroma front end adds to each degree — the 3rd harmonic of every tone lands on its fifth,
/// the classic dominant bias of template matching (Gómez 2006, §4.2) — and they span two profiles, treble and bass
/// (the bass carries the chord roots that tell a key from its relative and its dominant). Sharing the weights across tonics is the same as training on every transposition
/// of every example (key-rotation augmentation), so 24 keys are learned from a few hundred pieces.
///
/// Inputs are `log(p + floor)` of each normalized profile. There are two models: ``trained`` reads the whole
/// track's treble and bass; ``trainedWithEnding`` reads those and the treble and bass of the ending, for tracks that
/// end (``KeyProfiles/hasEnding``). The weights live in `KeyModelWeights.swift`, written by `aidj-bench train-key`
/// from features of the development sets (`Benchmarks/datasets/`).
public struct KeyModel: Sendable {
    /// Added to each normalized profile value before the log (a quiet degree is 1 % of the profile): keeps
    /// absent pitch classes from dominating through −∞.
    public static let logFloor = 0.01

    /// Weights per mode (major first), `inputCount` each (whole treble, whole bass, then ending treble and ending
    /// bass when the model reads the ending; tonic first), and a bias per mode.
    public var weights: [[Double]]
    public var biases: [Double]
    /// The profiles the model reads, 12 values each: 2 (treble, bass) or 4 (and the ending's treble, bass).
    public let profileCount: Int
    public var readsEnding: Bool { profileCount == 4 }
    public var inputCount: Int { profileCount * 12 }

    public init(weights: [[Double]], biases: [Double]) {
        precondition(weights.count == 2 && [24, 48].contains(weights[0].count), "2 × 24 or 2 × 48 weights")
        precondition(weights[1].count == weights[0].count && biases.count == 2, "a bias per mode")
        self.weights = weights
        self.biases = biases
        self.profileCount = weights[0].count / 12
    }

    /// The model shipped with aidj for tracks read as a whole.
    public static let trained = KeyModel(weights: KeyModelWeights.weights, biases: KeyModelWeights.biases)
    /// The model shipped with aidj for tracks that end.
    public static let trainedWithEnding = KeyModel(
        weights: KeyModelWeights.endingWeights, biases: KeyModelWeights.endingBiases)

    /// The log profiles, `profileCount` × 12 values, not yet rotated.
    public func inputs(_ p: KeyProfiles) -> [Double] {
        let profiles = readsEnding ? p.treble + p.bass + p.endingTreble + p.endingBass : p.treble + p.bass
        return profiles.map { log($0 + Self.logFloor) }
    }

    /// The inputs rotated so that index 0 of every profile is pitch class `tonic`.
    public static func rotated(_ inputs: [Double], tonic: Int) -> [Double] {
        var out = [Double](repeating: 0, count: inputs.count)
        for block in 0..<(inputs.count / 12) {
            for i in 0..<12 { out[block * 12 + i] = inputs[block * 12 + (i + tonic) % 12] }
        }
        return out
    }

    /// Scores (logits) of the 24 keys in the order of `MusicalKey.all` (majors C…B, then minors C…B).
    public func logits(_ profiles: KeyProfiles) -> [Double] {
        let x = inputs(profiles)
        return MusicalKey.all.map { key in
            let mode = key.mode == .major ? 0 : 1
            let r = Self.rotated(x, tonic: key.tonic)
            var s = biases[mode]
            for i in r.indices { s += weights[mode][i] * r[i] }
            return s
        }
    }

    /// Probabilities of the 24 keys (softmax of the logits), summing to 1.
    public func probabilities(_ profiles: KeyProfiles) -> [Double] {
        Self.softmax(logits(profiles))
    }

    static func softmax(_ z: [Double]) -> [Double] {
        let top = z.max() ?? 0
        let e = z.map { exp($0 - top) }
        let total = e.reduce(0, +)
        let p = e.map { $0 / total }
        assert(abs(p.reduce(0, +) - 1) < 1e-9, "softmax sums to 1")
        return p
    }
}
