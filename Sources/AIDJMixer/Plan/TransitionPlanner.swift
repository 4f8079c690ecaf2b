import AIDJCore
import AIDJStore
import Foundation

/// Places ordered tracks on the mix timeline: where each one mixes out and the next mixes in, how long the overlap
/// is, the tempo ratio through it and the glide back, and each track's time map.
///
/// Rules (in bars of the tracks' own beat grids; the kind of each transition is chosen by
/// ``handover(_:_:_:_:earliestExit:)``):
/// - the incoming track enters on its first downbeat with a beat (a beatless intro is skipped); the overlap covers
///   its first `L` bars, so its intro plays under the outgoing outro; at most 8 bars of its main body may fall
///   inside the overlap;
/// - the outgoing track leaves on a downbeat within the last `L` bars before the end of its music and never more
///   than 8 bars before the end of its last main section (at most 8 bars of the main body are given up),
///   preferring a placement that lays no main section over the other's, an exit on a phrase start, and the
///   incoming first main section landing on a phrase start, in that order;
/// - no beat-matched overlap crosses a section without a beat;
/// - `L` is the requested length, else halved (16 → 8 → 4) until it fits both tracks;
/// - through the overlap the incoming track is stretched so its `L` bars last exactly as long as the outgoing
///   track's `L` bars (downbeats meet at both ends), then glides back to its own tempo over up to 8 bars;
/// - a tempo ratio beyond ±`maximumStretch` is ramped (up to ±`maximumRampStretch`) or not matched: an echo-out
///   on a phrase boundary;
/// - a track without a beat, or a pair whose every overlap crosses a beatless passage, is faded.
public struct TransitionPlanner: Sendable {
    public var request: MixRequest
    public var glideBars = 8
    /// Bars over which a tempo ramp returns the incoming track to its own tempo: the most, and the fewest that
    /// still sound like a ramp rather than a jump (DJs ride the pitch over 16 to 32 bars).
    public var rampBars = (most: 32, fewest: 16)

    public init(request: MixRequest) { self.request = request }

    struct Placement: Sendable {
        var map: [(mix: Double, source: Double)]
        var sourceStart: Double
        var stretchEnd: Double
        var stretchPercent: Double
        /// First bar that may start the mix-out (after the mix-in overlap and the glide).
        var earliestExitBar: Int
    }

    /// Lays an ordered set on its bar grids: where each track enters and leaves, the time maps that stretch it, the
    /// kind of each transition, the gains, and the reasons for each choice.
    ///
    /// - Parameters:
    ///   - tracks: the candidates in mix order.
    ///   - grids: their bar grids, in the same order.
    ///   - sequencer: the sequencer that ordered them (its costs go into the reasons).
    ///   - notes: carried into the plan (what the planner left out and why).
    public func plan(_ tracks: [MixCandidate], grids: [BarGrid], sequencer: Sequencer, notes: [String] = [])
        -> MixPlan
    {
        place(tracks, grids: grids, sequencer: sequencer, notes: notes).plan
    }

