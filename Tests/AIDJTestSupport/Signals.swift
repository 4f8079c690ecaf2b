import AIDJAudio
import Foundation

/// Known-answer test signals.
public enum Signals {
    /// A sine of `frequency` Hz and peak `amplitude`, `seconds` long, on every channel.
    public static func sine(frequency: Double, seconds: Double, amplitude: Double = 0.5, sampleRate: Int = 44_100,
                            channels: Int = 1) -> AudioBuffer {
        let count = Int(seconds * Double(sampleRate))
        let samples = (0..<count).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
        return AudioBuffer(channels: Array(repeating: samples, count: channels), sampleRate: sampleRate)
    }

    /// Uniform white noise in [−amplitude, amplitude], seeded.
    public static func noise(seconds: Double, amplitude: Float = 0.3, sampleRate: Int = 22_050, seed: UInt64 = 1) -> AudioBuffer {
        var random = SeededRandom(seed: seed)
        let samples = (0..<Int(seconds * Double(sampleRate))).map { _ in amplitude * random.nextSigned() }
        return AudioBuffer(mono: samples, sampleRate: sampleRate)
    }

    public static func silence(seconds: Double, sampleRate: Int = 44_100, channels: Int = 2) -> AudioBuffer {
        AudioBuffer(channels: Array(repeating: [Float](repeating: 0, count: Int(seconds * Double(sampleRate))), count: channels),
                    sampleRate: sampleRate)
    }
}

/// SplitMix64 for test data.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func nextSigned() -> Float { Float(Double(next() >> 11) * 0x1.0p-53) * 2 - 1 }
}

/// Relative error |a − b| / max(|b|, tiny), as swift-numerics' test support measures it.
public func relativeError(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(b), 1e-300)
}

/// Beat F-measure with a ±`window` s tolerance (Dixon 2007; the MIREX convention is ±70 ms): each reference beat
/// can match one estimate.
public func beatFMeasure(estimated: [Double], reference: [Double], window: Double = 0.07) -> Double {
    guard !estimated.isEmpty, !reference.isEmpty else { return 0 }
    var used = Set<Int>()
    var hits = 0
    for e in estimated {
        if let j = reference.indices.first(where: { !used.contains($0) && abs(reference[$0] - e) <= window }) {
            used.insert(j)
            hits += 1
        }
    }
    let precision = Double(hits) / Double(estimated.count), recall = Double(hits) / Double(reference.count)
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
}
