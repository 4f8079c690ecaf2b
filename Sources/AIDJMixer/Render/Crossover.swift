import Foundation

/// The low band of a Linkwitz–Riley crossover (two cascaded 2nd-order Butterworth low-passes, 24 dB/octave); the
/// high band is the signal minus the low band, so the two always sum back to the signal exactly.
struct LowBand {
    struct Biquad {
        var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
        var z1: Float = 0, z2: Float = 0

        /// RBJ cookbook low-pass (Bristow-Johnson, "Audio EQ Cookbook"), Q = 1/√2.
        init(lowPass frequency: Double, sampleRate: Double) {
            let w = 2 * Double.pi * frequency / sampleRate
            let alpha = sin(w) / (2 * 0.5.squareRoot())
            let a0 = 1 + alpha
            b0 = Float((1 - cos(w)) / 2 / a0)
            b1 = Float((1 - cos(w)) / a0)
            b2 = b0
            a1 = Float(-2 * cos(w) / a0)
            a2 = Float((1 - alpha) / a0)
        }

        mutating func process(_ x: Float) -> Float {
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            return y
        }
    }

    var first: Biquad
    var second: Biquad

    init(frequency: Double = 150, sampleRate: Double) {
        first = Biquad(lowPass: frequency, sampleRate: sampleRate)
        second = first
    }

    mutating func process(_ x: Float) -> Float { second.process(first.process(x)) }
}