    /// ``plan(_:grids:sequencer:notes:)``, continuing from where the first track already plays (`opening`: its
    /// placement from an earlier plan, so a live mix extends one track at a time), and optionally made to leave the
    /// first track by an echo-out on bar `echoExit` (a skip). Also returns each track's placement.
    func place(
        _ tracks: [MixCandidate], grids: [BarGrid], sequencer: Sequencer, notes: [String] = [],
        opening: Placement? = nil, echoExit: Int? = nil
    ) -> (plan: MixPlan, placements: [Placement]) {
        precondition(tracks.count == grids.count && !tracks.isEmpty, "one grid per track")
        // The first track starts where its sound does (leading silence is skipped).
        let openingS = max(0, tracks[0].track.cues.firstSoundS - 0.05)
        var placements: [Placement] = [
            opening
                ?? Placement(
                    map: [(0, openingS)], sourceStart: openingS, stretchEnd: openingS, stretchPercent: 0,
                    earliestExitBar: 0)
        ]
        var ends: [(mix: Double, source: Double)] = []
        var transitions: [PlannedTransition] = []
        for i in 0..<(tracks.count - 1) {
            let a = grids[i], b = grids[i + 1]
            let out = placements[i]
            let mapA = TimeMap(points: out.map)
            var reasons = transitionReasons(tracks[i], tracks[i + 1], sequencer: sequencer)
            var choice = handover(tracks[i], tracks[i + 1], a, b, earliestExit: out.earliestExitBar)
            if i == 0, let echoExit {
                let introBar = b.firstMainBar ?? b.bar(atOrAfter: tracks[1].track.cues.introEndS)
                choice = Handover(
                    kind: .echoOut, exit: min(echoExit, max(0, a.barCount - 1)), entry: entryBar(b, introBar: introBar),
                    bars: 1, why: "skipped by a listener: echo-out on the next downbeat")
            }
            reasons.type = choice.why
            reasons.sections = choice.sections
            switch choice.kind {
            case .fade:
                // Each plays at its own tempo: A to the end of its music, fading over the last seconds; B from its
                // first sound, fading in over the same seconds.
                let endA = min(tracks[i].track.durationS, tracks[i].track.cues.lastSoundS + 0.5)
                let startB = tracks[i + 1].track.cues.firstSoundS
                let playedA = endA - (out.map.first?.source ?? 0)
                let playedB = tracks[i + 1].track.cues.lastSoundS - startB
                let fade = max(0.5, min(Self.fadeSeconds, playedA / 3, playedB / 3))
                let end = mapA.mixTime(source: endA)
                ends.append((end, endA))
                placements.append(
                    Placement(
                        map: [(end - fade, startB)], sourceStart: startB, stretchEnd: startB, stretchPercent: 0,
                        earliestExitBar: b.bar(atOrAfter: startB + fade)))
                transitions.append(
                    PlannedTransition(
                        from: i, to: i + 1, overlapStartS: end - fade, overlapEndS: end, bars: 0, type: .fade,
                        bassSwapS: nil, reasons: reasons))
            case .echoOut:
                // Echo-out: A's bar `exit` feeds a beat echo while its dry signal fades; B starts on the next downbeat.
                let echoExit = choice.exit
                let start = mapA.mixTime(source: a.boundaries[echoExit])
                let handover = mapA.mixTime(source: a.boundaries[echoExit + 1])
                let barLength = a.boundaries[echoExit + 1] - a.boundaries[echoExit]
                ends.append((handover, a.boundaries[echoExit + 1]))
                placements.append(
                    Placement(
                        map: [(handover, b.boundaries[choice.entry])], sourceStart: b.boundaries[choice.entry],
                        stretchEnd: b.boundaries[choice.entry], stretchPercent: 0, earliestExitBar: choice.entry))
                transitions.append(
                    PlannedTransition(
                        from: i, to: i + 1, overlapStartS: start,
                        overlapEndS: handover + MixRenderer.echoTailBars * barLength, bars: 1, type: .echoOut,
                        bassSwapS: nil, reasons: reasons))
            default:
                // Beat-matched: B's bars from `entry` over A's from `exit`, stretched so their downbeats meet at both
                // ends, then a glide back to B's own tempo (longer for a ramp).
                let (bars, exit, entry) = (choice.bars, choice.exit, choice.entry)
                let tA0 = mapA.mixTime(source: a.boundaries[exit])
                let tA1 = mapA.mixTime(source: a.boundaries[exit + bars])
                let ratio: Double
                var map: [(mix: Double, source: Double)]
                /// B's bar from which the glide back starts.
                let glideFrom: Int
                if choice.kind == .cut {
                    // A cut: B's first main bar starts on the cut, at the length of A's last main bar; the bar before
                    // it (still muted) runs at the same rate. Measured on those two bars, not over the overlap, where
                    // B may have no beat to place its bars by.
                    let x = exit + choice.swapBar, y = entry + choice.swapBar
                    let cutAt = mapA.mixTime(source: a.boundaries[x])
                    ratio =
                        (cutAt - mapA.mixTime(source: a.boundaries[x - 1])) / (b.boundaries[y + 1] - b.boundaries[y])
                    map =
                        y > entry
                        ? [(cutAt - (b.boundaries[y] - b.boundaries[entry]) * ratio, b.boundaries[entry])] : []
                    map.append((cutAt, b.boundaries[y]))
                    // The first bar after the cut at the outgoing rate, then the glide.
                    map.append((cutAt + (b.boundaries[y + 1] - b.boundaries[y]) * ratio, b.boundaries[y + 1]))
                    glideFrom = y + 1
                } else {
                    ratio = (tA1 - tA0) / (b.boundaries[entry + bars] - b.boundaries[entry])
                    map = [(tA0, b.boundaries[entry]), (tA1, b.boundaries[entry + bars])]
                    glideFrom = entry + bars
                }
                let room = max(0, b.barCount - glideFrom - 1)
                let glide = abs(ratio - 1) < 1e-4 ? 0 : min(choice.kind == .tempoRamp ? rampBars.most : glideBars, room)
                for k in 0..<glide {
                    let r = ratio + (1 - ratio) * Double(k + 1) / Double(glide + 1)
                    let last = map[map.count - 1]
                    let next = b.boundaries[glideFrom + k + 1]
                    map.append((last.mix + (next - last.source) * r, next))
                }
                ends.append((tA1, a.boundaries[exit + bars]))
                placements.append(
                    Placement(
                        map: map, sourceStart: b.boundaries[entry], stretchEnd: map[map.count - 1].source,
                        stretchPercent: abs(ratio - 1) < 1e-4 ? 0 : (1 / ratio - 1) * 100,
                        earliestExitBar: glideFrom + glide))
                if choice.kind == .tempoRamp { reasons.type = rampReason(tracks[i], tracks[i + 1], glide: glide) }
                transitions.append(
                    PlannedTransition(
                        from: i, to: i + 1, overlapStartS: tA0, overlapEndS: tA1, bars: bars, type: choice.kind,
                        bassSwapS: mapA.mixTime(source: a.boundaries[exit + choice.swapBar]), reasons: reasons))
            }
        }
        // The last track plays to the end of its music.
        let last = tracks.count - 1
        let lastEnd = min(tracks[last].track.durationS, tracks[last].track.cues.lastSoundS + 0.5)
        ends.append((TimeMap(points: placements[last].map).mixTime(source: lastEnd), lastEnd))

        var planned: [PlannedTrack] = []
        for (i, c) in tracks.enumerated() {
            let p = placements[i]
            var map = p.map
            if map[map.count - 1].source < ends[i].source - 1e-6 { map.append(ends[i]) }
            var mixEnd = ends[i].mix
            if i < transitions.count, transitions[i].type == .echoOut || transitions[i].type == .fade {
                mixEnd = transitions[i].overlapEndS
            }
            var reasons = trackReasons(c, position: map[0].mix / max(request.minutes * 60, 1))
            var gain = request.targetLUFS - (c.track.loudnessLUFS ?? request.targetLUFS)
            let headroom = request.ceilingDBTP + request.maximumLimitingDB - (c.track.cues.truePeakDBTP ?? -100)
            if gain > headroom {
                reasons.gain = String(
                    format:
                        "%+.1f dB would reach %.0f LUFS; held at %+.1f dB so the limiter takes at most %.0f dB off its peaks",
                    gain, request.targetLUFS, headroom, request.maximumLimitingDB)
                gain = headroom
            } else {
                reasons.gain = String(
                    format: "%+.1f dB: %.1f LUFS to the %.0f LUFS target", gain,
                    c.track.loudnessLUFS ?? request.targetLUFS,
                    request.targetLUFS)
            }
            planned.append(
                PlannedTrack(
                    id: c.track.id, path: c.track.path, title: c.track.title, artist: c.track.artist,
                    mixStartS: map[0].mix, mixEndS: mixEnd, sourceStartS: p.sourceStart, sourceEndS: ends[i].source,
                    bpm: c.track.bpm, stretchPercent: (p.stretchPercent * 100).rounded() / 100,
                    key: c.key?.description, camelot: c.key?.camelot, energy: c.track.energy, valence: c.track.valence,
                    loudnessLUFS: c.track.loudnessLUFS, gainDB: (gain * 100).rounded() / 100,
                    timeMap: TimeMap(points: map), stretchEndS: p.stretchEnd,
                    reasons: reasons,
                    sections: mixSections(
                        grids[i], map: TimeMap(points: map), from: p.sourceStart,
                        to: ends[i].source)))
        }
        let pairs = zip(tracks, tracks.dropFirst())
        let harmonic =
            tracks.count > 1
            ? Double(pairs.filter { $0.key.camelotDistance(to: $1.key) <= 1 }.count) / Double(tracks.count - 1) : 1
        let duration = planned.map(\.mixEndS).max() ?? 0
        var plan = MixPlan(
            tracks: planned, transitions: transitions, durationS: duration, mood: request.mood.name,
            arc: request.arc.rawValue, targetLUFS: request.targetLUFS, harmonicShare: harmonic, loudnessLUFS: nil,
            truePeakDBTP: nil, notes: notes)
        // The arc is drawn against the requested length, as the sequencer placed tracks against it.
        let requested = max(request.minutes * 60, 1)
        plan.energyArc = (0...50).map { k in
            let t = duration * Double(k) / 50
            return [
                (t * 10).rounded() / 10,
                (request.mood.energy(atLevel: request.arc.level(at: t / requested)) * 1000).rounded() / 1000,
            ]
        }
        return (plan, placements)
    }

