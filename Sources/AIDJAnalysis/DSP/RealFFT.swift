import CFFTW
import Foundation

/// FFTW's planner is not thread-safe; executing distinct plans from several threads is.
/// Every plan in the process is created and destroyed under this lock.
let fftwPlannerLock = NSLock()

/// How every plan is made: FFTW_ESTIMATE, FFTW's heuristic choice of algorithm, the same on every run. FFTW_MEASURE
/// times candidate algorithms and keeps the fastest, so which one wins (and with it the last bits of each
/// transform) varied from run to run: the same file analysed twice read 119.00 or 119.01 BPM, its last beat 37 or
/// 38 ms from the reference (a chorale render, 3 of 9 runs). With the heuristic choice, repeated `aidj-bench eval`
/// runs are identical file by file; the STFT stage runs at 3,480× realtime instead of 4,117×, the whole analysis
/// at 338× instead of 349× (`aidj-bench speed`, WAV, one core).
let fftwPlanFlags = UInt32(FFTW_ESTIMATE)

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

    /// - Parameter size: transform length in samples, ≥ 2 (planned with ``fftwPlanFlags``).
    public init(size: Int) {
        precondition(size >= 2, "FFT size must be at least 2")
        self.size = size
        binCount = size / 2 + 1
        let input = fftwf_alloc_real(size)!
        let complexOutput = fftwf_alloc_complex(size / 2 + 1)!
        self.input = input
        self.complexOutput = complexOutput
        output = UnsafeMutableRawPointer(complexOutput).bindMemory(to: Float.self, capacity: 2 * binCount)
        plan = fftwPlannerLock.withLock { fftwf_plan_dft_r2c_1d(Int32(size), input, complexOutput, fftwPlanFlags)! }
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
