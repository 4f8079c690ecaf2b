import Foundation

/// Whether a track has a beat to hear at all. The beat tracker always finds beats: given a tempo, its dynamic
/// programme lays a beat every period over rain, a held pad or white noise, on whatever small peaks the envelope
/// has. What such a grid lacks is a pulse that repeats: the onsets of music with a beat come back after one, two,
/// three and four beats and are scarce half-way between, while the onsets under an invented grid are as likely
/// anywhere.
///
/// The measure is the beat contrast of the envelope's autocorrelation: at each of the first four multiples of the
/// beat period, its largest value (within a frame) less the mean of its smallest values at the half-beats on
/// either side, averaged over the four. Read on the mean-removed envelope the tracker follows on weak pulses (the
/// energy flux at ``BeatTracker/weakEnergyWeight`` beside the tonal novelty), over the grid's span, with lags that
/// follow the tempo. The contrast is the periodicity measure of tempo estimation (Scheirer 1998; Ellis 2007)
/// turned from "which period" to "is there one": the trough subtraction removes the baseline a positive,
/// fluctuating envelope gives every lag, which is why the autocorrelation's height alone (``TempoCurve/strengths``)
/// or the beats' salience do not separate swelling chorales from pads (on `Benchmarks/datasets`' ambient set the
/// median beat salience caught 14 of the 30 gridded renders at the cost of 16 of 911 tracks with a beat).
public enum PulsePresence {
    /// Below this beat contrast a track has no beat, and gets no grid. Measured with `Benchmarks/datasets`
    /// (2026-12-05):
    /// - the ambient set (GM pads, choir and string chords held 3–9 s, sound effects; 31 of its 36 renders were
    ///   given a grid before this test) reads −0.01–0.17, 24 of the 31 under 0.06. The rest: helicopters, whose
    ///   rotor is a real pulse, and one applause render 0.16–0.17; two pads and one choir 0.07–0.10;
    /// - 46 game-music records (`hyperrogue-music`, `warzone2100-music`) read 0.105–0.49;
    /// - 353 renders of chorales and quartets through FluidR3 read 0.02–0.91; choirs, the weakest, 0.02–0.29,
    ///   organ 0.03–0.52. Three are under 0.06 (two choirs whose tempo was wrong already, one organ chorale read
    ///   right), and one choir of the same pieces through TimGM6mb.
    public static let minimumContrast = 0.06

    /// How far the contrast of an envelope without a pulse scatters, times the square root of the frames read: a grid
    /// over a short span must stand out from that scatter. An autocorrelation read over n frames scatters by about
    /// 1/√n, and so does the contrast: uniform white noise at 43 frames a second reads a mean of 0.067, 0.039 and 0.031
    /// over 20, 60 and 180 s, and over 20 s noise passed the fixed 0.06 in 36 of 60 clips (uniform and Gaussian,
    /// 2026-12-06). 3.5/√n, 0.119 over 20 s and 0.069 over 60 s, lies above all 76 noise clips read (the largest:
    /// 0.1186 over 20 s, 0.066 over 60 s); of 110 fresh clips (white, pink and brown noise, 20–180 s), two pass it,
    /// with contrast × √n 3.78 (Gaussian) and 3.64 (brown), both over 20 s. It changes no figure of `scores` through
    /// FluidR3, TimGM6mb and MuseScore, of the grooves, intros and tempo changes through FluidR3, the ambient set or
    /// the 44 records. It costs short chorales their right grids: 9 of the 450 renders of `scores2` (six through
    /// FluidR3, Acc1 0.967 → 0.927; 22–53 s, contrast × √n down to 2.1) and two of 125 through freepats (bwv195_6,
    /// 0.088 over 21 s; bwv227_3, 0.074 over 42 s). So contrast alone does not part short chorales from noise. What it
    /// buys on short music without a beat (`ambient.py --seconds 30 --variants 4`, 48 pads, choirs and sound effects of
    /// 30–40 s per soundfont, 2026-12-06): grids on 5, 6 and 7 of them through FluidR3, TimGM6mb and MuseScore, where
    /// the fixed 0.06 alone would give 9, 13 and 17 (21 wrong grids removed for the 9 right ones of `scores2`). Other
    /// cues, read on the same renders, do not part the short chorales from both noise and pads: the share of the
    /// spectrum's power that lasts (the sustained spectrum's) is 0.236–0.240 on noise of any colour and only
    /// 0.256–0.304 on the lost chorales (not read on pads); the frames' pitch-class concentration is 0.087 on noise but
    /// as high on pads (0.14–0.36) as on chorales (0.10–0.25); the envelope at the beats of a line through the grid
    /// against the half-beats gives a t statistic of 0.02–2.96 on the lost chorales, up to 2.3 on noise and up to 2.1
    /// on the pads and effects that the chance level keeps off. Nor does another envelope: read on the tonal novelty or
    /// the energy flux alone, contrast × √n on the seven lost through FluidR3 reaches 3.65 and 3.54 (4.63 on the wrong
    /// grid, bwv386), on noise 4.01 and 4.36. A steady grid (``BeatGrid``) comes closest: 7 of the 10 lost chorale
    /// grids over 0.06 are steady, but so are 9 of 90 twenty-second noise clips (white, pink, brown), five of them over
    /// 0.06. Steadiness together with events in the tonal novelty does part them
    /// (``isPulse(contrast:frames:isSteady:noveltyKurtosis:eventChance:)``, analysis 21): of the six lost through
    /// FluidR3 that were right, five get their grid back.
    static let chanceScale = 3.5