    /// A grid's sections as heard: in mix time through `map`, clipped to the source played.
    func mixSections(_ grid: BarGrid, map: TimeMap, from: Double, to: Double) -> [PlannedTrack.Section] {
        grid.sections.compactMap { s in
            guard s.bars.upperBound < grid.boundaries.count else { return nil }
            let a = max(from, grid.boundaries[s.bars.lowerBound]), b = min(to, grid.boundaries[s.bars.upperBound])
            guard b > a else { return nil }
            return PlannedTrack.Section(
                label: s.label, mixStartS: (map.mixTime(source: a) * 100).rounded() / 100,
                mixEndS: (map.mixTime(source: b) * 100).rounded() / 100, hasBeat: s.hasBeat)
        }
    }

    func candidateLengths() -> [Int] {
        var lengths: [Int] = []
        var l = max(1, request.transitionBars)
        while l >= 4 {
            lengths.append(l)
            l /= 2
        }
        if lengths.isEmpty { lengths = [l] }
        return lengths
    }

    /// The echo bar: the first phrase start at or after `bar`, else `bar` itself (always a whole bar).
    func echoBar(_ grid: BarGrid, from bar: Int) -> Int {
        let last = max(0, grid.barCount - 1)
        return (min(bar, last)...last).first { grid.phraseBars.contains($0) } ?? min(bar, last)
    }

