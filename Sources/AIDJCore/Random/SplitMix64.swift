import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a small seedable generator that gives the same sequence on every
/// platform, so a seed fixes synthesized signals, model weights, batches and samples bit for bit.
///
/// The one generator of the project: synthesis, learning, sequencing jitter and the benchmarks' fits all draw
/// from it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The golden-ratio increment of the state (2⁶⁴ / φ).
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15
    /// XORed into a seed by ``init(scrambling:)``.
    static let scramble: UInt64 = 0x5DEE_CE66_D1CE_4E5B

    private var state: UInt64

    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator whose state starts at `seed` XOR a fixed constant: the seeding of the learning code (model
    /// initialization, batches, dropout, sampling), kept so a stored seed still gives the same model.
    public init(scrambling seed: UInt64) { state = seed ^ Self.scramble }

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        return Self.mix(state)
    }

    /// The SplitMix64 finalizer: a bijective avalanche of 64 bits, usable as a hash of a seed and indices.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 bits.
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Uniform in [−bound, bound).
    public mutating func uniform(bound: Float) -> Float { (uniform() * 2 - 1) * bound }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        let u = max(uniform(), 1e-7), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Float.pi * v)
    }

    /// Uniform in [−1, 1) with 53 bits before rounding to Float: white noise for synthesis.
    public mutating func noise() -> Float {
        Float(Double(next() >> 11) * 0x1.0p-53) * 2 - 1
    }

    /// Uniform in the open interval (0, 1), in double precision.
    public mutating func openUniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }

    /// Standard normal in double precision (Box–Muller over ``openUniform()``).
    public mutating func normalDouble() -> Double {
        (-2 * log(openUniform())).squareRoot() * cos(2 * .pi * openUniform())
    }
}
