import Foundation

/// Tells a beat grid from the same grid half a beat later.
///
/// The beat tracker follows the combined onset envelope, and in some music the off-beat carries as much onset
/// energy as the beat: house, with a four-on-the-floor kick under off-beat bass, chord stabs and open hats, was
/// tracked on the off-beat in 11 of 50 renders through five soundfonts (grooves from `Benchmarks/datasets/`),
/// where madmom put its beats on the kick. What sits on the beat there is percussive and low (the kick); what sits
/// between is harmonic (bass notes, stabs) or high (hats). So the check reads six envelopes
/// (``FrameFeatures/phaseOnsets``): the onset strength of the percussive and of the harmonic part of the mel bands
/// (``HarmonicPercussiveSplit``), each below 200 Hz, 200 Hz–2 kHz and above. For each, divided by its mean, it reads
/// the level at every beat and at every point half a beat later (the largest value within ``reachFrames`` of each),
/// and compares the bar's strongest accent on a beat with its strongest between beats (``barPeaks(_:)``): the
/// feature is the log of their ratio.
///
/// The bar's strongest accents, not the mean over every beat: on records, off-beat synth bass can hit three times a
/// bar for the kick's once, with the snare on two and four (FreedroidRPG's `hellforce` and `TheBeginning`). At the
/// beats madmom and Essentia agree on, the low percussive onsets' mean favoured the off-beat (log ratio −0.54 and
/// −0.56; the envelopes recomputed as `phase_probe.py` does); position by position in the bar, the kick on the one
/// is as strong as any bass note (−0.00 and +0.26), and the snare stands out more (mid range +0.45 → +0.79 and
/// +0.45 → +0.58). `AmbientBattle`'s strongest low onsets also sit half a beat from those beats.
///
/// A seventh feature, ``ChordChange``, reads what does not depend on the onsets: chords change on the beat far more
/// than between beats. On madmom's beats of 75 records (three real sets) it favours them on 69 with librosa's
/// chroma, and on 67 with ``FrameFeatures/chroma`` read half its latency late (54 read on time, 55 a full latency
/// late). A linear score over the seven says which of the two grids holds the beat.
///
/// Weights: `BeatPhaseWeights.swift`, fitted by `aidj-bench train-phase` as a pairwise logistic regression on the
/// labelled beats of the development sets: each file gives its right grid (features f) and the one half a beat
/// later (−f), so the score has no bias and flips sign with the grid.
public enum BeatPhase {
    /// Names of the features, in order.
    public static let featureNames =
        ["percussive_low", "percussive_mid", "percussive_high"]
        + ["harmonic_low", "harmonic_mid", "harmonic_high", "chord_change"]

    /// How many of ``featureNames`` read an envelope of ``FrameFeatures/phaseOnsets``; the last reads the chroma.
    static let envelopeCount = 6

    /// Fewest beats a grid needs for the check: four bars of 4/4.
    public static let minimumBeats = 16

    /// How far below 0 a grid's score must fall for it to move half a beat: the check must be sure, since the grid
    /// it replaces was the tracker's best path. 0.3, written by `aidj-bench train-phase`, which says why.
    public static let margin = BeatPhaseWeights.margin

    /// Frames either side of a beat (or a point half a beat later) whose largest value is its level: 2 frames,
    /// ±46 ms. A grid's beats sit where the tracker put them, moved to the start of slow attacks, and a
    /// percussive attack can peak a frame or two later; with ±1 frame one FluidR3 chorale render of 450
    /// (bwv326, its reference grid scoring +1.2) read −0.8 on aidj's right grid and moved off it.
    static let reachFrames = 2

    /// Floor added to an envelope's level before its log (levels are in units of the envelope's mean).
    static let floor = 1e-3

    /// The points half a beat after each beat: the midpoints of the beat intervals, the last one from the last
    /// interval.
    public static func halfBeatLater(_ beats: [Double]) -> [Double] {
        guard beats.count >= 2 else { return beats }
        return beats.indices.map { i in
            let next = i + 1 < beats.count ? beats[i + 1] : 2 * beats[i] - beats[i - 1]
            return (beats[i] + next) / 2
        }
    }

