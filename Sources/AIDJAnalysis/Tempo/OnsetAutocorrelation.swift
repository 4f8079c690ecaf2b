/// The autocorrelation of an onset-strength envelope after removing its local mean, the periodicity function
/// that tempo estimation and pulse clarity read.
public struct OnsetAutocorrelation: Sendable {
    /// Envelope frames per second.
    public let frameRate: Double
    /// r[lag] for lag 0…maxLag frames, normalized so r[0] = 1 (unbiased: each lag divided by its overlap).
    public let values: [Double]

    /// - Parameters:
    ///   - onset: onset-strength envelope.
    ///   - frameRate: frames per second.
    ///   - maxLagSeconds: longest period considered (s). Default 6 (four beats at 40 BPM).
    public init(onset: [Float], frameRate: Double, maxLagSeconds: Double = 6) {
        self.frameRate = frameRate
        let detrended = Self.detrend(onset, window: Int(frameRate))
        let n = detrended.count
        let maxLag = min(Int(maxLagSeconds * frameRate), max(n - 1, 0))
        var r = [Double](repeating: 0, count: maxLag + 1)
        detrended.withUnsafeBufferPointer { x in
            for (lag, sum) in Self.lagSums(x.baseAddress!, count: n, maxLag: maxLag, as: Float.self).enumerated() {
                r[lag] = n > lag ? Double(sum) / Double(n - lag) : 0  // an empty envelope reads 0, not 0/0
            }
        }
        let zero = r.first ?? 0
        values = zero > 0 ? r.map { $0 / zero } : r
    }

    /// Σ_{i < count − lag} x[i] · x[i + lag] for lag 0…`maxLag` (< `count`): each product in single precision,
    /// summed in `A` (Float here, Double for ``TempoCurve``'s window sums) in the order of i.
    ///
    /// Four lags at a time, one per lane: the terms all four lags have are summed in SIMD, then each lane's
    /// remaining terms, still in the order of i, so every sum is the one a lag at a time forms; the four run
    /// independently instead of each add waiting on the last.
    ///
    /// Inlined, so that each caller gets it specialized: left generic, every lane operation went through `A`.
    @inline(__always)
    static func lagSums<A: BinaryFloatingPoint & SIMDScalar>(
        _ x: UnsafePointer<Float>, count n: Int, maxLag: Int, as _: A.Type
    ) -> [A] {
        var sums = [A](repeating: 0, count: maxLag + 1)
        var lag = 0
        while lag + 4 <= maxLag + 1 {
            var lanes = SIMD4<A>(repeating: 0)
            for i in 0..<(n - lag - 3) {
                let products = SIMD4<Float>(repeating: x[i]) * VectorMath.load4(x + i + lag)
                lanes += SIMD4<A>(products)
            }
            for j in 0..<4 {
                var sum = lanes[j]
                for i in (n - lag - 3)..<(n - lag - j) { sum += A(x[i] * x[i + lag + j]) }
                sums[lag + j] = sum
            }
            lag += 4
        }
        while lag <= maxLag {
            var sum: A = 0
            for i in 0..<(n - lag) { sum += A(x[i] * x[i + lag]) }
            sums[lag] = sum
            lag += 1
        }
        return sums
    }

    /// r at a fractional lag (frames), linearly interpolated; 0 beyond the computed range.
    public func value(atLag lag: Double) -> Double {
        guard lag >= 0 else { return 0 }
        let i = Int(lag)
        guard i + 1 < values.count else { return 0 }
        let f = lag - Double(i)
        return values[i] * (1 - f) + values[i + 1] * f
    }

    /// The largest r within ±`tolerance` frames of `lag`: periodicity peaks are narrow and sampled coarsely
    /// (a beat at 120 BPM is 21.5 frames), so reading the exact lag alone would miss them.
    public func peak(nearLag lag: Double, tolerance: Double = 1) -> Double {
        var best = value(atLag: lag)
        var step = -tolerance
        while step <= tolerance {
            best = max(best, value(atLag: lag + step))
            step += 0.25
        }
        return best
    }

    /// Subtracts a centred moving average of `window` frames and keeps the positive part: accents stand out
    /// from slow loudness changes, which would otherwise dominate every lag.
    static func detrend(_ x: [Float], window: Int) -> [Float] {
        let n = x.count
        guard n > 0 else { return [] }
        let half = max(window / 2, 1)
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + Double(x[i]) }
        return (0..<n).map { i in
            let lo = max(0, i - half), hi = min(n, i + half + 1)
            let mean = (prefix[hi] - prefix[lo]) / Double(hi - lo)
            return max(0, x[i] - Float(mean))
        }
    }
}
