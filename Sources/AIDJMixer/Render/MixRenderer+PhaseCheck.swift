import Foundation

/// The beat phase of each beat-matched overlap, measured on the audio before the incoming deck is committed.
extension MixRenderer {
    /// The phase of a beat-matched overlap as it will sound: the outgoing deck as already mixed (shaped) against
    /// the incoming deck before its fades.
    func checkPhase(
        _ transition: PlannedTransition, accumulator: [[Float]], accumulatorStart: Int, incoming: [[Float]],
        start: Int, beatSeconds: Double
    ) -> PhaseCheck {
        // The mix time both decks cover through the overlap.
        let from = max(sample(transition.overlapStartS), start, accumulatorStart)
        let to = min(
            sample(transition.overlapEndS), start + incoming[0].count, accumulatorStart + accumulator[0].count)
        guard to > from else { return PhaseCheck(lagS: 0, correlation: 0, action: .unmeasurable, shiftS: 0) }
        func mono(_ x: [[Float]], origin: Int) -> [Float] {
            ((from - origin)..<(to - origin)).map { (x[0][$0] + x[1][$0]) / 2 }
        }
        return PhaseCheck.measure(
            outgoing: mono(accumulator, origin: accumulatorStart), incoming: mono(incoming, origin: start),
            sampleRate: Self.sampleRate, beatSeconds: beatSeconds)
    }
}
