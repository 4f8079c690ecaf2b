import Foundation

/// The level of a signal in 5 ms blocks (dB of the mean square), for finding attacks: where a note starts and
/// where a held pitch is played again.
struct LevelEnvelope {
    /// Seconds per block.
    static let blockSeconds = 0.005
    /// dB per block; silence reads −100.
    let levels: [Double]
    /// dB per block of the power averaged over the 4 blocks (20 ms) up to it: a beating chorus or a tremolo dips
    /// for a few ms and hardly shows here; a re-articulation's gap does.
    let smoothed: [Double]

    init(_ samples: [Float], sampleRate: Double) {
        let block = max(1, Int((sampleRate * Self.blockSeconds).rounded()))
        let count = samples.count / block
        var levels = [Double](repeating: -100, count: count)
        samples.withUnsafeBufferPointer { x in
            for k in 0..<count {
                var sum: Float = 0
                for i in (k * block)..<((k + 1) * block) { sum += x[i] * x[i] }
                levels[k] = max(-100, 10 * log10(Double(sum) / Double(block) + 1e-12))
            }
        }
        self.levels = levels
        // A running sum of the blocks' powers over the last four.
        var smoothed = levels
        var sum = 0.0
        let powers = levels.map { pow(10, $0 / 10) }
        for k in levels.indices {
            sum += powers[k]
            if k >= 4 { sum -= powers[k - 4] }
            smoothed[k] = 10 * log10(max(1e-12, sum) / Double(min(k + 1, 4)))
        }
        self.smoothed = smoothed
    }

    private func block(_ time: Double) -> Int { Int((time / Self.blockSeconds).rounded(.down)) }

    /// The valleys of the smoothed level between `start` and `end` (s) that look like a note played again: the
    /// level fell at least `dip` dB below the loudest point since `since` (the note's attack) or the previous
    /// valley taken, then rose at least `rise` dB within the `riseSeconds` after. Returns the valleys' times.
    func reattacks(
        from start: Double, to end: Double, since: Double, dip: Double, rise: Double, riseSeconds: Double
    ) -> [Double] {
        let lo = max(1, block(start))
        let hi = min(smoothed.count - 1, block(end))
        guard lo < hi else { return [] }
        let riseBlocks = max(1, Int((riseSeconds / Self.blockSeconds).rounded()))
        var valleys: [Double] = []
        var peak = smoothed[max(0, min(lo, block(since)))...lo].max()!
        var k = lo
        while k < hi {
            peak = max(peak, smoothed[k])
            if smoothed[k] <= smoothed[k - 1], smoothed[k] < smoothed[k + 1], peak - smoothed[k] >= dip {
                let after = smoothed[(k + 1)...min(smoothed.count - 1, k + riseBlocks)].max()!
                if after - smoothed[k] >= rise {
                    valleys.append(Double(k) * Self.blockSeconds)
                    peak = smoothed[k]
                }
            }
            k += 1
        }
        return valleys
    }

    /// The attack nearest a pitch-based start: the block with the steepest rise from 40 ms before `time` to 30 ms
    /// after it, when the level climbs by at least 3 dB over the 25 ms from there; otherwise `time` (a legato pitch
    /// change has no attack of its own). Never before `earliest`.
    func attack(near time: Double, notBefore earliest: Double) -> Double {
        let lo = max(1, block(max(earliest + Self.blockSeconds, time - 0.04)))
        let hi = min(levels.count - 1, block(time + 0.03))
        guard lo <= hi else { return time }
        var best = lo
        var steepest = -Double.infinity
        for k in lo...hi {
            let step = levels[k] - levels[k - 1]
            if step > steepest {
                steepest = step
                best = k
            }
        }
        let later = levels[best..<min(levels.count, best + 5)].max()!
        guard later - levels[best - 1] >= 3 else { return time }
        return Double(best) * Self.blockSeconds
    }

    /// How many dB the level climbs over the 25 ms from the block at `time`: a struck or tongued attack climbs
    /// 10 dB and more, a bowed or sung one a few.
    func climb(at time: Double) -> Double {
        let k = block(time)
        guard k > 0, k < levels.count else { return 0 }
        return levels[k..<min(levels.count, k + 5)].max()! - levels[k - 1]
    }

    /// The median level (dB) of the blocks from `start` to `end` (s); nil when that holds no block.
    func medianLevel(from start: Double, to end: Double) -> Double? {
        let lo = max(0, block(start))
        let hi = min(levels.count, block(end))
        return lo < hi ? median(Array(levels[lo..<hi])) : nil
    }
}