    /// The least contrast for a grid over `frames` envelope frames to count as a beat: ``minimumContrast``, or the
    /// chance level 3.5/√frames (``chanceScale``) where the span is short (under 3,400 frames, 79 s at 43 frames a
    /// second).
    public static func minimumContrast(frames: Int) -> Double {
        max(minimumContrast, chanceScale / Double(max(frames, 1)).squareRoot())
    }

    /// Multiples of the beat period read, and the tolerance (frames) around each lag.
    static let multiples = 4
    static let toleranceFrames = 1
    /// Shortest grid read (beat intervals): the four-beat lag then still overlaps three quarters of it. Shorter grids
    /// are not judged and keep their beats: over a few beats the contrast of noise and of music scatter alike
    /// (an 8-second AIDJSynth breakbeat, five beats of grid, read 0.05).
    public static let minimumBeats = 16

    /// The beat contrast of a track's envelope over its beat grid (see the type's description).
    ///
    /// The lags follow the tempo, read two ways, and the larger contrast counts: at each tempo section's constant
    /// period (a steady stretch, read without the wander of a curve), and at the tempo curve's period frame by
    /// frame, the period the beats were tracked at (a ramp, which one period would smear). Not at the beats' own
    /// intervals: those bend to whatever peaks the envelope has, and over a beatless track would lend it the
    /// periodicity being tested for. Measured on the development sets, either reading alone loses more: the
    /// sections alone lost a tempo ramp's grid (a hip-hop groove slowing from 93 BPM, both soundfonts), the curve
    /// alone two more chorales than both together.
    ///
    /// - Parameters:
    ///   - envelope: the onset envelope, one value per frame.
    ///   - curve: the tempo curve the beats were tracked at (its frames are the envelope's).
    ///   - beats: the grid's beat times (s), increasing: its span is read.
    ///   - sections: the grid's tempo sections; each runs to the next one's start.
    /// - Returns: the contrast over the grid's span; nil for a grid of fewer than ``minimumBeats`` intervals, or an
    ///   envelope without variation there.
    public static func contrast(
        envelope: [Float], curve: TempoCurve, beats: [Double], sections: [TempoSection]
    ) -> Double? {
        guard beats.count - 1 >= minimumBeats, let first = beats.first, let last = beats.last else { return nil }
        return contrast(envelope: envelope, curve: curve, frames: frames(first...last, curve, envelope.count), sections)
    }

