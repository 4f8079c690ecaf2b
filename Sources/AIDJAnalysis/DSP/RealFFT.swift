import CFFTW
import Foundation

/// FFTW's planner is not thread-safe; executing distinct plans from several threads is.
/// Every plan in the process is created and destroyed under this lock.
let fftwPlannerLock = NSLock()

/// A forward real-to-complex FFT of a fixed size with FFTW (single precision), owning its aligned buffers and plan.
///
/// Create one per worker (planning takes the global planner lock); execute it freely. Not `Sendable`.
public final class RealFFT {
    /// Transform length in samples (> 0; fastest for products of small primes).
    public let size: Int
    /// Number of complex bins: `size / 2 + 1`.
    public let binCount: Int
    /// The time-domain input; write `size` samples here before ``execute()``.
    public let input: UnsafeMutablePointer<Float>
    /// Interleaved re/im of `binCount` bins after ``execute()``.
    public let output: UnsafeMutablePointer<Float>
    private let complexOutput: UnsafeMutablePointer<fftwf_complex>
    private let plan: fftwf_plan

    /// - Parameters:
    ///   - size: transform length in samples, ≥ 2.
    ///   - measured: plan with FFTW_MEASURE (times candidate algorithms, tens of ms per size and process; best for
    ///     long runs) rather than FFTW_ESTIMATE (instant; for a one-shot command on a short signal).
    public init(size: Int, measured: Bool = true) {
        precondition(size >= 2, "FFT size must be at least 2")
        self.size = size
        binCount = size / 2 + 1
        let input = fftwf_alloc_real(size)!
        let complexOutput = fftwf_alloc_complex(size / 2 + 1)!
        self.input = input
        self.complexOutput = complexOutput
        output = UnsafeMutableRawPointer(complexOutput).bindMemory(to: Float.self, capacity: 2 * binCount)
        // FFTW_MEASURE overwrites the buffers while planning, so plan before anything is written to them.
        plan = fftwPlannerLock.withLock {
            fftwf_plan_dft_r2c_1d(Int32(size), input, complexOutput, UInt32(measured ? FFTW_MEASURE : FFTW_ESTIMATE))!
        }
        input.initialize(repeating: 0, count: size)
    }

    deinit {
        fftwPlannerLock.withLock { fftwf_destroy_plan(plan) }
        fftwf_free(input)
        fftwf_free(complexOutput)
    }

    /// Transforms ``input`` into ``output`` (unnormalized, as FFTW: X[k] = Σ x[n] e^(−2πikn/N)).
    public func execute() {
        fftwf_execute(plan)
    }

    /// Writes |X[k]|² for every bin into `power` (room for ``binCount``) after ``execute()``.
    public func powerSpectrum(into power: UnsafeMutablePointer<Float>) {
        for k in 0..<binCount {
            let re = output[2 * k]
            let im = output[2 * k + 1]
            power[k] = re * re + im * im
        }
    }
}
