import AIDJCore
import AIDJStore
import Foundation

extension TransitionPlanner {
    /// Length of a plain fade (s), shortened to a third of either track's played length.
    public static let fadeSeconds = 8.0
    /// Fewest whole bars a track needs to be beat-matched in or out.
    static let minimumBars = 16

    /// How one track hands over to the next: the kind, where the overlap lies on each grid, and the rule that
    /// chose it.
    struct Handover {
        var kind: PlannedTransition.Kind
        /// The outgoing track's first bar of the overlap (an echo-out's echo bar) and the incoming track's first
        /// bar played.
        var exit = 0
        var entry = 0
        /// Length of the overlap in bars, and the bar within it where the basses (for a cut, both bands) swap.
        var bars = 0
        var swapBar = 0
        /// The rule, for `reasons.type`, and where each track leaves and enters by its sections.
        var why: String
        var sections: String?
    }

    /// An overlap placed on the two grids.
    struct Overlap {
        var bars: Int
        var exit: Int
        /// Bars in which main sections of both tracks play together.
        var clash: Int
        /// Whether the exit is on a phrase start, and whether the incoming track's first main section starts on
        /// one of the outgoing track's phrase starts (or after it has gone).
        var onPhrase: Bool
        var lands: Bool
    }

    /// Chooses the transition from `a` to `b` by rule, in this order:
    /// - no beat on either side where they meet → a plain fade;
    /// - bars of different lengths in beats (3/4 against 4/4) → an echo-out: laid over each other, the bars'
    ///   downbeats would meet and their beats would not;
    /// - tempi within ±``MixRequest/maximumStretch``:
    ///   - keys two or more Camelot steps apart → a filter sweep over at most 8 bars;
    ///   - the same key, with the end of `a`'s last main section and the start of `b`'s first lined up, when
    ///     a blend would lay main over main or the incoming track has fewer than 4 bars of intro to lay under
    ///     the outgoing one → a cut there (drop to drop);
    ///   - else a beat-matched blend, placed to lay no main section over another where it can;
    /// - tempi within ±``MixRequest/maximumRampStretch`` with room after the overlap → a tempo ramp;
    /// - else an echo-out on a phrase start.
    ///
    /// Only the kinds in ``MixRequest/transitions`` are used, except that an echo-out (or, for a track without
    /// a beat, a fade) is the fallback every pair has.
    func handover(_ ca: MixCandidate, _ cb: MixCandidate, _ a: BarGrid, _ b: BarGrid, earliestExit: Int) -> Handover {
        let allowed = request.transitions
        let fadeWhy = String(format: "plain fade over %.0f s, no beat-matching attempted", Self.fadeSeconds)
        guard a.barCount >= Self.minimumBars, b.barCount >= Self.minimumBars, ca.track.bpm > 0, cb.track.bpm > 0
        else {
            let which = a.barCount < Self.minimumBars || ca.track.bpm <= 0 ? "the outgoing" : "the incoming"
            return Handover(kind: .fade, why: "\(which) track has no beat to match: \(fadeWhy)")
        }
        let keys = ca.key.camelotDistance(to: cb.key)
        let change = abs(cb.track.openingBPM / max(ca.track.closingBPM, 1) - 1)
        let outroBar = min(a.lastMainEnd ?? a.bar(atOrAfter: ca.track.cues.outroStartS), a.barCount)
        let introBar = b.firstMainBar ?? b.bar(atOrAfter: cb.track.cues.introEndS)
        let entry = entryBar(b, introBar: introBar)
        let earliest = max(earliestExit, outroBar - 8)
        if let m = a.beatsPerBar, let n = b.beatsPerBar, m != n {
            return Handover(
                kind: .echoOut, exit: echoBar(a, from: max(earliestExit, min(outroBar, a.barCount - 1))),
                entry: entry, bars: 1,
                why:
                    "\(m) beats to the bar → \(n): their bars cannot be laid over each other beat for beat, so echo-out instead of a beat-matched blend"
            )
        }

        /// The best overlap: the longest length with a placement that lays no main section over another, else the
        /// placement with the fewest such bars at the longest length that has one.
        func overlap(_ lengths: [Int], requireBeat: Bool = true) -> Overlap? {
            var fallback: Overlap?
            for bars in lengths {
                guard entry + bars <= b.barCount, entry + bars - introBar <= 8,
                    !requireBeat || b.hasBeat(through: entry..<(entry + bars))
                else { continue }
                let latest = a.barCount - bars
                guard latest >= earliest else { continue }
                let options = (earliest...latest).filter { !requireBeat || a.hasBeat(through: $0..<($0 + bars)) }
                let placed = options.map { x -> Overlap in
                    let inB = introBar - entry
                    let clash = max(0, min(bars, outroBar - x) - max(0, inB))
                    let lands =
                        inB > bars || (inB <= 0 ? a.phraseBars.contains(x) : a.phraseBars.contains(x + inB))
                        || x + inB == a.barCount
                    return Overlap(
                        bars: bars, exit: x, clash: clash, onPhrase: a.phraseBars.contains(x), lands: lands)
                }
                // No main over main first, then an exit on a phrase, then a landing on one, then the latest.
                if let best = placed.max(by: {
                    ($0.clash == 0 ? 1 : 0, -$0.clash, $0.onPhrase ? 1 : 0, $0.lands ? 1 : 0, $0.exit)
                        < ($1.clash == 0 ? 1 : 0, -$1.clash, $1.onPhrase ? 1 : 0, $1.lands ? 1 : 0, $1.exit)
                }) {
                    if best.clash == 0 { return best }
                    if fallback == nil || best.clash < fallback!.clash { fallback = best }
                }
            }
            return fallback
        }
        func blended(_ kind: PlannedTransition.Kind, _ o: Overlap, _ why: String) -> Handover {
            Handover(
                kind: kind, exit: o.exit, entry: entry, bars: o.bars, swapBar: o.bars / 2, why: why,
                sections: describe(o, a, b, entry: entry, introBar: introBar, outroBar: outroBar))
        }
        let keyText = "\(ca.key.camelotText) → \(cb.key.camelotText)"
        if change <= request.maximumStretch {
            if keys >= 2, allowed.contains(.filterSweep), let o = overlap(candidateLengths().filter { $0 <= 8 }) {
                return blended(
                    .filterSweep, o,
                    "keys \(keyText) are \(keys) Camelot steps apart, so their harmonies would clash through a long blend: filter sweep over \(o.bars) bars"
                )
            }
            let blend = allowed.contains(.beatmatch) ? overlap(candidateLengths()) : nil
            // Fewer than 4 bars with a beat before the incoming main section: nothing to lay under the outgoing
            // track (the other way round, the incoming intro is laid under the outgoing main's last bars).
            let tight = introBar - entry < 4
            if keys == 0, allowed.contains(.cut), blend == nil || blend!.clash > 0 || tight,
                let x = cutBar(a, b, outroBar: outroBar, introBar: introBar), x - 1 >= earliestExit
            {
                let rule =
                    blend == nil
                    ? "no blend fits"
                    : blend!.clash > 0
                        ? "a blend would lay main sections over each other"
                        : "the incoming intro is too short to blend"
                // The overlap: the bar before the cut on each side and, where A goes on, the bar after; when B's
                // main section is its first bar, A's bar after the cut against it, swapped at its start.
                let (exit, entry, bars, swapBar) =
                    introBar >= 1 ? (x - 1, introBar - 1, x < a.barCount ? 2 : 1, 1) : (x, 0, 1, 0)
                return Handover(
                    kind: .cut, exit: exit, entry: entry, bars: bars, swapBar: swapBar,
                    why:
                        "same key (\(keyText)), the sections line up and \(rule): cut from the end of the outgoing track's last main section to the start of the incoming one's first (drop to drop)",
                    sections:
                        "leaves at bar \(x) where its last main section ends; enters at bar \(introBar) where its first main section starts"
                )
            }
            if let o = blend {
                return blended(
                    .beatmatch, o,
                    o.clash == 0
                        ? String(
                            format: "tempi within ±%.0f %%: a %d-bar beat-matched blend with a bass swap",
                            request.maximumStretch * 100, o.bars)
                        : String(
                            format:
                                "tempi within ±%.0f %%: a %d-bar beat-matched blend; main sections overlap for %d bars, as no placement within reach avoids it",
                            request.maximumStretch * 100, o.bars, o.clash))
            }
        } else if change <= request.maximumRampStretch, allowed.contains(.tempoRamp),
            let o = overlap(candidateLengths()), b.barCount - entry - o.bars - 1 >= rampBars.fewest
        {
            return blended(.tempoRamp, o, "")  // the planner states the rule with the glide it fits
        }
        // Where a placement exists on the grids but every one crosses a passage without a beat: a fade.
        if allowed.contains(.fade), overlap(candidateLengths()) == nil,
            overlap(candidateLengths(), requireBeat: false) != nil
        {
            return Handover(
                kind: .fade,
                why: "every overlap within reach crosses a passage without a beat: \(fadeWhy)")
        }
        let exit = echoBar(a, from: max(earliestExit, min(outroBar, a.barCount - 1)))
        // Which of the blends asked for would this pair's keys and tempi call for, room allowing.
        let within = change <= request.maximumStretch
        let ruled: [PlannedTransition.Kind: Bool] = [
            .beatmatch: within, .filterSweep: within && keys >= 2, .cut: within && keys == 0,
            .tempoRamp: !within && change <= request.maximumRampStretch,
        ]
        let why: String
        if change > request.maximumRampStretch
            || (!within && allowed.contains(.tempoRamp))
        {
            why = String(
                format:
                    "tempo %.0f → %.0f BPM is beyond ±%.0f %% (or leaves no room for a ramp): echo-out instead of a beat-matched blend",
                ca.track.closingBPM, cb.track.openingBPM, request.maximumRampStretch * 100)
        } else if !allowed.contains(where: { ruled[$0] ?? false }) {
            why =
                "the transitions asked for (\(allowed.map(\.rawValue).sorted().joined(separator: ", "))) do not fit this pair: echo-out"
        } else {
            why = "no room for a beat-matched overlap in these intros and outros: echo-out instead"
        }
        return Handover(kind: .echoOut, exit: exit, entry: entry, bars: 1, why: why)
    }

