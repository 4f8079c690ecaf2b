import AIDJAnalysis
import AIDJCore
import AIDJStore
import Foundation
import Testing

@testable import AIDJMixer

/// Known answers for the transitions chosen by sections, keys and beats: constant-tempo grids with sections laid
/// out bar by bar.
@Suite("Transitions chosen by sections")
struct SectionPlanningTests {
    /// A candidate with `bars` bars at `bpm`, phrases every 8 bars, and `sections` as (label, bars, has beat).
    func track(
        _ id: Int64, bpm: Double = 124, camelot: String = "8A", _ sections: [(String, Int, Bool)]
    ) -> (MixCandidate, BarGrid) {
        let bars = sections.map(\.1).reduce(0, +)
        let beat = 60 / bpm
        let boundaries = (0...bars).map { 0.5 + Double($0 * 4) * beat }
        var t = AnalysedTrack(
            id: id, path: "/m/\(id).flac", title: "T\(id)", artist: "A\(id)", genre: nil,
            durationS: boundaries.last! + 1, bpm: bpm, key: MusicalKey(parsing: camelot)!, energy: 0.6,
            valence: 0.5, danceability: 0.8, loudnessLUFS: -10, vector: [])
        t.cues = .init(firstSoundS: 0.5, introEndS: 0.5, outroStartS: boundaries.last!, lastSoundS: boundaries.last!)
        var grid = BarGrid(
            beats: (0..<(bars * 4)).map { 0.5 + Double($0) * beat }, boundaries: boundaries,
            phraseBars: Set(stride(from: 0, to: bars, by: 8)))
        var start = 0
        var records: [TrackSectionRecord] = []
        for (k, (label, count, beat)) in sections.enumerated() {
            records.append(
                TrackSectionRecord(
                    trackId: id, sectionIndex: k, startS: boundaries[start], endS: boundaries[start + count],
                    label: label, levelDb: label == "main" ? 0 : -6, hasBeat: beat))
            start += count
        }
        grid.place(records)
        let c = MixCandidate(
            track: t, key: MusicalKey(parsing: camelot)!, moodFit: 1, taste: nil, score: 1, estimatedSeconds: 60)
        return (c, grid)
    }

    func plan(_ a: (MixCandidate, BarGrid), _ b: (MixCandidate, BarGrid), kinds: Set<PlannedTransition.Kind>? = nil)
        -> MixPlan
    {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        if let kinds { request.transitions = kinds }
        return TransitionPlanner(request: request).plan(
            [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: request))
    }