    /// The kurtosis of the tonal novelty (``FrameFeatures/tonalNovelty``) over a grid's span from which the track
    /// has events: a chorale's novelty lies near zero while a chord holds and leaps where the next one comes, while
    /// noise's is one random level throughout. Noise of every colour reads 3.1–8.4 (189 clips of 20–60 s,
    /// 2026-12-07: 120 from `Benchmarks/datasets/noise.py --seed 1 --count 10`, 69 drawn alike before); the short
    /// chorales of `scores2` through FluidR3 that the chance level cost their grid 15–113; pads, whose chords also
    /// change, 4.5–241, so this sign alone does not say "beat".
    static let eventfulKurtosis = 11.0

    /// Whether a grid has a beat to hear, from its contrast over the frames of its span (``minimumContrast(frames:)``),
    /// or, where the contrast falls short of that, from two other readings of a steady grid
    /// (``BeatGrid/fit(_:sectionStarts:)``: the tracked beats keep one tempo):
    /// - its contrast reaches the fixed ``minimumContrast`` and the tonal novelty has events (kurtosis ≥
    ///   ``eventfulKurtosis``). Each sign keeps one kind of material off: the grids over pads, choirs and sound
    ///   effects do not keep a tempo (none of the 9 FluidR3 renders of `ambient.py --seconds 30 --variants 4` whose
    ///   contrast reaches 0.06); the noise grids that keep one (3 of 189 clips) have no events (kurtosis 3.1–4.5). Of
    ///   the eight short chorales of `scores2` through FluidR3 that the chance level cost their grid, five are
    ///   steady and eventful, all at the written tempo; through freepats, a bank none of this was read on, both that
    ///   it cost;
    /// - or the novelty's events fall on its beats and half-beats more often than chance would put them there
    ///   (``eventChance(novelty:span:beats:frameRate:)`` at most ``maximumEventChance``), whatever the contrast: a
    ///   sung or organ chorale whose onsets swell so softly that the envelope hardly pulses still changes its notes
    ///   on the beat.
    static func isPulse(
        contrast: Double, frames: Int, isSteady: Bool, noveltyKurtosis: Double?,
        eventChance: @autoclosure () -> Double? = nil
    ) -> Bool {
        if contrast >= minimumContrast(frames: frames) { return true }
        guard isSteady else { return false }
        if let chance = eventChance(), chance <= maximumEventChance { return true }
        guard contrast >= minimumContrast, let noveltyKurtosis else { return false }
        return noveltyKurtosis >= eventfulKurtosis
    }

    /// Whether a grid has a beat to hear (``isPulse(contrast:frames:isSteady:noveltyKurtosis:eventChance:)``), read
    /// over the frames its span covers. Nil where there is no contrast to read (a grid too short to judge keeps its
    /// beats). Deciding that a stretch has no beat, to cut a grid there, asks for the opposite evidence: a contrast
    /// under the fixed ``minimumContrast``, whatever the stretch's length.
    ///
    /// - Parameters:
    ///   - isSteady: whether the tracked beats lie on one constant-tempo line (``BeatGrid/isSteady``).
    ///   - novelty: the tonal novelty, one value per envelope frame.
    public static func hasPulse(
        envelope: [Float], curve: TempoCurve, beats: [Double], sections: [TempoSection], isSteady: Bool,
        novelty: [Float]
    ) -> Bool? {
        guard beats.count - 1 >= minimumBeats, let first = beats.first, let last = beats.last else { return nil }
        let span = frames(first...last, curve, envelope.count)
        return contrast(envelope: envelope, curve: curve, frames: span, sections).map { contrast in
            let read = span.clamped(to: novelty.indices)
            // The event chance is read only where `isPulse` asks for it: a steady grid whose contrast falls short.
            return isPulse(
                contrast: contrast, frames: span.count, isSteady: isSteady, noveltyKurtosis: kurtosis(novelty[read]),
                eventChance: eventChance(novelty: novelty, span: read, beats: beats, frameRate: curve.frameRate))
        }
    }

