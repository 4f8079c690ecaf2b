import Foundation

/// A 4th-order Linkwitz–Riley crossover (Linkwitz 1976): the low band is two cascaded 2nd-order Butterworth
/// low-passes, the high band two cascaded 2nd-order Butterworth high-passes, each falling 24 dB/octave past the
/// crossover frequency, where both sit at −6 dB.
///
/// The two bands are in phase at every frequency and sum to an all-pass: |low + high| = 1, with a phase shift
/// that is the same for every track sent through the same crossover. So the mixer sends each deck through its
/// own crossover for the whole time it plays, and two decks stay phase-matched to each other through a blend.
/// (Taking the high band as the signal minus a low-pass, as an earlier version did, does not remove the lows: the
/// low-pass shifts their phase, and the difference kept 50–150 Hz at −0.6 to +4 dB.)
struct Crossover {
    /// A 2nd-order Butterworth section (RBJ "Audio EQ Cookbook" low- or high-pass, Q = 1/√2), transposed direct
    /// form II.
    struct Biquad {
        var b0: Float, b1: Float, b2: Float, a1: Float, a2: Float
        var z1: Float = 0, z2: Float = 0

        init(frequency: Double, sampleRate: Double, highPass: Bool) {
            let w = 2 * Double.pi * frequency / sampleRate
            let alpha = sin(w) / (2 * 0.5.squareRoot())
            let a0 = 1 + alpha
            let c = cos(w)
            if highPass {
                b0 = Float((1 + c) / 2 / a0)
                b1 = Float(-(1 + c) / a0)
            } else {
                b0 = Float((1 - c) / 2 / a0)
                b1 = Float((1 - c) / a0)
            }
            b2 = b0
            a1 = Float(-2 * c / a0)
            a2 = Float((1 - alpha) / a0)
        }

        @inline(__always) mutating func process(_ x: Float) -> Float {
            let y = b0 * x + z1
            z1 = b1 * x - a1 * y + z2
            z2 = b2 * x - a2 * y
            return y
        }
    }

    /// Crossover frequency (Hz): below it is the bass that the swap hands from one track to the other.
    static let defaultFrequency = 150.0

    private var low1: Biquad, low2: Biquad, high1: Biquad, high2: Biquad

    init(frequency: Double = Crossover.defaultFrequency, sampleRate: Double) {
        low1 = Biquad(frequency: frequency, sampleRate: sampleRate, highPass: false)
        low2 = low1
        high1 = Biquad(frequency: frequency, sampleRate: sampleRate, highPass: true)
        high2 = high1
    }

    /// The next sample's low and high bands.
    @inline(__always) mutating func process(_ x: Float) -> (low: Float, high: Float) {
        (low2.process(low1.process(x)), high2.process(high1.process(x)))
    }
}