    /// The features of a grid (beat times in seconds), or nil with fewer than ``minimumBeats`` beats or without
    /// the envelopes.
    public static func features(beats: [Double], frames: FrameFeatures) -> [Double]? {
        let count = frames.phaseOnsets.count / envelopeCount
        guard beats.count >= minimumBeats, count > 2 else { return nil }
        let later = halfBeatLater(beats)
        var points: [Double] = []
        for (beat, half) in zip(beats, later) { points += [beat, half] }
        let onsets = (0..<envelopeCount).map { e in
            var mean = 0.0
            for f in 0..<count { mean += Double(frames.phaseOnsets[f * envelopeCount + e]) }
            mean /= Double(count)
            guard mean > 0 else { return 0.0 }
            let levels: [Double?] = points.map { t in
                let f = Int((t * frames.frameRate).rounded())
                guard f >= reachFrames && f < count - reachFrames else { return nil }
                var peak: Float = 0
                for g in (f - reachFrames)...(f + reachFrames) {
                    peak = max(peak, frames.phaseOnsets[g * envelopeCount + e])
                }
                return Double(peak) / mean
            }
            let (onBeats, offBeats) = barPeaks(levels)
            return log(onBeats + floor) - log(offBeats + floor)
        }
        let chords = ChordChange(frames: frames)
        let change = log(chords.mean(at: beats) + floor) - log(chords.mean(at: later) + floor)
        return onsets + [change]
    }

    /// The largest mean value at one position of a 4/4 bar among the beats, and among the points half a beat later.
    /// `values` alternate beat, half beat, beat…; positions are counted from the first, eight half beats to a bar,
    /// so whichever position the bar's strongest accent falls on (a kick on the one, a snare on two and four), it
    /// is read on its own rather than averaged with the rest of the bar. In 3/4 each even position meets every beat
    /// of the bar in turn, so the reading falls back to the mean over the beats.
    static func barPeaks(_ values: [Double?]) -> (beats: Double, later: Double) {
        var sums = [Double](repeating: 0, count: 8), counts = [Int](repeating: 0, count: 8)
        for (i, value) in values.enumerated() {
            guard let value else { continue }
            sums[i % 8] += value
            counts[i % 8] += 1
        }
        let means = (0..<8).map { counts[$0] > 0 ? sums[$0] / Double(counts[$0]) : 0 }
        return (
            stride(from: 0, to: 8, by: 2).map { means[$0] }.max()!,
            stride(from: 1, to: 8, by: 2).map { means[$0] }.max()!
        )
    }

    /// How much the chord changes at points of a grid: the cosine distance between the mean chroma over the half
    /// beat before a point and over the half beat after it.
    ///
    /// Chords change at bar lines and on beats far more than between them, whatever carries the onsets. Where the
    /// bass and the percussion hit hardest off the beat (off-beat bass, stabs), the onset envelopes favour the
    /// off-beat, but the chords still change on the beat. The chroma is read half its latency late
    /// (``FrameFeatures/chromaLatency``, 6 frames): it holds a new chord fully only after the whole latency, so its
    /// change is half done after half of it.
    struct ChordChange {
        let frameRate: Double
        let lag: Int
        /// Running sums of the chroma: `sums[f * 12 + p]` is the sum of pitch class p over the frames before f.
        let sums: [Double]

        init(frames: FrameFeatures) {
            frameRate = frames.frameRate
            lag = frames.chromaLatency / 2
            let count = frames.chroma.count / 12
            var sums = [Double](repeating: 0, count: (count + 1) * 12)
            for f in 0..<count {
                for p in 0..<12 { sums[(f + 1) * 12 + p] = sums[f * 12 + p] + Double(frames.chroma[f * 12 + p]) }
            }
            self.sums = sums
        }

        /// The mean change over the points that have half a beat of chroma on both sides; a point's half beat is
        /// half its distance to the next point (the last point's: to the one before).
        func mean(at points: [Double]) -> Double {
            let count = sums.count / 12 - 1
            guard points.count >= 2 else { return 0 }
            var total = 0.0, n = 0
            for (i, t) in points.enumerated() {
                let gap = i + 1 < points.count ? points[i + 1] - t : t - points[i - 1]
                let width = Int((gap / 2 * frameRate).rounded())
                let f = Int((t * frameRate).rounded()) + lag
                guard width >= 1, f - width >= 0, f + width <= count else { continue }
                let before = (0..<12).map { sums[f * 12 + $0] - sums[(f - width) * 12 + $0] }
                let after = (0..<12).map { sums[(f + width) * 12 + $0] - sums[f * 12 + $0] }
                guard let cosine = VectorMath.cosine(before, after) else { continue }
                total += 1 - cosine
                n += 1
            }
            return n > 0 ? total / Double(n) : 0
        }
    }

    /// The score of a grid's features: positive when the grid holds the beat, negative when the grid half a beat
    /// later does.
    public static func score(_ features: [Double]) -> Double { score(features, weights: weights) }

    /// The score of `features` under other `weights` (for fitting).
    public static func score(_ features: [Double], weights: [Double]) -> Double {
        zip(features, weights).map(*).reduce(0, +)
    }

    /// The fitted weights, one per feature.
    public static let weights = BeatPhaseWeights.weights

    /// Whether a grid with this score belongs half a beat later: the score is below −``margin``. A grid without a
    /// score (too few beats) stays.
    public static func isOffBeat(score: Double?) -> Bool { score.map { $0 < -margin } ?? false }
}
