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
    /// crossover is the same on both decks and constant through each track): through the overlap it enters by and
    /// the one it leaves by, each band at the gains of the transition's ``TransitionShape`` (a blend, a filter
    /// sweep, a cut or a fade). After an outgoing transition the deck is silent.
    func crossfade(
        _ out: inout [[Float]], start: Int, incoming: (PlannedTransition, PlannedTransition.Kind)?,
        outgoing: (PlannedTransition, PlannedTransition.Kind)?
    ) {
        let length = out[0].count
        let sr = Double(Self.sampleRate)
        let ramp = sr * Self.bassSwapRampSeconds
        /// The overlap on this deck. A cut at either end of the overlap (the outgoing music ends on that downbeat, or
        /// the incoming starts on it) swaps over the ramp inside the overlap.
        func span(_ t: (PlannedTransition, PlannedTransition.Kind)?) -> OverlapSpan? {
            t.map { t, kind in
                let from = sample(t.overlapStartS) - start, to = sample(t.overlapEndS) - start
                let swap = sample(t.bassSwapS ?? t.overlapStartS) - start
                return OverlapSpan(
                    from: from, to: to,
                    swap: kind == .cut ? max(from + Int(ramp / 2), min(swap, to - Int(ramp / 2))) : swap, ramp: ramp)
            }
        }
        let entering = span(incoming), leaving = span(outgoing)
        for c in 0..<2 {
            var crossover = Crossover(sampleRate: sr)
            let inShape = incoming?.1.shape(sampleRate: sr)
            var outShape = outgoing?.1.shape(sampleRate: sr)
            out[c].withUnsafeMutableBufferPointer { x in
                for k in 0..<length {
                    var (low, high) = crossover.process(x[k])
                    var lowGain = 1.0, highGain = 1.0
                    if let entering, let inShape, k < entering.end {
                        (lowGain, highGain) = inShape.incoming(k, entering)
                    }
                    if let leaving, k >= leaving.from, outShape != nil {
                        guard k < leaving.end else {
                            x[k] = 0
                            continue
                        }
                        let (l, h) = outShape!.outgoing(k, leaving, high: &high)
                        lowGain *= l
                        highGain *= h
                    }
                    x[k] = low * Float(lowGain) + high * Float(highGain)
                }
            }
        }
    }

    /// Echo-out: the last bar's dry signal fades out while feeding a one-beat echo (feedback 0.5) that rings on
    /// for ``echoTailBars`` bars. The beat is the bar over its beats (``beatsInBar(sourceSeconds:bpm:)``), so a bar
    /// of 3/4 echoes on its beat as a bar of 4/4 does.
    func echo(_ out: inout [[Float]], start: Int, transition: PlannedTransition, track: PlannedTrack) {
        let barStart = sample(transition.overlapStartS) - start
        let barEnd = sample(track.timeMap.mixTime(source: track.sourceEndS)) - start
        let length = out[0].count
        let beats = Self.beatsInBar(
            sourceSeconds: track.sourceEndS - track.timeMap.sourceTime(mix: transition.overlapStartS), bpm: track.bpm)
        let beat = max(1, (barEnd - barStart) / beats)
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

    /// How many beats a bar of `sourceSeconds` at the track's `bpm` holds: its length in beats, rounded (at least
    /// 1). The bars come from the analysed downbeats, so a track in 3/4 has bars of 3 beats, and a bar a little
    /// off the track's main tempo (a ritardando, a drifting drummer) still counts its beats right.
    static func beatsInBar(sourceSeconds: Double, bpm: Double) -> Int {
        guard sourceSeconds > 0, bpm > 0 else { return 4 }
        return max(1, Int((sourceSeconds * bpm / 60).rounded()))
    }
}
