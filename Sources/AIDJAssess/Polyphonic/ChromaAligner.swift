import AIDJAnalysis
import Foundation

/// Where a polyphonic reference's chords fall in a take (a piano piece): dynamic time warping between the take's
/// chroma and chroma made from the score, then each chord's onset snapped to the take's attack nearby. Timing only:
/// which notes of a chord sounded is not judged (pitch-level grading of polyphony needs a transcription this does not
/// attempt).
///
/// The score's chroma: each sounding note adds to its pitch class, decaying with a 1 s time constant from its onset
/// (as a struck string does), at the take's frame rate. The cost of pairing two frames is 1 − the cosine of their
/// chroma vectors; the path takes steps of (1, 1), (1, 0) and (0, 1) with weights 2, 1, 1 (Sakoe & Chiba 1978's
/// symmetric form), so a slower or faster take, and rubato, cost nothing by themselves. The take is warped from its
/// first to its last sounding frame (40 dB under its loudest), so silence around the playing does not pull the
/// ends. (Subsequence DTW, free at both ends, folded a 16-chord progression onto a few frames of itself.) Müller, "Fundamentals of
/// Music Processing" (2015), ch. 3, describes this music synchronization.
struct ChromaAligner {
    /// The least reach (s) within which a chord's warped onset is moved to the take's strongest attack.
    var snapSeconds = 0.07

    /// The take time (s) of each reference onset, nil where the take has no attack near the warped time.
    ///
    /// - Parameters:
    ///   - onsets: the reference's chord onsets (s), sorted.
    ///   - notes: the reference's notes, for its chroma.
    ///   - take: the take's frame features (chroma and onset strength).
    ///   - envelope: the take's level, for snapping to an attack.
    func takeTimes(of onsets: [Double], notes: [ScoreNote], take: FrameFeatures, envelope: LevelEnvelope) -> [Double?] {
        let rate = take.frameRate
        let takeFrames = take.frameCount
        guard takeFrames > 1, let end = notes.map({ $0.onset + $0.duration }).max() else {
            return onsets.map { _ in nil }
        }
        let referenceFrames = max(2, Int((end * rate).rounded(.up)) + 1)
        var reference = [Float](repeating: 0, count: referenceFrames * 12)
        for note in notes {
            let first = max(0, Int((note.onset * rate).rounded()))
            let last = min(referenceFrames - 1, Int(((note.onset + note.duration) * rate).rounded()))
            guard first <= last else { continue }
            for frame in first...last {
                let age = Double(frame - first) / rate
                reference[frame * 12 + ((note.pitch % 12) + 12) % 12] += Float(exp(-age))
            }
        }
        // The sounding span of the take.
        let loudest = take.rms.max() ?? 0
        let sounding = take.rms.indices.filter { take.rms[$0] > 0.01 * loudest }
        guard let first = sounding.first, let last = sounding.last, last > first else { return onsets.map { _ in nil } }
        let span = Array(take.chroma[(first * 12)..<((last + 1) * 12)])
        let path = warp(
            reference: reference, referenceFrames: referenceFrames, take: span, takeFrames: last - first + 1)
        // The first take frame paired with each reference frame.
        var mapped = [Int](repeating: -1, count: referenceFrames)
        for (r, t) in path where mapped[r] < 0 { mapped[r] = t + first }
        var strongest = 0.0
        for value in take.onset { strongest = max(strongest, Double(value)) }
        // Each chord takes the strongest attack within 40 % of the gap to its nearer neighbour (at the take's overall
        // tempo) of where the warp put it, 70 ms at least: chroma alone places a chord change to within a frame or
        // several, and attacks are sharp.
        let slope = Double(last - first + 1) / Double(referenceFrames)
        let warped = onsets.map { onset -> Int in
            mapped[min(referenceFrames - 1, max(0, Int((onset * rate).rounded())))]
        }
        return onsets.indices.map { c in
            let t = warped[c]
            guard t >= 0 else { return nil }
            let before = c > 0 ? onsets[c] - onsets[c - 1] : .infinity
            let after = c + 1 < onsets.count ? onsets[c + 1] - onsets[c] : .infinity
            let gap = min(before, after).isFinite ? min(before, after) : 1
            let reach = Int((max(snapSeconds, 0.4 * gap * slope) * rate).rounded())
            // Never past halfway to a neighbour's warped place: each chord keeps its own attack.
            var lo = max(0, t - reach)
            var hi = min(takeFrames - 1, t + reach)
            if c > 0, warped[c - 1] >= 0 { lo = max(lo, (warped[c - 1] + t) / 2 + 1) }
            if c + 1 < onsets.count, warped[c + 1] >= 0 { hi = min(hi, (t + warped[c + 1]) / 2) }
            guard lo <= hi, let best = (lo...hi).max(by: { take.onset[$0] < take.onset[$1] }),
                Double(take.onset[best]) >= 0.1 * strongest
            else { return nil }
            let coarse = take.time(ofFrame: best)
            return envelope.attack(near: coarse, notBefore: max(0, coarse - 0.05))
        }
    }

