import AIDJAnalysis
import AIDJCore
import AIDJStore
import Foundation
import Testing

@testable import AIDJMixer

@Suite("Transition planning")
struct TransitionPlannerTests {
    /// A candidate with a constant-tempo grid: `bars` bars of `meter` beats (4), phrases every 8 bars, intro and
    /// outro of the given lengths.
    func track(
        _ id: Int64, bpm: Double, bars: Int, intro: Int, outro: Int, camelotKey: String = "8A", meter: Int = 4
    ) -> (MixCandidate, BarGrid) {
        let beat = 60 / bpm
        let beats = (0..<(bars * meter)).map { 0.5 + Double($0) * beat }
        let boundaries = (0...bars).map { 0.5 + Double($0 * meter) * beat }
        var t = AnalysedTrack(
            id: id, path: "/m/\(id).flac", title: "T\(id)", artist: "A\(id)", genre: nil,
            durationS: boundaries.last! + 1,
            bpm: bpm, key: MusicalKey(tonic: 9, mode: .minor), energy: 0.6, valence: 0.5, danceability: 0.8,
            loudnessLUFS: -10,
            vector: [])
        t.cues = .init(
            firstSoundS: 0.5, introEndS: boundaries[intro], outroStartS: boundaries[bars - outro],
            lastSoundS: boundaries.last!)
        let c = MixCandidate(
            track: t, key: MusicalKey(parsing: camelotKey)!, moodFit: 1, taste: nil, score: 1, estimatedSeconds: 60)
        return (c, BarGrid(beats: beats, boundaries: boundaries, phraseBars: Set(stride(from: 0, to: bars, by: 8))))
    }

    @Test("beat-matched overlap: downbeats meet at both ends, glide back to the own tempo, gain to target")
    func beatmatch() {
        let a = track(1, bpm: 124, bars: 64, intro: 16, outro: 16),
            b = track(2, bpm: 128, bars: 64, intro: 16, outro: 16)
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        let plan = TransitionPlanner(request: request).plan(
            [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: request))
        let t = plan.transitions[0]
        #expect(t.type == PlannedTransition.Kind.beatmatch && t.bars == 16)
        // A leaves on its last 16 bars (its outro, a phrase start); B's 16 bars last exactly as long.
        // A opens the mix at its first sound (0.5 s, less 50 ms): mix time = source time − 0.45 s.
        #expect(abs(plan.tracks[0].sourceStartS - 0.45) < 1e-9)
        #expect(abs(t.overlapStartS - (a.1.boundaries[48] - 0.45)) < 1e-9)
        #expect(abs(t.overlapEndS - (a.1.boundaries[64] - 0.45)) < 1e-9)
        let incoming = plan.tracks[1]
        #expect(abs(incoming.timeMap.mixTime(source: b.1.boundaries[16]) - t.overlapEndS) < 1e-9)
        let expectedStretch: Double = (124.0 / 128 - 1) * 100
        #expect(abs(incoming.stretchPercent - expectedStretch) < 0.01)
        // After the 8-bar glide, B plays at its own rate: one bar of mix per bar of source.
        let after = b.1.boundaries[24], later = b.1.boundaries[30]
        let mixSpan: Double = incoming.timeMap.mixTime(source: later) - incoming.timeMap.mixTime(source: after)
        #expect(abs(mixSpan - (later - after)) < 1e-9)
        #expect(abs(incoming.stretchEndS - after) < 1e-9)
        #expect(plan.tracks.allSatisfy { abs($0.gainDB + 4) < 1e-9 })
        #expect(t.bassSwapS! > t.overlapStartS && t.bassSwapS! < t.overlapEndS)
    }

    @Test("short intros shorten the transition; at most 8 bars of a body are given up; far tempi echo out")
    func shortAndFar() throws {
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        let a = track(1, bpm: 124, bars: 48, intro: 8, outro: 4), b = track(2, bpm: 124, bars: 48, intro: 4, outro: 8)
        let plan = TransitionPlanner(request: request).plan(
            [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: request))
        let t = plan.transitions[0]
        // 16 bars would put 12 of B's body bars under the blend: 8 it is (4 of intro + 4 of body).
        #expect(t.type == PlannedTransition.Kind.beatmatch && t.bars == 8)
        let exitBar = try #require(a.1.boundaries.firstIndex { abs($0 - 0.45 - t.overlapStartS) < 1e-9 })
        #expect(exitBar >= 44 - 8)
        let far = track(3, bpm: 150, bars: 48, intro: 8, outro: 8)
        let echo = TransitionPlanner(request: request).plan(
            [a.0, far.0], grids: [a.1, far.1], sequencer: Sequencer(request: request))
        #expect(echo.transitions[0].type == PlannedTransition.Kind.echoOut)
        #expect(echo.tracks[1].stretchPercent == 0)
        #expect(echo.transitions[0].reasons.type?.contains("beyond ±12 %") == true)
    }

