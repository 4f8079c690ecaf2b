/// Vectorized sigmoid and tanh for the LSTM cell: libm's `expf`/`tanhf` are called one value at a time and were a
/// fifth of training time (perf).
///
/// exp: range reduction x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6 Taylor polynomial for e^r (relative error
/// below 2e-7 on that range), and 2^n assembled in the exponent bits (Cody & Waite 1980, as in Cephes' `expf`).
/// Inputs are clamped to ±87 so the result stays finite and nonzero.
enum FastMath {
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var clamped = x
        let low = SIMD8<Float>(repeating: -87), high = SIMD8<Float>(repeating: 87)
        clamped.replace(with: low, where: clamped .< low)  // `clamped(lowerBound:upperBound:)` is not specialized
        clamped.replace(with: high, where: clamped .> high)
        // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits (no float→int
        // conversion, which Swift's generic SIMD code does one lane at a time).
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        // r = x − n·ln2 in two steps (high and low parts of ln 2) to keep r exact.
        let r = clamped - n * 0.693_145_751_953_125 - n * 1.428_606_765_330_187e-6
        var p = SIMD8<Float>(repeating: 1.0 / 720)
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return p * unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + exp(-x))
    }

    /// tanh x = 2σ(2x) − 1.
    @inline(__always)
    static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
        2 / (1 + exp(-2 * x)) - 1
    }
}