    /// The rule that chose a tempo ramp.
    func rampReason(_ a: MixCandidate, _ b: MixCandidate, glide: Int) -> String {
        String(
            format:
                "tempo %.1f → %.1f BPM is %.1f %% apart, beyond ±%.0f %% for a blend: tempo ramp, entering at %.1f BPM and returning to its own tempo over %d bars",
            a.track.closingBPM, b.track.openingBPM, abs(b.track.openingBPM / max(a.track.closingBPM, 1) - 1) * 100,
            request.maximumStretch * 100, a.track.closingBPM, glide)
    }

    func transitionReasons(_ a: MixCandidate, _ b: MixCandidate, sequencer: Sequencer) -> PlannedTransition.Reasons {
        let d = a.key.camelotDistance(to: b.key)
        return PlannedTransition.Reasons(
            key: "\(a.key.camelotText) → \(b.key.camelotText) (Camelot distance \(d)"
                + (a.key == nil || b.key == nil
                    ? ", no key on one side)" : d == 0 ? ", same key)" : d == 1 ? ", neighbours)" : ")"),
            // The tempi where the two meet: the outgoing track's closing tempo and the incoming one's opening tempo.
            tempo: String(
                format: "%.1f → %.1f BPM (%+.1f %%)", a.track.closingBPM, b.track.openingBPM,
                (b.track.openingBPM / max(a.track.closingBPM, 1) - 1) * 100),
            energy: String(format: "%.2f → %.2f", a.track.energy, b.track.energy),
            mood: String(format: "fit %.2f", b.moodFit),
            taste: b.taste.map { String(format: "%.2f", $0) },
            cost: String(format: "%.2f", sequencer.transitionCost(a, b)))
    }

    func trackReasons(_ c: MixCandidate, position: Double) -> PlannedTrack.Reasons {
        let target = request.mood.energy(atLevel: request.arc.level(at: position))
        return PlannedTrack.Reasons(
            mood: request.mood.reason(energy: c.track.energy, valence: c.track.valence, bpm: c.track.bpm),
            energy: String(format: "energy %.2f for the arc's %.2f here", c.track.energy, target),
            taste: c.taste.map { String(format: "taste score %.2f", $0) })
    }
}
