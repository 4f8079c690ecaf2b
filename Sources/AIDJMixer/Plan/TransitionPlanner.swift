import AIDJCore
import AIDJStore
import Foundation

/// Places ordered tracks on the mix timeline: where each one mixes out and the next mixes in, how long the overlap
/// is, the tempo ratio through it and the glide back, and each track's time map.
///
/// Rules (in bars of the tracks' own beat grids):
/// - the incoming track enters on its first downbeat; the overlap covers its first `L` bars, so its intro plays
///   under the outgoing outro; at most 8 bars of its main body may fall inside the overlap;
/// - the outgoing track leaves on a downbeat: the overlap is its last `L` whole bars before the end of its music,
///   moved back to start on a phrase boundary where one is within reach, and never starting more than 8 bars
///   before its outro (at most 8 bars of the main body are given up);
/// - `L` is the requested length, else halved (16 → 8 → 4) until it fits both tracks;
/// - through the overlap the incoming track is stretched so its `L` bars last exactly as long as the outgoing
///   track's `L` bars (downbeats meet at both ends), then glides back to its own tempo over up to 8 bars;
/// - a tempo ratio beyond ±`maximumStretch` is not matched: the transition is an echo-out on a phrase boundary.
public struct TransitionPlanner: Sendable {
    public var request: MixRequest
    public var glideBars = 8
    /// Bars over which a tempo ramp returns the incoming track to its own tempo: the most, and the fewest that
    /// still sound like a ramp rather than a jump (DJs ride the pitch over 16 to 32 bars).
    public var rampBars = (most: 32, fewest: 16)

    public init(request: MixRequest) { self.request = request }