    /// The incoming track's first bar: its first bar with a beat (a beatless intro is skipped, as a DJ cues the
    /// first beat), moved on to a phrase start when one comes before its first main section.
    func entryBar(_ b: BarGrid, introBar: Int) -> Int {
        guard let first = b.sections.first(where: { $0.hasBeat && !$0.bars.isEmpty })?.bars.lowerBound, first > 0
        else { return 0 }
        return (first..<max(first, introBar)).first { b.phraseBars.contains($0) } ?? first
    }

    /// Where a cut can fall: the end of `a`'s last main section, when it and the start of `b`'s first main
    /// section line up (section boundaries on downbeats; without sections, phrase starts), with a beat on both
    /// sides and a bar of either track around the cut.
    func cutBar(_ a: BarGrid, _ b: BarGrid, outroBar x: Int, introBar y: Int) -> Int? {
        guard x >= 1, x <= a.barCount, y + 1 <= b.barCount, y >= 1 || x < a.barCount,
            a.phraseBars.contains(x) || x == a.barCount || !a.sections.isEmpty,
            b.phraseBars.contains(y) || !b.sections.isEmpty,
            a.hasBeat(through: (x - 1)..<x), b.hasBeat(through: y..<(y + 1))
        else { return nil }
        return x
    }

    /// Where each track leaves and enters by its sections (nil when neither has sections).
    func describe(_ o: Overlap, _ a: BarGrid, _ b: BarGrid, entry: Int, introBar: Int, outroBar: Int) -> String? {
        guard !a.sections.isEmpty || !b.sections.isEmpty else { return nil }
        func label(_ g: BarGrid, _ bar: Int) -> String {
            g.sections.first { $0.bars.contains(bar) }?.label ?? "end"
        }
        var parts = ["leaves from bar \(o.exit) (its \(label(a, o.exit)))"]
        let givenUp = a.mainBars(in: o.exit..<max(o.exit, min(outroBar, a.barCount)))
        if givenUp > 0 { parts[0] += ", giving up \(givenUp) bars of main" }
        parts.append(entry > 0 ? "enters at bar \(entry), after its intro without a beat" : "enters at bar 0")
        let inB = introBar - entry
        if inB > 0 && inB <= o.bars {
            parts.append(
                "its first main section lands on bar \(o.exit + inB) of the outgoing track"
                    + (a.phraseBars.contains(o.exit + inB) ? ", a phrase start" : ""))
        } else if inB > o.bars {
            parts.append("its first main section starts \(inB - o.bars) bars after the outgoing track has gone")
        }
        if o.clash > 0 { parts.append("main sections overlap for \(o.clash) bars") }
        return parts.joined(separator: "; ")
    }
}
