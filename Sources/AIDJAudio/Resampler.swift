import CSoxr

/// Streaming mono sample-rate conversion with libsoxr.
///
/// Feed blocks with ``process(_:count:output:)`` and call ``flush(output:)`` once at the end; the output of all
/// calls together is the resampled signal, aligned with the input (soxr compensates its filter delay).
public final class Resampler {
    /// Quality presets of libsoxr. Analysis uses `.medium` (soxr "MQ": 16-bit-clean passband to ~ 91 % of Nyquist),
    /// since the features it feeds stop well below 11 kHz; renders use `.high` ("HQ", 20-bit).
    public enum Quality: Sendable {
        case quick, low, medium, high, veryHigh

        var recipe: UInt {
            switch self {
            case .quick: UInt(SOXR_QQ)
            case .low: UInt(SOXR_LQ)
            case .medium: UInt(SOXR_MQ)
            case .high: UInt(SOXR_HQ)
            case .veryHigh: UInt(SOXR_VHQ)
            }
        }
    }

    public let inputRate: Double
    public let outputRate: Double
    /// What errors name: the file being resampled, else the conversion.
    public let source: String
    private let handle: soxr_t?
    private var scratch: [Float] = []

    /// - Parameters:
    ///   - inputRate: Hz, > 0.
    ///   - outputRate: Hz, > 0. Equal rates pass samples through untouched.
    ///   - source: the file the samples come from, named by errors.
    /// - Throws: `AudioError` when libsoxr cannot make the converter.
    public init(inputRate: Double, outputRate: Double, quality: Quality = .medium, source: String? = nil)
        throws(AudioError)
    {
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.source = source ?? "\(inputRate) Hz → \(outputRate) Hz"
        if inputRate == outputRate {
            handle = nil
            return
        }
        var error: soxr_error_t?
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var quality = soxr_quality_spec(quality.recipe, 0)
        let created = soxr_create(inputRate, outputRate, 1, &error, &io, &quality, nil)
        guard let created, error == nil else {
            let reason = error.map { String(cString: $0) } ?? "unknown error"
            throw AudioError(.resample, path: self.source, reason: "libsoxr: \(reason)")
        }
        handle = created
    }

    deinit { if let handle { soxr_delete(handle) } }

    /// Resamples `count` samples and appends the output produced so far to `output`.
    ///
    /// - Throws: `AudioError` naming ``source`` when libsoxr reports an error.
    public func process(_ input: UnsafePointer<Float>, count: Int, output: inout [Float]) throws(AudioError) {
        guard let handle else {
            output.append(contentsOf: UnsafeBufferPointer(start: input, count: count))
            return
        }
        try run(handle, input: input, count: count, output: &output)
    }

    /// Drains the filter at the end of the stream.
    ///
    /// - Throws: `AudioError` naming ``source`` when libsoxr reports an error.
    public func flush(output: inout [Float]) throws(AudioError) {
        guard let handle else { return }
        try run(handle, input: nil, count: 0, output: &output)
    }

    private func run(_ handle: soxr_t, input: UnsafePointer<Float>?, count: Int, output: inout [Float])
        throws(AudioError)
    {
        let capacity = Int(Double(count) * outputRate / inputRate) + 1024
        if scratch.count < capacity { scratch = [Float](repeating: 0, count: capacity) }
        var consumed = 0
        repeat {
            var used = 0
            var produced = 0
            let error = scratch.withUnsafeMutableBufferPointer { out in
                soxr_process(
                    handle, input.map { UnsafeRawPointer($0 + consumed) }, count - consumed, &used,
                    out.baseAddress, capacity, &produced)
            }
            if let error { throw AudioError(.resample, path: source, reason: "libsoxr: " + String(cString: error)) }
            output.append(contentsOf: scratch[0..<produced])
            consumed += used
            // Flushing: keep draining while soxr still produces; streaming: until all input is taken.
            if input == nil ? produced == 0 : consumed >= count { break }
        } while true
    }
}
