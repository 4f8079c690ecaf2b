public import AIDJCore
import AIDJLearning
import Foundation

/// Samples melodies from a model: temperature, top-k, an optional key (out-of-scale notes are never chosen),
/// and a primer to continue. The same seed gives the same melody.
public struct MelodyGenerator {
    public var temperature: Float = 1
    /// Keep only the k most likely tokens (0: all).
    public var topK = 0
    /// Restrict notes to this key's scale: the major scale, or for minor the natural minor plus its raised 6th and
    /// 7th (melodic and harmonic minor).
    public var key: MusicalKey?
    public var seed: UInt64 = 1

    public init() {}

    /// Pitch classes allowed in `key`.
    public static func scale(of key: MusicalKey) -> Set<Int> {
        let degrees = key.mode == .major ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 9, 10, 11]
        return Set(degrees.map { ($0 + key.tonic) % 12 })
    }

    /// Generates `steps` events after `primer` (the model first hears the separator, then the primer).
    ///
    /// - Returns: the new events only; they end with a note-off if a note is still sounding.
    public func generate(model: MelodyModel, steps: Int, primer: [Int32] = []) -> [Int32] {
        let network = model.network
        var state = LSTMLanguageModel.State(configuration: network.configuration, batch: 1)
        var random = SplitMix64(scrambling: seed)
        let context = MelodyModel.separator + primer
        var logits: [Float] = []
        for token in context { logits = network.step([token], state: &state) }
        let allowed = key.map(Self.scale(of:))
        var sounding = primer.last(where: { $0 != Melody.hold }).map { $0 >= 2 } ?? false
        var output: [Int32] = []
        for _ in 0..<steps {
            let token = sample(logits, allowed: allowed, sounding: sounding, random: &random)
            output.append(token)
            if token != Melody.hold { sounding = token >= 2 }
            logits = network.step([token], state: &state)
        }
        if sounding { output.append(Melody.noteOff) }
        return output
    }

    func sample(_ logits: [Float], allowed: Set<Int>?, sounding: Bool, random: inout SplitMix64) -> Int32 {
        var candidates: [(token: Int32, logit: Float)] = []
        for (k, logit) in logits.enumerated() {
            let token = Int32(k)
            if let pitch = Melody.pitch(token: token), let allowed, !allowed.contains(pitch % 12) { continue }
            if token == Melody.noteOff && !sounding { continue }  // nothing to end: a note-off would mean a hold
            candidates.append((token, logit / max(temperature, 1e-3)))
        }
        if topK > 0 && candidates.count > topK {
            candidates = Array(candidates.sorted { $0.logit > $1.logit }.prefix(topK))
        }
        let maximum = candidates.map(\.logit).max() ?? 0
        let weights = candidates.map { Double(exp($0.logit - maximum)) }
        var r = Double(random.uniform()) * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            r -= w
            if r < 0 { return candidates[i].token }
        }
        return candidates.last?.token ?? Melody.hold
    }
}
