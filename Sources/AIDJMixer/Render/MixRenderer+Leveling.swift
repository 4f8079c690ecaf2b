import AIDJAnalysis
import AIDJCore
import Foundation

/// The overlap leveler: holds a blend at the loudness of the music around it, as heard after the limiter.
extension MixRenderer {
    /// Seconds on each side of an overlap that set its loudness target.
    static let levelContext = 8.0

    /// The last few seconds of mix already emitted (before the limiter), interleaved stereo.
    struct LevelHistory {
        let capacity: Int
        var frames: [Float] = []
        mutating func append(_ interleaved: [Float]) {
            frames += interleaved
            if frames.count > capacity * 2 { frames.removeFirst(frames.count - capacity * 2) }
        }
    }

    /// Keeps a transition as loud as the music around it. Intros and outros are often sparser than the bodies
    /// they join, so two of them blended can sag several LU; a DJ rides the gain through such a blend. Here the
    /// target is the mean short-term loudness (EBU R128, 3 s) of the `levelContext` seconds before and after the
    /// overlap, as heard after the limiter; through the overlap a gain (−6…+8 dB, ramped in and out over 0.5 s)
    /// brings the short-term loudness centred on each moment to that target, in three passes.
    func levelOverlap(
        _ transition: PlannedTransition, accumulator: inout [[Float]], start: Int, history: LevelHistory,
        limiting: Bool
    ) {
        let sr = Double(Self.sampleRate)
        let overlapFrom = sample(transition.overlapStartS) - start, overlapTo = sample(transition.overlapEndS) - start
        let contextFrames = Int(Self.levelContext * sr)
        let regionEnd = min(accumulator[0].count, overlapTo + contextFrames)
        guard overlapFrom >= 0, overlapTo > overlapFrom, regionEnd > overlapTo else { return }
        // The history ends where the accumulator starts, so the two together are the mix as it runs.
        let pre = history.frames.count / 2 + overlapFrom
        var region = [Float](repeating: 0, count: 2 * regionEnd)
        Interleaving.interleave(accumulator, from: 0, count: regionEnd, into: &region)
        var combined = history.frames + region
        let hop = 0.1
        // Times relative to the start of `combined`, in seconds.
        let os = Double(pre) / sr, oe = os + Double(overlapTo - overlapFrom) / sr
        let end = Double(pre - overlapFrom + regionEnd) / sr
        var gains = [Double](repeating: 0, count: Int(((oe - os) / hop).rounded(.up)) + 1)
        for _ in 0..<3 {
            // Measured as it will sound: after the limiter, which turns dense passages down more than sparse ones.
            var heard = combined
            if limiting {
                let limiter = PeakLimiter(
                    sampleRate: Self.sampleRate, channels: 2, ceilingDBTP: ceilingDBTP - Self.limiterMarginDB)
                heard = limiter.process(combined) + limiter.flush()
            }
            let profile = LoudnessMeter.shortTermProfile(
                interleaved: heard, sampleRate: Self.sampleRate, channels: 2, hop: hop)
            func windows(_ from: Double, _ to: Double) -> [Double] {
                let first = Int(((from + 3) / hop).rounded(.up)) - 1, last = Int((to / hop).rounded(.down)) - 1
                guard first <= last, first >= 0 else { return [] }
                return Array(profile[first...min(last, profile.count - 1)]).filter { $0 > -70 }
            }
            func mean(_ v: [Double]) -> Double? {
                v.isEmpty ? nil : 10 * log10(v.map { pow(10, $0 / 10) }.reduce(0, +) / Double(v.count))
            }
            let sides = [
                mean(windows(max(0, os - Self.levelContext), os)), mean(windows(oe, min(end, oe + Self.levelContext))),
            ]
            .compactMap { $0 }
            guard !sides.isEmpty else { return }
            let target = sides.reduce(0, +) / Double(sides.count)
            var step = [Double](repeating: 0, count: gains.count)
            for k in gains.indices {
                let t = os + Double(k) * hop
                let index = Int(((t + 1.5) / hop).rounded()) - 1
                guard index >= 0, index < profile.count, profile[index] > -70 else { continue }
                let edge = min(1, (t - os) / 0.5, (oe - t) / 0.5)
                step[k] = max(-6, min(8, target - profile[index])) * max(0, edge)
            }
            // Apply this pass's correction to `combined`'s overlap part.
            for n in 0..<(overlapTo - overlapFrom) {
                let g = Self.gain(step, at: n, hop: hop)
                combined[2 * (pre + n)] *= g
                combined[2 * (pre + n) + 1] *= g
            }
            for k in gains.indices { gains[k] += step[k] }
        }
        for n in 0..<(overlapTo - overlapFrom) {
            let g = Self.gain(gains, at: n, hop: hop)
            accumulator[0][overlapFrom + n] *= g
            accumulator[1][overlapFrom + n] *= g
        }
    }

    /// The linear gain at frame `n` of a curve in dB sampled every `hop` seconds (linear interpolation).
    static func gain(_ curve: [Double], at n: Int, hop: Double) -> Float {
        let position = Double(n) / Double(sampleRate) / hop
        let k = min(Int(position), curve.count - 2)
        let w = position - Double(k)
        return Float(pow(10, (curve[k] * (1 - w) + curve[k + 1] * w) / 20))
    }
}