    struct Placement {
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
        precondition(tracks.count == grids.count && !tracks.isEmpty, "one grid per track")
        // The first track starts where its sound does (leading silence is skipped).
        let opening = max(0, tracks[0].track.cues.firstSoundS - 0.05)
        var placements: [Placement] = [
            Placement(
                map: [(0, opening)], sourceStart: opening, stretchEnd: opening, stretchPercent: 0, earliestExitBar: 0)
        ]
        var ends: [(mix: Double, source: Double)] = []
        var transitions: [PlannedTransition] = []
        for i in 0..<(tracks.count - 1) {
            let a = grids[i], b = grids[i + 1]
            let out = placements[i]
            let mapA = TimeMap(points: out.map)
            let outroBar = a.bar(atOrAfter: tracks[i].track.cues.outroStartS)
            let introBars = b.bar(atOrAfter: tracks[i + 1].track.cues.introEndS)
            let bodyBarsB = b.barCount - introBars
            var chosen: (bars: Int, exit: Int)?
            for bars in candidateLengths() {
                guard bars <= b.barCount, bars - introBars <= 8, bars - introBars <= bodyBarsB else { continue }
                let latest = a.barCount - bars
                let earliest = max(out.earliestExitBar, outroBar - 8)
                guard latest >= earliest else { continue }
                let phrase = (earliest...latest).reversed().first { a.phraseBars.contains($0) }
                chosen = (bars, phrase ?? latest)
                break
            }
            let reasons = transitionReasons(tracks[i], tracks[i + 1], sequencer: sequencer)
            // The overlap in mix time, and the rate that makes B's bars last as long as A's through it.
            let matched = chosen.map { c in
                let from = mapA.mixTime(source: a.boundaries[c.exit]),
                    to = mapA.mixTime(source: a.boundaries[c.exit + c.bars])
                return (
                    bars: c.bars, exit: c.exit, tA0: from, tA1: to,
                    ratio: (to - from) / (b.boundaries[c.bars] - b.boundaries[0])
                )
            }
            // A tempo ramp needs room after the overlap for a long glide back.
            let rampRoom = matched.map { b.barCount - $0.bars - 1 } ?? 0
            let kind: PlannedTransition.Kind? = matched.flatMap { m in
                if abs(m.ratio - 1) <= request.maximumStretch, request.transitions.contains(.beatmatch) {
                    return .beatmatch
                }
                if abs(m.ratio - 1) <= request.maximumRampStretch, rampRoom >= rampBars.fewest,
                    request.transitions.contains(.tempoRamp)
                {
                    return .tempoRamp
                }
                return nil
            }
            if let (bars, exit, tA0, tA1, ratio) = matched, let kind {
                // Beat-matched: B's first `bars` bars over A's last, then a glide back to B's own tempo (longer for a
                // ramp).
                var map: [(mix: Double, source: Double)] = [(tA0, b.boundaries[0]), (tA1, b.boundaries[bars])]
                let glide =
                    abs(ratio - 1) < 1e-4
                    ? 0 : min(kind == .tempoRamp ? rampBars.most : glideBars, max(0, b.barCount - bars - 1))
                for k in 0..<glide {
                    let r = ratio + (1 - ratio) * Double(k + 1) / Double(glide + 1)
                    let last = map[map.count - 1]
                    let next = b.boundaries[bars + k + 1]
                    map.append((last.mix + (next - last.source) * r, next))
                }
                ends.append((tA1, a.boundaries[exit + bars]))
                placements.append(
                    Placement(
                        map: map, sourceStart: b.boundaries[0], stretchEnd: map[map.count - 1].source,
                        stretchPercent: abs(ratio - 1) < 1e-4 ? 0 : (1 / ratio - 1) * 100,
                        earliestExitBar: bars + glide))
                transitions.append(
                    PlannedTransition(
                        from: i, to: i + 1, overlapStartS: tA0, overlapEndS: tA1, bars: bars, type: kind,
                        bassSwapS: mapA.mixTime(source: a.boundaries[exit + bars / 2]),
                        reasons: kind == .tempoRamp
                            ? rampReason(reasons, tracks[i], tracks[i + 1], glide: glide) : reasons
                    ))
            } else {
                // Echo-out: A's bar `exit` feeds a beat echo while its dry signal fades; B starts on the next downbeat.
                let echoExit = echoBar(a, from: max(out.earliestExitBar, min(outroBar, a.barCount - 1)))
                let start = mapA.mixTime(source: a.boundaries[echoExit])
                let handover = mapA.mixTime(source: a.boundaries[echoExit + 1])
                let barLength = a.boundaries[echoExit + 1] - a.boundaries[echoExit]
                ends.append((handover, a.boundaries[echoExit + 1]))
                placements.append(
                    Placement(
                        map: [(handover, b.boundaries[0])], sourceStart: b.boundaries[0],
                        stretchEnd: b.boundaries[0], stretchPercent: 0, earliestExitBar: 0))
                var why = reasons
                let blends = request.transitions.subtracting([.echoOut])
                why.type =
                    matched == nil
                    ? "no room for a beat-matched overlap in these intros and outros: echo-out instead"
                    : blends.count < 2
                        && (blends.isEmpty || abs(matched!.ratio - 1) <= request.maximumRampStretch)
                        ? "the transitions asked for (\(request.transitions.map(\.rawValue).sorted().joined(separator: ", "))) "
                            + "do not fit this pair: echo-out"
                        : String(
                            format:
                                "tempo %.0f → %.0f BPM is beyond ±%.0f %% (or leaves no room for a ramp): echo-out instead of a beat-matched blend",
                            tracks[i].track.closingBPM, tracks[i + 1].track.openingBPM, request.maximumRampStretch * 100
                        )
                transitions.append(
                    PlannedTransition(
                        from: i, to: i + 1, overlapStartS: start,
                        overlapEndS: handover + MixRenderer.echoTailBars * barLength, bars: 1, type: .echoOut,
                        bassSwapS: nil, reasons: why))
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
            if i < transitions.count, transitions[i].type == .echoOut { mixEnd = transitions[i].overlapEndS }
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
                    key: c.key.description, camelot: c.key.camelot, energy: c.track.energy, valence: c.track.valence,
                    loudnessLUFS: c.track.loudnessLUFS, gainDB: (gain * 100).rounded() / 100,
                    timeMap: TimeMap(points: map), stretchEndS: p.stretchEnd,
                    reasons: reasons))
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
        return plan
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

    /// The reasons of a tempo ramp: the rule that chose it.
    func rampReason(
        _ reasons: PlannedTransition.Reasons, _ a: MixCandidate, _ b: MixCandidate, glide: Int
    ) -> PlannedTransition.Reasons {
        var why = reasons
        why.type = String(
            format:
                "tempo %.1f → %.1f BPM is %.1f %% apart, beyond ±%.0f %% for a blend: tempo ramp, entering at %.1f BPM and returning to its own tempo over %d bars",
            a.track.closingBPM, b.track.openingBPM, abs(b.track.openingBPM / max(a.track.closingBPM, 1) - 1) * 100,
            request.maximumStretch * 100, a.track.closingBPM, glide)
        return why
    }

    func transitionReasons(_ a: MixCandidate, _ b: MixCandidate, sequencer: Sequencer) -> PlannedTransition.Reasons {
        let d = a.key.camelotDistance(to: b.key)
        return PlannedTransition.Reasons(
            key: "\(a.key.camelot) → \(b.key.camelot) (Camelot distance \(d)"
                + (d == 0 ? ", same key)" : d == 1 ? ", neighbours)" : ")"),
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
