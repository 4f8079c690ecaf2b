import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): seedable, identical on every platform, so a seed fixes weights,
/// batches and samples bit for bit.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed ^ 0x5DEE_CE66_D1CE_4E5B }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Float { Float(next() >> 40) * 0x1.0p-24 }

    /// Uniform in [−bound, bound).
    public mutating func uniform(bound: Float) -> Float { (uniform() * 2 - 1) * bound }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        let u = max(uniform(), 1e-7), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Float.pi * v)
    }
}
