import Foundation

/// Finds the downbeats (bar starts, 4/4 assumed) and the phrase starts of a beat sequence.
///
/// Downbeat phase: of the four possible phases, the one whose beats carry the most harmonic change (chords
/// change at bar starts far more than mid-bar) and the strongest bass onsets (kick drums and bass notes land on
/// the one) — the two cues of Davies & Plumbley (2006) and Papadopoulos & Peeters (2011), summed with equal
/// weight after normalizing each over the four phases.
///
/// Phrases: a novelty curve over bars (the distance between the mean features of the 4 bars before and the 4
/// bars after each bar line: loudness, bass energy and chroma) is read on an 8-bar grid; the grid offset with the
/// most novelty wins, and its bars whose novelty stands clearly above the track's typical level start phrases.
public struct MeterAnalyzer: Sendable {
    public let beatsPerBar = 4
    public let barsPerPhrase = 8

    public init() {}

    /// - Parameters:
    ///   - beats: beat times (s).
    ///   - frames: the track's frame features.
    /// - Returns: bar position (1–4) of every beat and indices of phrase-start beats.
    public func analyze(beats: [Double], frames: FrameFeatures) -> (barPositions: [Int], phraseStarts: [Int]) {
        guard beats.count >= beatsPerBar else {
            return (beats.indices.map { $0 % beatsPerBar + 1 }, [])
        }
        let segments = beatSegments(beats: beats, frames: frames)
        // Harmonic change at each beat: cosine distance between the chroma of the beat before and after it.
        var change = [Double](repeating: 0, count: beats.count)
        for i in 1..<beats.count {
            change[i] = 1 - cosine(segments[i - 1].chroma, segments[i].chroma)
        }
        let bass = beats.map { t -> Double in
            let f = frames.frame(at: t)
            var peak: Float = 0
            for j in max(0, f - 2)...min(frames.frameCount - 1, f + 2) { peak = max(peak, frames.bassOnset[j]) }
            return Double(peak)
        }
        func phaseScores(_ cue: [Double]) -> [Double] {
            var sums = [Double](repeating: 0, count: beatsPerBar), counts = [Double](repeating: 0, count: beatsPerBar)
            for i in cue.indices {
                sums[i % beatsPerBar] += cue[i]
                counts[i % beatsPerBar] += 1
            }
            let means = zip(sums, counts).map { $1 > 0 ? $0 / $1 : 0 }
            let total = means.reduce(0, +)
            return total > 0 ? means.map { $0 / total } : means
        }
        let harmonic = phaseScores(change), bassScores = phaseScores(bass)
        let combined = (0..<beatsPerBar).map { harmonic[$0] + bassScores[$0] }
        let phase = combined.indices.max { combined[$0] < combined[$1] }!
        let barPositions = beats.indices.map { (($0 - phase) % beatsPerBar + beatsPerBar) % beatsPerBar + 1 }
        return (barPositions, phraseStarts(barPositions: barPositions, segments: segments))
    }

    struct Segment {
        var chroma: [Double]
        var loudness: Double
        var bass: Double
    }

    /// Mean chroma, loudness (dB) and bass energy (dB) between each beat and the next.
    func beatSegments(beats: [Double], frames: FrameFeatures) -> [Segment] {
        beats.indices.map { i in
            let start = frames.frame(at: beats[i])
            let end =
                i + 1 < beats.count
                ? max(start + 1, frames.frame(at: beats[i + 1])) : min(frames.frameCount, start + 20)
            var chroma = [Double](repeating: 0, count: 12)
            var energy = 0.0, bass = 0.0
            for f in start..<max(start + 1, min(end, frames.frameCount)) {
                for p in 0..<12 { chroma[p] += Double(frames.chroma[f * 12 + p]) }
                energy += Double(frames.rms[f] * frames.rms[f])
                bass += Double(frames.lowBandEnergy[f])
            }
            let count = Double(max(1, end - start))
            return Segment(
                chroma: chroma, loudness: 10 * log10(energy / count + 1e-10), bass: 10 * log10(bass / count + 1e-10))
        }
    }

    func phraseStarts(barPositions: [Int], segments: [Segment]) -> [Int] {
        // Whole bars only: a partial bar at either end (the grid runs from the first sound to the last) would read
        // as a change of section.
        let downbeats = barPositions.indices.filter { barPositions[$0] == 1 && $0 + beatsPerBar <= barPositions.count }
        guard downbeats.count >= 2 * barsPerPhrase else { return downbeats.first.map { [$0] } ?? [] }
        // Per-bar feature vectors.
        let bars: [[Double]] = downbeats.indices.map { b in
            let start = downbeats[b]
            let end = start + beatsPerBar
            var v = [Double](repeating: 0, count: 14)
            for s in segments[start..<end] {
                let total = s.chroma.reduce(0, +)
                for p in 0..<12 { v[p] += total > 0 ? s.chroma[p] / total : 0 }
                v[12] += s.loudness / 6  // 6 dB of loudness change counts like a full chroma change
                v[13] += s.bass / 6
            }
            return v.map { $0 / Double(max(1, end - start)) }
        }
        let context = 4
        var novelty = [Double](repeating: 0, count: bars.count)
        for b in context..<(bars.count - context + 1) where b < bars.count {
            var before = [Double](repeating: 0, count: 14), after = before
            for j in (b - context)..<b { for k in 0..<14 { before[k] += bars[j][k] / Double(context) } }
            for j in b..<min(bars.count, b + context) { for k in 0..<14 { after[k] += bars[j][k] / Double(context) } }
            novelty[b] = zip(before, after).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        }
        let offsetScores = (0..<barsPerPhrase).map { o in
            stride(from: o, to: bars.count, by: barsPerPhrase).map { novelty[$0] }.reduce(0, +)
        }
        let offset = offsetScores.indices.max { offsetScores[$0] < offsetScores[$1] }!
        let sorted = novelty.sorted()
        let median = sorted[sorted.count / 2]
        let deviation = sorted.map { abs($0 - median) }.sorted()[sorted.count / 2]
        let threshold = median + 3 * max(deviation, 1e-3)
        var starts = [downbeats[0]]
        for b in stride(from: offset, to: bars.count, by: barsPerPhrase) where b > 0 && novelty[b] > threshold {
            starts.append(downbeats[b])
        }
        return starts
    }

    private func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 1
    }
}
