import Foundation

/// Where an overlap lies on one deck, in samples of the deck, and the ramps measured from it.
struct OverlapSpan {
    var from: Int
    var to: Int
    /// The swap downbeat (the overlap's start for a transition without one).
    var swap: Int
    /// Length of the swap ramp (samples).
    var ramp: Double

    /// How far through the overlap `k` lies, in [0, 1].
    func position(_ k: Int) -> Double { min(1, max(0, Double(k - from) / Double(max(1, to - from)))) }
    /// The incoming gain of a swap at `k`: 0 before the ramp, 1 after it, linear through it.
    func swapped(_ k: Int) -> Double { min(1, max(0, (Double(k - swap) + ramp / 2) / ramp)) }
    /// Where the incoming deck's shaping ends and the outgoing deck falls silent.
    var end: Int { max(to, swap + Int(ramp / 2)) }
}

/// One transition kind's shaping of the two decks through an overlap: the gain of each deck's low band (below the
/// crossover) and high band at every sample of the overlap, and any filter on the outgoing high band. The renderer
/// runs each deck through its own crossover and asks the shape of the transition it enters by and the one it
/// leaves by; outside the overlaps both gains are 1, and after the outgoing overlap the deck is silent.
protocol TransitionShape {
    /// The incoming deck's (low, high) gains at sample `k` of the overlap `span`.
    func incoming(_ k: Int, _ span: OverlapSpan) -> (low: Double, high: Double)
    /// The outgoing deck's gains at `k`; may filter its high band in place.
    mutating func outgoing(_ k: Int, _ span: OverlapSpan, high: inout Float) -> (low: Double, high: Double)
}

extension PlannedTransition.Kind {
    /// The shape of this kind of transition (nil for an echo-out, which the echo shapes instead).
    func shape(sampleRate: Double) -> (any TransitionShape)? {
        switch self {
        case .beatmatch, .tempoRamp: BlendShape()
        case .filterSweep: FilterSweepShape(sampleRate: sampleRate)
        case .cut: CutShape()
        case .fade: FadeShape()
        case .echoOut: nil
        }
    }
}

/// A beat-matched blend: an equal-power crossfade of the high bands through the overlap, and a bass swap on the
/// swap downbeat, so two basslines never play together.
struct BlendShape: TransitionShape {
    func incoming(_ k: Int, _ span: OverlapSpan) -> (low: Double, high: Double) {
        (span.swapped(k), sin(Double.pi / 2 * span.position(k)))
    }
    func outgoing(_ k: Int, _ span: OverlapSpan, high: inout Float) -> (low: Double, high: Double) {
        (1 - span.swapped(k), cos(Double.pi / 2 * span.position(k)))
    }
}

/// A filter sweep: the incoming deck enters as in a blend; the outgoing high band runs through a high-pass whose
/// cutoff rises exponentially over ``MixRenderer/sweepCutoffs`` through the overlap, at full level until the
/// overlap's last quarter, where it fades out. Its bass swaps out on the swap downbeat as in a blend.
struct FilterSweepShape: TransitionShape {
    let sampleRate: Double
    var filter: Crossover.Biquad

    init(sampleRate: Double) {
        self.sampleRate = sampleRate
        filter = Crossover.Biquad(frequency: MixRenderer.sweepCutoffs.from, sampleRate: sampleRate, highPass: true)
    }

    func incoming(_ k: Int, _ span: OverlapSpan) -> (low: Double, high: Double) {
        BlendShape().incoming(k, span)
    }
    mutating func outgoing(_ k: Int, _ span: OverlapSpan, high: inout Float) -> (low: Double, high: Double) {
        let position = span.position(k)
        if (k - span.from) % 32 == 0 {
            // The cutoff moves every 32 samples (0.7 ms); the filter keeps its state.
            let (from, to) = MixRenderer.sweepCutoffs
            let next = Crossover.Biquad(
                frequency: from * pow(to / from, position), sampleRate: sampleRate, highPass: true)
            (filter.b0, filter.b1, filter.b2, filter.a1, filter.a2) = (next.b0, next.b1, next.b2, next.a1, next.a2)
        }
        high = filter.process(high)
        return (1 - span.swapped(k), position < 0.75 ? 1 : cos(Double.pi / 2 * (position - 0.75) / 0.25))
    }
}

/// A cut: both bands swap on the swap downbeat, over the swap ramp.
struct CutShape: TransitionShape {
    func incoming(_ k: Int, _ span: OverlapSpan) -> (low: Double, high: Double) {
        (span.swapped(k), span.swapped(k))
    }
    func outgoing(_ k: Int, _ span: OverlapSpan, high: inout Float) -> (low: Double, high: Double) {
        (1 - span.swapped(k), 1 - span.swapped(k))
    }
}

/// A plain fade: both bands of both decks cross with equal power through the overlap.
struct FadeShape: TransitionShape {
    func incoming(_ k: Int, _ span: OverlapSpan) -> (low: Double, high: Double) {
        let g = sin(Double.pi / 2 * span.position(k))
        return (g, g)
    }
    func outgoing(_ k: Int, _ span: OverlapSpan, high: inout Float) -> (low: Double, high: Double) {
        let g = cos(Double.pi / 2 * span.position(k))
        return (g, g)
    }
}
