import Foundation

/// The transition shaper: fades, the crossover crossfade with its bass swap, the filter sweep, the cut, the plain
/// fade and the echo-out.
extension MixRenderer {
    /// Fades, crossfades and echoes of track `i`, whose deck `out` starts at mix sample `start`; each at its
    /// planned mix time, as `kinds` (the plan's transition kinds, with the render's cuts) says.
    func shape(_ out: inout [[Float]], track i: Int, start: Int, kinds: [PlannedTransition.Kind]) {
        let t = plan.tracks[i]
        let sr = Double(Self.sampleRate)
        let length = out[0].count
        // Short fades where the track starts and ends on its own (first and last track, echo-in).
        let fadeIn = i == 0 || (i > 0 && kinds[i - 1] == .echoOut) ? Int(0.01 * sr) : 0
        for k in 0..<min(fadeIn, length) { for c in 0..<2 { out[c][k] *= Float(k) / Float(fadeIn) } }
        if i == plan.tracks.count - 1 {
            let fade = min(length, Int(0.5 * sr))
            for k in 0..<fade { for c in 0..<2 { out[c][length - 1 - k] *= Float(k) / Float(fade) } }
        }
        let blends = { (k: PlannedTransition.Kind) in k != .echoOut }
        crossfade(
            &out, start: start,
            incoming: i > 0 && blends(kinds[i - 1]) ? (plan.transitions[i - 1], kinds[i - 1]) : nil,
            outgoing: i < plan.transitions.count && blends(kinds[i]) ? (plan.transitions[i], kinds[i]) : nil)
        if i < plan.transitions.count, kinds[i] == .echoOut {
            echo(&out, start: start, transition: plan.transitions[i], track: t)
        }
    }

    /// Ramp of the bass swap (seconds): short enough to sound like a cut on the downbeat, long enough not to click.
    static let bassSwapRampSeconds = 0.06
    /// A filter sweep's high-pass: its cutoff rises exponentially through the overlap from the first to the second
    /// frequency (Hz), and the outgoing track fades out over the overlap's last quarter.
    static let sweepCutoffs = (from: 150.0, to: 4_000.0)

    /// The deck's blends, through its own ``Crossover`` for the whole time it plays (so the phase shift of the
    /// crossover is the same on both decks and constant through each track). By kind:
    /// - a beat-matched blend or tempo ramp: above the crossover frequency an equal-power crossfade through the
    ///   overlap; below it the outgoing bass plays until the swap downbeat and the incoming bass from there, each
    ///   ramped over ``bassSwapRampSeconds``, so two basslines never play together;
    /// - a filter sweep: the same, except that the outgoing high band runs through a high-pass whose cutoff rises
    ///   over ``sweepCutoffs`` and holds its level until the overlap's last quarter;
    /// - a cut: both bands swap at the swap downbeat, over the same ramp;
    /// - a fade: both bands fade together, equal power, through the overlap.
    /// After an outgoing transition the deck is silent.
    func crossfade(
        _ out: inout [[Float]], start: Int, incoming: (PlannedTransition, PlannedTransition.Kind)?,
        outgoing: (PlannedTransition, PlannedTransition.Kind)?
    ) {
        let length = out[0].count
        let sr = Double(Self.sampleRate)
        let ramp = sr * Self.bassSwapRampSeconds
        /// (from, to, swap) of an overlap, in samples of `out`. A cut at either end of the overlap (the outgoing
        /// music ends on that downbeat, or the incoming starts on it) swaps over the ramp inside the overlap.
        func span(_ t: (PlannedTransition, PlannedTransition.Kind)?) -> (from: Int, to: Int, swap: Int)? {
            t.map { t, kind in
                let from = sample(t.overlapStartS) - start, to = sample(t.overlapEndS) - start
                let swap = sample(t.bassSwapS ?? t.overlapStartS) - start
                return (from, to, kind == .cut ? max(from + Int(ramp / 2), min(swap, to - Int(ramp / 2))) : swap)
            }
        }
        let entering = span(incoming), leaving = span(outgoing)
        let inKind = incoming?.1, outKind = outgoing?.1
        for c in 0..<2 {
            var crossover = Crossover(sampleRate: sr)
            var sweep = Crossover.Biquad(frequency: Self.sweepCutoffs.from, sampleRate: sr, highPass: true)
            out[c].withUnsafeMutableBufferPointer { x in
                for k in 0..<length {
                    var (low, high) = crossover.process(x[k])
                    var lowGain = 1.0, highGain = 1.0
                    if let (from, to, swap) = entering, k < max(to, swap + Int(ramp)) {
                        let position = min(1, max(0, Double(k - from) / Double(max(1, to - from))))
                        let swapped = min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                        switch inKind {
                        case .cut: (lowGain, highGain) = (swapped, swapped)
                        case .fade: (lowGain, highGain) = (sin(Double.pi / 2 * position), sin(Double.pi / 2 * position))
                        default: (lowGain, highGain) = (swapped, sin(Double.pi / 2 * position))
                        }
                    }
                    if let (from, to, swap) = leaving, k >= from {
                        guard k < max(to, swap + Int(ramp) / 2) else {
                            x[k] = 0
                            continue
                        }
                        let position = min(1, Double(k - from) / Double(max(1, to - from)))
                        let swapped = 1 - min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                        switch outKind {
                        case .cut:
                            lowGain *= swapped
                            highGain *= swapped
                        case .fade:
                            lowGain *= cos(Double.pi / 2 * position)
                            highGain *= cos(Double.pi / 2 * position)
                        case .filterSweep:
                            if (k - from) % 32 == 0 {
                                let f =
                                    Self.sweepCutoffs.from
                                    * pow(Self.sweepCutoffs.to / Self.sweepCutoffs.from, position)
                                let next = Crossover.Biquad(frequency: f, sampleRate: sr, highPass: true)
                                (sweep.b0, sweep.b1, sweep.b2, sweep.a1, sweep.a2) = (
                                    next.b0, next.b1, next.b2, next.a1, next.a2
                                )
                            }
                            high = sweep.process(high)
                            lowGain *= swapped
                            highGain *= position < 0.75 ? 1 : cos(Double.pi / 2 * (position - 0.75) / 0.25)
                        default:
                            lowGain *= swapped
                            highGain *= cos(Double.pi / 2 * position)
                        }
                    }
                    x[k] = low * Float(lowGain) + high * Float(highGain)
                }
            }
        }
    }

    /// Echo-out: the last bar's dry signal fades out while feeding a one-beat echo (feedback 0.5) that rings on
    /// for ``echoTailBars`` bars.
    func echo(_ out: inout [[Float]], start: Int, transition: PlannedTransition, track: PlannedTrack) {
        let barStart = sample(transition.overlapStartS) - start
        let barEnd = sample(track.timeMap.mixTime(source: track.sourceEndS)) - start
        let length = out[0].count
        let beat = max(1, (barEnd - barStart) / 4)
        for c in 0..<2 {
            var input = [Float](repeating: 0, count: length)
            for k in max(0, barStart)..<min(barEnd, length) {
                let w = Float(k - barStart) / Float(max(1, barEnd - barStart))
                input[k] = out[c][k] * w
                out[c][k] *= 1 - w
            }
            var echo = [Float](repeating: 0, count: length)
            for k in max(0, barStart + beat)..<length {
                echo[k] = Self.echoSend * input[k - beat] + Self.echoFeedback * echo[k - beat]
            }
            for k in max(0, barStart)..<length { out[c][k] += echo[k] }
        }
    }
}