    @Test("a track in 3/4 and one in 4/4 hand over by an echo-out, at the same tempo, and say why")
    func meters() throws {
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        let waltz = track(1, bpm: 124, bars: 64, intro: 16, outro: 16, meter: 3)
        let another = track(3, bpm: 126, bars: 64, intro: 16, outro: 16, meter: 3)
        let four = track(2, bpm: 124, bars: 48, intro: 8, outro: 8)
        #expect(waltz.1.beatsPerBar == 3 && four.1.beatsPerBar == 4)
        for (a, b) in [(waltz, four), (four, waltz)] {
            let plan = TransitionPlanner(request: request).plan(
                [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: request))
            let t = plan.transitions[0]
            #expect(t.type == .echoOut && plan.tracks[1].stretchPercent == 0)
            let m = a.1.beatsPerBar!, n = b.1.beatsPerBar!
            #expect(t.reasons.type?.contains("\(m) beats to the bar → \(n)") == true, "\(t.reasons.type ?? "-")")
        }
        // Two in 3/4 blend, bar over bar.
        let plan = TransitionPlanner(request: request).plan(
            [waltz.0, another.0], grids: [waltz.1, another.1], sequencer: Sequencer(request: request))
        #expect(plan.transitions[0].type == .beatmatch && plan.transitions[0].bars == 16)
        // A grid without beats says nothing about its meter.
        #expect(BarGrid(beats: [], boundaries: [0, 2, 4], phraseBars: []).beatsPerBar == nil)
    }

    @Test(
        "tempi 6–12 % apart ramp: the incoming track enters at the outgoing tempo and returns to its own over 32 bars")
    func tempoRamp() throws {
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        let a = track(1, bpm: 124, bars: 64, intro: 8, outro: 16), b = track(2, bpm: 134, bars: 64, intro: 16, outro: 8)
        let plan = TransitionPlanner(request: request).plan(
            [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: request))
        let t = plan.transitions[0], incoming = plan.tracks[1]
        #expect(t.type == .tempoRamp && t.type.isBeatMatched)
        #expect(t.reasons.type?.contains("tempo ramp") == true && t.reasons.type?.contains("32 bars") == true)
        // Through the overlap B runs at A's tempo: its bars last as long as A's.
        let barA = 4 * 60 / 124.0
        #expect(abs(incoming.stretchPercent - (124.0 / 134 - 1) * 100) < 0.01)
        let overlapBars = (t.overlapEndS - t.overlapStartS) / barA
        #expect(abs(overlapBars - Double(t.bars)) < 1e-6)
        // Then 32 bars of glide back, each a little shorter, ending at B's own bar length.
        let points = incoming.timeMap.points
        #expect(points.count == 2 + 32 + 1, "overlap start and end, 32 ramp bars, the track's end")
        let ramp = Array(points[1...33])
        let lengths = zip(ramp, ramp.dropFirst()).map { $1[0] - $0[0] }
        #expect(zip(lengths, lengths.dropFirst()).allSatisfy { $1 < $0 }, "the ramp speeds up bar by bar")
        #expect(abs(incoming.stretchEndS - b.1.boundaries[t.bars + 32]) < 1e-9)
        // Without tempo ramps among the transitions asked for, the same pair echoes out, and says why.
        var noRamps = request
        noRamps.transitions = [.beatmatch, .echoOut]
        let echoed = TransitionPlanner(request: noRamps).plan(
            [a.0, b.0], grids: [a.1, b.1], sequencer: Sequencer(request: noRamps))
        #expect(echoed.transitions[0].type == .echoOut)
        #expect(echoed.transitions[0].reasons.type?.contains("the transitions asked for (beatmatch, echo-out)") == true)
        // Past 12 % apart, or without 16 bars of room for the ramp, it is still an echo-out.
        let short = track(3, bpm: 134, bars: 20, intro: 4, outro: 4)
        let cramped = TransitionPlanner(request: request).plan(
            [a.0, short.0], grids: [a.1, short.1], sequencer: Sequencer(request: request))
        #expect(cramped.transitions[0].type == .echoOut)
    }

    @Test("a quiet, peaky track is raised only until the limiter would take 4 dB off its peaks")
    func gainCap() {
        var quiet = track(1, bpm: 124, bars: 64, intro: 16, outro: 16)
        quiet.0.track.loudnessLUFS = -30
        quiet.0.track.cues.truePeakDBTP = -10
        let loud = track(2, bpm: 124, bars: 64, intro: 16, outro: 16)
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 5)
        let plan = TransitionPlanner(request: request).plan(
            [quiet.0, loud.0], grids: [quiet.1, loud.1], sequencer: Sequencer(request: request))
        // +16 dB would reach −14 LUFS; −1 dBTP ceiling + 4 dB of limiting − (−10 dBTP) = +13 dB.
        #expect(plan.tracks[0].gainDB == 13)
        #expect(plan.tracks[0].reasons.gain.contains("held at +13.0 dB"))
        #expect(plan.tracks[1].gainDB == -4)
    }

    @Test("time maps invert; CUE times are in 75 frames per second")
    func mapsAndCues() {
        let map = TimeMap(points: [(10, 0), (40, 31), (50, 41)])
        for s in [0.0, 5, 31, 35, 41, 60] { #expect(abs(map.sourceTime(mix: map.mixTime(source: s)) - s) < 1e-9) }
        #expect(abs(map.mixTime(source: 60) - 69) < 1e-9)
        #expect(MixExports.cueTime(0) == "00:00:00")
        #expect(MixExports.cueTime(61.5) == "01:01:38")
        #expect(MixExports.cueTime(6000) == "100:00:00")
    }

    @Test("energy arcs: warm-up peaks at two thirds; levels stay in [0, 1]")
    func arcs() {
        #expect(EnergyArc.warmupPeakCooldown.level(at: 2.0 / 3) == 1)
        #expect(EnergyArc.warmupPeakCooldown.level(at: 0) < EnergyArc.warmupPeakCooldown.level(at: 0.5))
        #expect(EnergyArc.rise.level(at: 0) < EnergyArc.rise.level(at: 1))
        for arc in EnergyArc.allCases {
            for x in stride(from: 0.0, through: 1, by: 0.05) { #expect((0...1).contains(arc.level(at: x))) }
        }
    }
}
