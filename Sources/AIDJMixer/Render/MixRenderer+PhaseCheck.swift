import Foundation

/// The beat phase of each beat-matched overlap, measured on the audio before either deck's blend is shaped.
extension MixRenderer {
    /// The phase of a beat-matched overlap: the outgoing deck against the incoming deck, both as stretched and
    /// placed, before their fades (the fades are decided by the measurement: a blend, or a cut where the phase
    /// cannot be measured).
    func checkPhase(
        _ transition: PlannedTransition, outgoing: [[Float]], outgoingStart: Int, incoming: [[Float]],
        incomingStart: Int, beatSeconds: Double
    ) -> PhaseCheck {
        // The mix time both decks cover through the overlap.
        let from = max(sample(transition.overlapStartS), incomingStart, outgoingStart)
        let to = min(
            sample(transition.overlapEndS), incomingStart + incoming[0].count, outgoingStart + outgoing[0].count)
        guard to > from else { return PhaseCheck(lagS: 0, correlation: 0, action: .unmeasurable, shiftS: 0) }
        func mono(_ x: [[Float]], origin: Int) -> [Float] {
            ((from - origin)..<(to - origin)).map { (x[0][$0] + x[1][$0]) / 2 }
        }
        return PhaseCheck.measure(
            outgoing: mono(outgoing, origin: outgoingStart), incoming: mono(incoming, origin: incomingStart),
            sampleRate: Self.sampleRate, beatSeconds: beatSeconds)
    }
}