    /// The warping path as (reference frame, take frame) pairs from the start to the end.
    ///
    /// - Complexity: O(n·m) time; one byte of back-pointer per cell (about 60 MB for 3 minutes against 3 minutes at
    ///   43 frames per second), two rows of costs.
    func warp(reference: [Float], referenceFrames n: Int, take: [Float], takeFrames m: Int) -> [(Int, Int)] {
        func normalized(_ x: [Float], frames: Int) -> [Float] {
            var out = x
            for f in 0..<frames {
                var norm: Float = 0
                for k in 0..<12 { norm += x[f * 12 + k] * x[f * 12 + k] }
                let scale = norm > 1e-12 ? 1 / norm.squareRoot() : 0
                for k in 0..<12 { out[f * 12 + k] = x[f * 12 + k] * scale }
            }
            return out
        }
        let a = normalized(reference, frames: n)
        let b = normalized(take, frames: m)
        // Silence in the score against anything costs 0.5: neither a match nor a mismatch.
        let sounding = (0..<n).map { i in (0..<12).contains { a[i * 12 + $0] != 0 } }
        func cost(_ i: Int, _ j: Int) -> Float {
            guard sounding[i] else { return 0.5 }
            var dot: Float = 0
            for k in 0..<12 { dot += a[i * 12 + k] * b[j * 12 + k] }
            return 1 - dot
        }
        var previous = [Float](repeating: .infinity, count: m)
        var current = [Float](repeating: .infinity, count: m)
        var steps = [UInt8](repeating: 0, count: n * m)  // 0 diagonal, 1 from (i−1, j), 2 from (i, j−1)
        for i in 0..<n {
            for j in 0..<m {
                let c = cost(i, j)
                if i == 0 && j == 0 {
                    current[0] = c
                    continue
                }
                var best = Float.infinity
                var step: UInt8 = 0
                if i > 0, j > 0, previous[j - 1] + 2 * c < best {
                    best = previous[j - 1] + 2 * c
                    step = 0
                }
                if i > 0, previous[j] + c < best {
                    best = previous[j] + c
                    step = 1
                }
                if j > 0, current[j - 1] + c < best {
                    best = current[j - 1] + c
                    step = 2
                }
                current[j] = best
                steps[i * m + j] = step
            }
            swap(&previous, &current)
        }
        var path: [(Int, Int)] = []
        var i = n - 1
        var j = m - 1
        while true {
            path.append((i, j))
            if i == 0 && j == 0 { break }
            switch steps[i * m + j] {
            case 0:
                i -= 1
                j -= 1
            case 1: i -= 1
            default: j -= 1
            }
            if i < 0 || j < 0 { break }
        }
        return path.reversed()
    }
}