    /// Largest chance (``eventChance(novelty:span:beats:frameRate:)``) at which a steady grid's events count as
    /// falling on it: 1 %. Measured with `Benchmarks/datasets` (2026-12-07, analysis 23), over the steady grids that
    /// the contrast alone rejected: three chorale renders whose grid is right read 4·10⁻¹⁴ (FluidR3 bwv124_6),
    /// 3.6·10⁻⁴ (FluidR3 bwv248_35-3c) and 1.6·10⁻³ (MuseScore bwv268); the fourteen over beatless material (white,
    /// pink and brown noise of `noise` and `noise2`, and rain of `ambient-short`) 0.16 or more.
    static let maximumEventChance = 0.01

    /// Frames either side of a beat or half-beat within which an event falls on it (±46 ms at 43 frames a second),
    /// and either side of an event within which it is the novelty's largest value.
    static let eventReachFrames = 2
    /// How far above its mean (in standard deviations over the span) the novelty must rise for an event.
    static let eventDeviations: Float = 2

    /// The events of the tonal novelty over `span`: frames where it is largest within ``eventReachFrames`` on either
    /// side and stands ``eventDeviations`` standard deviations above its mean there — where notes or chords change.
    static func events(_ novelty: [Float], span: Range<Int>) -> [Int] {
        guard span.count > 2 * eventReachFrames else { return [] }
        let values = novelty[span]
        let mean = values.reduce(0, +) / Float(values.count)
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(values.count)).squareRoot()
        guard deviation > 0 else { return [] }
        let level = mean + eventDeviations * deviation
        return (span.lowerBound + eventReachFrames..<span.upperBound - eventReachFrames).filter { f in
            novelty[f] > level && novelty[f] == novelty[(f - eventReachFrames)...(f + eventReachFrames)].max()!
        }
    }

    /// How likely chance alone puts as many of the novelty's events (``events(_:span:)``) within
    /// ``eventReachFrames`` of a beat or half-beat of the grid as the track has there: the binomial upper tail
    /// P(X ≥ k) for k of its n events, where p is the share of the span's frames that lie that near a beat or
    /// half-beat. Events at random times land there with probability p; the note changes of metrical music land
    /// there nearly all (a chorale's, on its beats and eighth notes). Read over a steady grid only: a grid that
    /// follows the tracked beats bends to the very events it is tested on, and over pads, whose chords change
    /// 3–9 s apart at random, the tracked beats' least-squares line still finds a chance as low as 0.009.
    ///
    /// - Returns: the chance in [0, 1]; nil with fewer than ``minimumEvents`` events or no grid within the span.
    static func eventChance(novelty: [Float], span: Range<Int>, beats: [Double], frameRate: Double) -> Double? {
        let found = events(novelty, span: span)
        guard found.count >= minimumEvents, !span.isEmpty else { return nil }
        var near = [Bool](repeating: false, count: span.count)
        for t in beats + BeatPhase.halfBeatLater(beats) {
            let f = Int((t * frameRate).rounded())
            let lower = max(span.lowerBound, f - eventReachFrames),
                upper = min(span.upperBound, f + eventReachFrames + 1)
            for g in lower..<max(lower, upper) { near[g - span.lowerBound] = true }
        }
        let p = Double(near.filter { $0 }.count) / Double(span.count)
        guard p > 0 else { return nil }
        let onGrid = found.filter { near[$0 - span.lowerBound] }.count
        return binomialTail(count: found.count, atLeast: onGrid, probability: p)
    }

    /// Fewest events the test reads: with fewer, even all on the grid is no evidence (4 of 4 at p = 0.4: 0.026).
    static let minimumEvents = 8

    /// P(X ≥ k) for X binomial with n trials of probability p: the first term in logs (n may be in the thousands),
    /// each next one from the last by the ratio (n − i)/(i + 1) · p/(1 − p).
    static func binomialTail(count n: Int, atLeast k: Int, probability p: Double) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        guard p < 1 else { return 1 }
        guard p > 0 else { return 0 }
        var logFirst = Double(k) * log(p) + Double(n - k) * log(1 - p)
        for j in 1...k { logFirst += log(Double(n - k + j) / Double(j)) }
        var term = exp(logFirst), sum = 0.0
        for i in k...n {
            sum += term
            term *= Double(n - i) / Double(i + 1) * p / (1 - p)
        }
        return min(1, sum)
    }

    /// The kurtosis (fourth central moment over the squared variance; 3 for a Gaussian) of some values; nil for
    /// fewer than four, or without variation.
    static func kurtosis(_ x: ArraySlice<Float>) -> Double? {
        guard x.count >= 4 else { return nil }
        let n = Double(x.count)
        let mean = x.reduce(0.0) { $0 + Double($1) } / n
        var m2 = 0.0, m4 = 0.0
        for v in x {
            let d = Double(v) - mean
            m2 += d * d
            m4 += d * d * d * d
        }
        m2 /= n
        m4 /= n
        guard m2 > 0 else { return nil }
        return m4 / (m2 * m2)
    }

    /// The beat contrast of a stretch of a track (s) without a grid of its own, read at the tempo curve's and the
    /// sections' periods: whether a passage the grid might cover (an intro, a coda) has a beat. Nil for a stretch
    /// shorter than ``minimumBeats`` periods of the curve there, or without variation.
    public static func contrast(
        envelope: [Float], curve: TempoCurve, stretch: ClosedRange<Double>, sections: [TempoSection]
    ) -> Double? {
        let range = frames(stretch, curve, envelope.count)
        guard range.count > 2 else { return nil }
        let period = curve.period(atFrame: Double(range.lowerBound + range.upperBound) / 2)
        guard Double(range.count) >= Double(minimumBeats) * period else { return nil }
        return contrast(envelope: envelope, curve: curve, frames: range, sections)
    }

    /// The envelope frames of a stretch (s), within the envelope.
    private static func frames(_ stretch: ClosedRange<Double>, _ curve: TempoCurve, _ count: Int) -> Range<Int> {
        let a = max(0, Int((stretch.lowerBound * curve.frameRate).rounded()))
        let upper = min(stretch.upperBound, Double(count) / curve.frameRate)
        let b = min(count, Int((upper * curve.frameRate).rounded()) + 1)
        return a..<max(a, b)
    }

    /// The contrast over envelope frames `a..<b`, the larger of the readings at the sections' and the curve's periods.
    private static func contrast(
        envelope: [Float], curve: TempoCurve, frames: Range<Int>, _ sections: [TempoSection]
    ) -> Double? {
        let rate = curve.frameRate
        let a = frames.lowerBound, b = frames.upperBound
        guard b - a > 2 else { return nil }
        let mean = envelope[a..<b].reduce(0, +) / Float(b - a)
        let x = envelope[a..<b].map { Double($0 - mean) }
        let following = (a..<b).map { curve.period(atFrame: Double($0)) }
        let steady = (a..<b).map { t in
            let section = sections.last { $0.start * rate <= Double(t) } ?? sections.first
            return section.map { $0.bpm > 0 ? 60 * rate / $0.bpm : following[t - a] } ?? following[t - a]
        }
        guard let one = contrast(x, periods: steady), let other = contrast(x, periods: following) else { return nil }
        return max(one, other)
    }

    /// The beat contrast of a mean-removed stretch whose beat period (frames) at each frame is `periods`; nil
    /// without variation.
    static func contrast(_ x: [Double], periods: [Double]) -> Double? {
        let energy = x.reduce(0) { $0 + $1 * $1 }
        guard energy > 0 else { return nil }
        /// The autocorrelation at `multiple` local periods plus each offset within the tolerance, over the energy.
        func correlations(_ multiple: Double) -> [Double] {
            let lags = periods.map { Int((multiple * $0).rounded()) }
            return (-toleranceFrames...toleranceFrames).map { offset in
                var sum = 0.0
                for t in x.indices {
                    let u = t + lags[t] + offset
                    if u < x.count { sum += x[t] * x[u] }
                }
                return sum / energy
            }
        }
        // Troughs at the half-beats 0.5, 1.5, … (multiples + 0.5), each shared by the peaks on either side.
        let troughs = (0...multiples).map { correlations(Double($0) + 0.5).min()! }
        var sum = 0.0
        for k in 1...multiples {
            sum += correlations(Double(k)).max()! - (troughs[k - 1] + troughs[k]) / 2
        }
        return sum / Double(multiples)
    }
}
