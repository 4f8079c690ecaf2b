import CFFTW
import Foundation

/// The inverse of ``RealFFT``: a complex-to-real FFT of a fixed size with FFTW (single precision), owning its
/// aligned buffers and plan.
///
/// Create one per worker (planning takes the global planner lock); execute it freely. Not `Sendable`.
public final class RealInverseFFT {
    /// Transform length in samples (> 0).
    public let size: Int
    /// Number of complex bins: `size / 2 + 1`.
    public let binCount: Int
    /// Interleaved re/im of `binCount` bins of a Hermitian spectrum; write them before ``execute()``.
    public let input: UnsafeMutablePointer<Float>
    /// `size` real samples after ``execute()``, unnormalized as FFTW: x[n] = Σ X[k] e^(2πikn/N), so N times the
    /// inverse DFT.
    public let output: UnsafeMutablePointer<Float>
    private let complexInput: UnsafeMutablePointer<fftwf_complex>
    private let plan: fftwf_plan

    /// - Parameter size: transform length in samples, ≥ 2 (planned with ``fftwPlanFlags``).
    public init(size: Int) {
        precondition(size >= 2, "FFT size must be at least 2")
        self.size = size
        binCount = size / 2 + 1
        let complexInput = fftwf_alloc_complex(size / 2 + 1)!
        let output = fftwf_alloc_real(size)!
        self.complexInput = complexInput
        self.output = output
        input = UnsafeMutableRawPointer(complexInput).bindMemory(to: Float.self, capacity: 2 * binCount)
        plan = fftwPlannerLock.withLock { fftwf_plan_dft_c2r_1d(Int32(size), complexInput, output, fftwPlanFlags)! }
        input.initialize(repeating: 0, count: 2 * binCount)
    }

    deinit {
        fftwPlannerLock.withLock { fftwf_destroy_plan(plan) }
        fftwf_free(complexInput)
        fftwf_free(output)
    }

    /// Transforms ``input`` into ``output``. FFTW's complex-to-real transform destroys its input.
    public func execute() {
        fftwf_execute(plan)
    }
}
