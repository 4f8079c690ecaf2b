import Foundation

/// The transition shaper: fades, the crossover crossfade with its bass swap, and the echo-out.
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
        let incoming = i > 0 && kinds[i - 1].isBeatMatched ? plan.transitions[i - 1] : nil
        let outgoing = i < plan.transitions.count ? plan.transitions[i] : nil
        crossfade(
            &out, start: start, incoming: incoming,
            outgoing: outgoing != nil && kinds[i].isBeatMatched ? outgoing : nil,
            cutIn: i > 0 && kinds[i - 1] == .cut, cutOut: i < kinds.count && kinds[i] == .cut)
        if let outgoing, kinds[i] == .echoOut { echo(&out, start: start, transition: outgoing, track: t) }
    }

    /// Ramp of the bass swap (seconds): short enough to sound like a cut on the downbeat, long enough not to click.
    static let bassSwapRampSeconds = 0.06

    /// The deck's blends, through its own ``Crossover`` for the whole time it plays (so the phase shift of the
    /// crossover is the same on both decks and constant through each track): above the crossover frequency an
    /// equal-power crossfade through each beat-matched overlap; below it the outgoing bass plays until the swap
    /// downbeat and the incoming bass from there, each ramped over ``bassSwapRampSeconds``, so two basslines never
    /// play together. After an outgoing overlap the deck is silent. A cut (`cutIn`, `cutOut`) swaps both bands
    /// at the bass-swap downbeat, over the same ramp.
    func crossfade(
        _ out: inout [[Float]], start: Int, incoming: PlannedTransition?, outgoing: PlannedTransition?,
        cutIn: Bool = false, cutOut: Bool = false
    ) {
        let length = out[0].count
        let ramp = Double(Self.sampleRate) * Self.bassSwapRampSeconds
        /// (from, to, swap) of an overlap, in samples of `out`.
        func span(_ t: PlannedTransition?) -> (from: Int, to: Int, swap: Int)? {
            t.map {
                (
                    sample($0.overlapStartS) - start, sample($0.overlapEndS) - start,
                    sample($0.bassSwapS ?? $0.overlapStartS) - start
                )
            }
        }
        let entering = span(incoming), leaving = span(outgoing)
        for c in 0..<2 {
            var crossover = Crossover(sampleRate: Double(Self.sampleRate))
            out[c].withUnsafeMutableBufferPointer { x in
                for k in 0..<length {
                    let (low, high) = crossover.process(x[k])
                    var lowGain = 1.0, highGain = 1.0
                    if let (from, to, swap) = entering, k < to {
                        let position = Double(k - from) / Double(max(1, to - from))
                        lowGain = min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                        highGain = cutIn ? lowGain : sin(Double.pi / 2 * min(1, max(0, position)))
                    }
                    if let (from, to, swap) = leaving, k >= from {
                        guard k < to else {
                            x[k] = 0
                            continue
                        }
                        let position = Double(k - from) / Double(max(1, to - from))
                        let swapped = 1 - min(1, max(0, (Double(k - swap) + ramp / 2) / ramp))
                        highGain *= cutOut ? swapped : cos(Double.pi / 2 * position)
                        lowGain *= swapped
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
