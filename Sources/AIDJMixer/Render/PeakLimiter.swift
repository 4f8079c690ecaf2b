import AIDJAnalysis
import Foundation

/// A look-ahead true-peak limiter for interleaved frames: the output stays under the ceiling in true peak
/// (4× oversampled, as BS.1770 measures it) while gain changes stay smooth.
///
/// Gain computer: the required gain at each detector sample is min(1, ceiling / true peak). Its minimum over the
/// look-ahead window (``delay`` + 1 samples, which also covers the detector filter's own delay) goes through a
/// release (τ = 50 ms, gain may only rise that fast) and a moving average over ``attack`` samples. Every value
/// averaged is at most the requirement of the frame being output, so the average is too. Output is the input
/// delayed by ``delay`` frames; the limiter drops the first `delay` output frames and ``flush()`` returns the
/// last ones, so output lines up with input exactly.
final class PeakLimiter {
    /// Look-ahead (seconds): 96 samples at 44.1 kHz, enough for the attack ramp plus the true-peak detector's
    /// interpolation filter delay, short enough not to be heard as latency in a blend.
    static let lookAheadSeconds = 96.0 / 44_100
    /// Attack ramp (seconds): 80 samples at 44.1 kHz, ~1.8 ms, the shortest that does not click (a gain step
    /// spread over less distorts audibly at bass frequencies).
    static let attackSeconds = 80.0 / 44_100
    /// Release time constant (seconds): how fast the gain may rise again after a peak.
    static let releaseSeconds = 0.050

    let channels: Int
    let ceiling: Float
    /// Look-ahead and attack in frames at the limiter's sample rate.
    let delay: Int
    let attack: Int
    private var meter: TruePeakMeter
    private let releaseStep: Float
    private var line: [Float]
    private var linePosition = 0
    /// Monotonic queue of (detector sample index, required gain) for the sliding minimum.
    private var queueIndex: [Int] = []
    private var queueValue: [Float] = []
    private var queueHead = 0
    private var ring: [Float]
    private var ringPosition = 0
    private var ringSum: Double
    private var released: Float = 1
    private var sample = 0
    private var skip: Int
    private var frames = 0
    /// Frames output with gain reduction, and the deepest reduction (linear gain).
    private(set) var reducedFrames = 0
    private(set) var minimumGain: Float = 1

    init(sampleRate: Int, channels: Int, ceilingDBTP: Double) {
        self.channels = channels
        ceiling = Float(pow(10, ceilingDBTP / 20))
        meter = TruePeakMeter(sampleRate: sampleRate, channels: channels)
        delay = max(1, Int((Self.lookAheadSeconds * Double(sampleRate)).rounded()))
        attack = max(1, Int((Self.attackSeconds * Double(sampleRate)).rounded()))
        releaseStep = Float(1 - exp(-1 / (Self.releaseSeconds * Double(sampleRate))))
        line = [Float](repeating: 0, count: delay * channels)
        ring = [Float](repeating: 1, count: attack)
        ringSum = Double(attack)
        skip = delay
    }

    /// Limits interleaved frames; returns the frames ready so far.
    func process(_ input: [Float]) -> [Float] {
        let count = input.count / channels
        guard count > 0 else { return [] }
        frames += count
        var peaks = [Float](repeating: 0, count: count)
        input.withUnsafeBufferPointer { x in
            peaks.withUnsafeMutableBufferPointer { p in
                meter.peaks(interleaved: x.baseAddress!, frames: count, into: p.baseAddress!)
            }
        }
        var output = [Float](repeating: 0, count: count * channels)
        var written = 0
        for n in 0..<count {
            let need = peaks[n] > ceiling ? ceiling / peaks[n] : 1
            while queueValue.count > queueHead && queueValue[queueValue.count - 1] >= need {
                queueValue.removeLast()
                queueIndex.removeLast()
            }
            queueValue.append(need)
            queueIndex.append(sample)
            while queueIndex[queueHead] <= sample - (delay + 1) { queueHead += 1 }
            if queueHead > 4096 {
                queueValue.removeFirst(queueHead)
                queueIndex.removeFirst(queueHead)
                queueHead = 0
            }
            let h = queueValue[queueHead]
            released = min(h, released + (1 - released) * releaseStep)
            ringSum += Double(released - ring[ringPosition])
            ring[ringPosition] = released
            ringPosition = ringPosition + 1 == attack ? 0 : ringPosition + 1
            let gain = min(1, Float(ringSum / Double(attack)))
            let base = linePosition * channels
            if skip > 0 {
                skip -= 1
            } else {
                if gain < 0.9999 {
                    reducedFrames += 1
                    minimumGain = min(minimumGain, gain)
                }
                for c in 0..<channels { output[written * channels + c] = line[base + c] * gain }
                written += 1
            }
            for c in 0..<channels { line[base + c] = input[n * channels + c] }
            linePosition = linePosition + 1 == delay ? 0 : linePosition + 1
            sample += 1
        }
        if written < count { output.removeLast((count - written) * channels) }
        return output
    }

    /// Pushes silence through the delay line and returns the frames still inside it.
    func flush() -> [Float] {
        let owed = min(delay, frames)
        let tail = process([Float](repeating: 0, count: delay * channels))
        frames -= delay
        return Array(tail.prefix(owed * channels))
    }
}