    @Test("the incoming track skips its beatless intro and enters on its first beat; its main lands on a phrase")
    func beatlessIntroSkipped() {
        let a = track(1, [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        let b = track(2, [("intro", 24, false), ("intro", 16, true), ("main", 48, true), ("outro", 8, true)])
        let p = plan(a, b)
        let t = p.transitions[0]
        #expect(t.type == .beatmatch && t.bars == 16)
        // B's first bar played is bar 24, its first bar with a beat.
        #expect(abs(p.tracks[1].sourceStartS - b.1.boundaries[24]) < 1e-9)
        #expect(abs(p.tracks[1].timeMap.mixTime(source: b.1.boundaries[24]) - t.overlapStartS) < 1e-9)
        #expect(t.reasons.sections?.contains("enters at bar 24, after its intro without a beat") == true)
        // A leaves over its outro (bar 64), so no main plays over B's main, which starts as A ends.
        #expect(abs(t.overlapStartS - p.tracks[0].timeMap.mixTime(source: a.1.boundaries[64])) < 1e-9)
        #expect(t.reasons.sections?.contains("main sections overlap") == false)
        // The plan carries each track's sections in mix time.
        #expect(p.tracks[1].sections.first?.label == "intro" && p.tracks[1].sections.first?.hasBeat == true)
    }

    @Test("no beat-matched overlap crosses a passage without a beat: the exit moves before a beatless outro")
    func beatlessOutroAvoided() {
        let a = track(1, [("intro", 16, true), ("main", 48, true), ("outro", 8, true), ("outro", 24, false)])
        let b = track(2, [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        let p = plan(a, b)
        let t = p.transitions[0]
        #expect(t.type == .beatmatch)
        // The overlap ends by bar 72, where A's beat stops.
        let endBar = a.1.boundaries.firstIndex { abs(p.tracks[0].timeMap.mixTime(source: $0) - t.overlapEndS) < 1e-6 }
        #expect(endBar.map { $0 <= 72 } == true, "overlap ends at bar \(endBar ?? -1)")
        // A long beatless outro: the blend moves into the last 8 bars of the main section (the most it may give
        // up) rather than cross it.
        let c = track(3, [("intro", 16, true), ("main", 48, true), ("outro", 32, false)])
        let early = plan(c, b).transitions[0]
        #expect(early.type == .beatmatch && early.bars == 8)
        #expect(early.reasons.sections?.contains("giving up 8 bars of main") == true, "\(early.reasons.sections ?? "")")
        // When the beat stops more than 8 bars before the main section ends, no blend is left: a fade, and why.
        let d = track(4, [("intro", 16, true), ("main", 40, true), ("main", 16, false), ("outro", 16, false)])
        let faded = plan(d, b)
        #expect(faded.transitions[0].type == .fade)
        #expect(faded.transitions[0].reasons.type?.contains("without a beat") == true)
        #expect(faded.tracks[1].stretchPercent == 0)
    }

    @Test("keys two Camelot steps apart get a filter sweep of at most 8 bars")
    func filterSweep() {
        let a = track(1, camelot: "8A", [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        let b = track(2, camelot: "10A", [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        let t = plan(a, b).transitions[0]
        #expect(t.type == .filterSweep && t.bars == 8)
        #expect(t.reasons.type?.contains("2 Camelot steps apart") == true)
        // Without filter sweeps among the kinds asked for, the same pair blends.
        #expect(plan(a, b, kinds: [.beatmatch, .echoOut]).transitions[0].type == .beatmatch)
        // Keys one step apart call for no sweep: with only sweeps asked for, an echo-out that says so.
        let near = track(3, camelot: "9A", [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        let echoed = plan(a, near, kinds: [.filterSweep, .echoOut]).transitions[0]
        #expect(echoed.type == .echoOut)
        #expect(echoed.reasons.type?.contains("the transitions asked for (echo-out, filter-sweep) do not fit") == true)
    }

    @Test("same key, an incoming intro too short to blend, sections on phrase starts: a cut, drop to drop")
    func cut() {
        let a = track(1, [("intro", 16, true), ("main", 48, true), ("outro", 8, true)])
        // B's main section starts 2 bars in, on a phrase start: nothing to lay under A.
        var b = track(2, [("intro", 2, true), ("main", 48, true), ("outro", 14, true)])
        b.1.phraseBars.insert(2)
        let p = plan(a, b)
        let t = p.transitions[0]
        #expect(t.type == .cut && t.bars == 2, "\(t.type) \(t.reasons.type ?? "")")
        // The swap falls on A's bar 64 (the end of its main) and B's bar 2 (the start of its main).
        let mapA = p.tracks[0].timeMap, mapB = p.tracks[1].timeMap
        #expect(abs(t.bassSwapS! - mapA.mixTime(source: a.1.boundaries[64])) < 1e-9)
        #expect(abs(mapB.mixTime(source: b.1.boundaries[2]) - t.bassSwapS!) < 1e-9)
        #expect(t.reasons.type?.contains("drop to drop") == true)
        // A's main runs to the end of its music: the cut falls on A's last downbeat, with the one bar before it as
        // the overlap.
        let hot = track(4, [("intro", 16, true), ("main", 48, true)])
        let end = plan(hot, b)
        #expect(end.transitions[0].type == .cut && end.transitions[0].bars == 1, "\(end.transitions[0].type)")
        #expect(abs(end.transitions[0].bassSwapS! - end.transitions[0].overlapEndS) < 1e-9)
        #expect(abs(end.tracks[1].timeMap.mixTime(source: b.1.boundaries[2]) - end.transitions[0].overlapEndS) < 1e-9)
        // In another key it is a blend, not a cut.
        var other = track(3, camelot: "9A", [("intro", 2, true), ("main", 48, true), ("outro", 14, true)])
        other.1.phraseBars.insert(2)
        #expect(plan(a, other).transitions[0].type == .beatmatch)
        // With a long enough intro, the same pair blends.
        let long = track(5, [("intro", 8, true), ("main", 48, true), ("outro", 8, true)])
        #expect(plan(a, long).transitions[0].type == .beatmatch)
    }

    @Test("a track without a beat is faded in and out at its own tempo")
    func beatlessTrack() {
        let a = track(1, [("intro", 16, true), ("main", 48, true), ("outro", 16, true)])
        var ambient = a
        ambient.0.track.id = 2
        ambient.0.track.bpm = 0
        ambient.1 = BarGrid(beats: [], boundaries: [], phraseBars: [])
        ambient.0.track.cues = .init(firstSoundS: 1, introEndS: 1, outroStartS: 120, lastSoundS: 120)
        ambient.0.track.durationS = 121
        let p = plan(a, ambient)
        let t = p.transitions[0]
        #expect(t.type == .fade && t.bassSwapS == nil)
        #expect(abs(t.overlapEndS - t.overlapStartS - TransitionPlanner.fadeSeconds) < 1e-9)
        #expect(abs(p.tracks[1].timeMap.mixTime(source: 1) - t.overlapStartS) < 1e-9)
        #expect(p.tracks[1].stretchPercent == 0)
        let back = plan(ambient, a)
        #expect(back.transitions[0].type == .fade)
        #expect(back.transitions[0].reasons.type?.contains("the outgoing track has no beat") == true)
    }
}
