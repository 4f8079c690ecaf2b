import AIDJAnalysis
import AIDJAudio
import AIDJCore
import AIDJSynth
import Foundation
import Testing

/// Known answers for tempo curves, tempo sections and the attack shift: click envelopes whose beat times are
/// exact, and two synthesized songs at different tempi played back to back.
@Suite("Tempo changes, tempo sections and slow attacks")
struct TempoChangeTests {
    static let frameRate = 22_050.0 / 512

    /// An onset envelope with a click at every beat (spread over the two frames around it) over weak noise.
    static func clicks(_ beats: [Double], seconds: Double, seed: UInt64 = 1) -> [Float] {
        var random = SplitMix64(seed: seed)
        var envelope = (0..<Int(seconds * frameRate)).map { _ in Float(random.openUniform()) * 0.05 }
        for t in beats {
            let position = t * frameRate
            let frame = Int(position)
            let fraction = Float(position - Double(frame))
            if frame + 1 < envelope.count {
                envelope[frame] += 1 - fraction
                envelope[frame + 1] += fraction
            }
        }
        return envelope
    }

    /// Beats at `first` BPM until `change` s, then at `second` BPM, until `seconds`.
    static func steppedBeats(first: Double, second: Double, change: Double, seconds: Double) -> [Double] {
        var beats: [Double] = []
        var t = 1.0
        while t < seconds {
            beats.append(t)
            t += 60 / (t < change ? first : second)
        }
        return beats
    }

    @Test("the curve follows a step from 120 to 132 BPM and the sections split within 8 s of it")
    func stepChange() {
        let beats = Self.steppedBeats(first: 120, second: 132, change: 75, seconds: 150)
        let curve = TempoCurve(onset: Self.clicks(beats, seconds: 150), frameRate: Self.frameRate, bpm: 120)
        #expect(abs(curve.bpm(atSeconds: 30) / 120 - 1) < 0.01, "\(curve.bpm(atSeconds: 30))")
        #expect(abs(curve.bpm(atSeconds: 120) / 132 - 1) < 0.01, "\(curve.bpm(atSeconds: 120))")
        let starts = curve.sectionStarts()
        #expect(starts.count == 2, "\(starts)")
        #expect(abs((starts.last ?? 0) - 75) <= 8, "\(starts)")

        let tracked = BeatTracker().track(onset: Self.clicks(beats, seconds: 150), curve: curve)
            .map { $0 / Self.frameRate }
        let f = BeatEvaluation.fMeasure(estimated: tracked, reference: beats)
        #expect(f >= 0.97, "F = \(f)")
        let fitted = BeatGrid.fit(tracked, sectionStarts: starts)
        #expect(fitted.sections.count == 2)
        #expect(fitted.sections.map { ($0.bpm * 10).rounded() / 10 } == [120, 132], "\(fitted.sections)")
        #expect(fitted.isSteady)
    }

    @Test("a steady tempo with 10 ms of timing jitter is one section, and the curve stays within 1 %")
    func steadyTempo() {
        var random = SplitMix64(seed: 7)
        let beats = stride(from: 1.0, to: 180, by: 0.5).map { $0 + (random.openUniform() - 0.5) * 0.02 }
        let curve = TempoCurve(onset: Self.clicks(beats, seconds: 180), frameRate: Self.frameRate, bpm: 120)
        #expect(curve.sectionStarts() == [0])
        #expect(curve.periods.allSatisfy { abs(60 * Self.frameRate / $0 / 120 - 1) < 0.01 })
    }

    @Test("a 7-minute track at 130.0008 BPM tracked on frames, its intro on the off-beat: one steady line, on time")
    func longSteadyFit() {
        // Tracked beats fall on 23 ms frames with 10 ms of jitter besides, so their median interval reads 0.2 % off;
        // dividing the 6-minute span between anchors by it miscounts by beats, and the line would fit a fifth of the
        // track. The first 60 beats sit half a beat late, as a tracker reads an intro of off-beat hats.
        let period = 60 / 130.0008
        let frame = 512.0 / 22_050
        var random = SplitMix64(seed: 11)
        let tracked = (0..<900).map { k -> Double in
            let t = 0.5 + period * (Double(k) + (k < 60 ? 0.5 : 0)) + (random.openUniform() - 0.5) * 0.02
            return (t / frame).rounded() * frame
        }
        let fitted = BeatGrid.fit(tracked, sectionStarts: [0])
        let steady = fitted.isSteady
        #expect(steady, "\(fitted.bpm) BPM, \(fitted.sections.count) section(s)")
        #expect(abs(fitted.bpm - 130.0008) < 0.005, "\(fitted.bpm) BPM")
        // The grid stays on the true beats to the end, 7 minutes on.
        let last = 0.5 + period * 899
        let nearest = fitted.times.min { abs($0 - last) < abs($1 - last) }!
        #expect(abs(nearest - last) < 0.005, "\((nearest - last) * 1000) ms")
    }

    @Test("curves read at two tempi have windows of different lengths: a window is found in the other by its time")
    func windowsByTime() {
        // At 40 BPM a window holds 12 beats (18 s), at 120 BPM 8 s: the slow curve has fewer windows, centred later.
        let beats = stride(from: 0.5, to: 120, by: 0.5).map { $0 }
        let onset = Self.clicks(beats, seconds: 120)
        let fast = TempoCurve(onset: onset, frameRate: Self.frameRate, bpm: 120)
        let slow = TempoCurve(onset: onset, frameRate: Self.frameRate, bpm: 40)
        #expect(slow.centres.count < fast.centres.count)
        let hop = TempoCurve.hopSeconds * Self.frameRate
        for centre in fast.centres {
            let v = slow.window(nearestFrame: centre)
            #expect(slow.centres.indices.contains(v))
            let inside = centre >= slow.centres.first! && centre <= slow.centres.last!
            #expect(!inside || abs(slow.centres[v] - centre) <= hop / 2 + 1, "\(centre) → \(slow.centres[v])")
        }
        #expect(slow.window(nearestFrame: 0) == 0)
        #expect(slow.window(nearestFrame: 1e9) == slow.centres.count - 1)
    }

    @Test("a steady track tracked on the off-beat in long stretches gets one line, on the phase most beats keep")
    func offBeatStretches() {
        // 115 BPM for 4 minutes, tracked on 23 ms frames with 10 ms of jitter; three stretches (43 % of the beats)
        // sit half a beat late, as a tracker follows off-beat hats and stabs for a while (a game record, 2026-12-07).
        let period = 60 / 115.0
        let frame = 512.0 / 22_050
        let late = Set(Array(60..<140) + Array(250..<330) + Array(400..<430))
        func tracked(lateBeats: Set<Int>) -> [Double] {
            var random = SplitMix64(seed: 13)
            return (0..<445).map { k -> Double in
                let t = 0.3 + period * (Double(k) + (lateBeats.contains(k) ? 0.5 : 0))
                return ((t + (random.openUniform() - 0.5) * 0.02) / frame).rounded() * frame
            }
        }
        let fitted = BeatGrid.fit(tracked(lateBeats: late), sectionStarts: [0])
        #expect(fitted.isSteady, "\(fitted.bpm) BPM")
        #expect(abs(fitted.bpm - 115) < 0.01, "\(fitted.bpm) BPM")
        let truth = (0..<445).map { 0.3 + period * Double($0) }
        let worst = truth.map { t in fitted.times.map { abs($0 - t) }.min()! }.max()!
        #expect(worst < 0.005, "\(worst * 1000) ms")
        // With the stretches the other way round, most beats are on the off-beat: the line goes there (the beat
        // phase check then decides between the two).
        let flipped = BeatGrid.fit(tracked(lateBeats: Set(0..<445).subtracting(late)), sectionStarts: [0])
        #expect(flipped.isSteady)
        let offBeats = truth.map { $0 + period / 2 }.dropLast()
        let offWorst = offBeats.map { t in flipped.times.map { abs($0 - t) }.min()! }.max()!
        #expect(offWorst < 0.005, "\(offWorst * 1000) ms")
    }

    @Test("beats scattered ±45 ms about a steady tempo get its line; a drift of that size is followed, slips mended")
    func scatterAndDrift() {
        // Soft attacks (a choir, an organ) scatter the tracked beats from beat to beat; a live player drifts.
        let period = 60 / 66.0
        let truth = (0..<120).map { 0.5 + period * Double($0) }
        var random = SplitMix64(seed: 5)
        let scattered = truth.map { $0 + (random.openUniform() - 0.5) * 0.09 }
        let fitted = BeatGrid.fit(scattered, sectionStarts: [0])
        #expect(fitted.isSteady)
        #expect(abs(fitted.bpm - 66) < 0.1, "\(fitted.bpm) BPM")
        #expect(fitted.times.count == truth.count)
        #expect(zip(fitted.times, truth).allSatisfy { abs($0 - $1) < 0.02 })
        // Deviations that swing ±40 ms over 12 bars, with a little scatter: no line fits them.
        let drifting = truth.indices.map {
            truth[$0] + 0.04 * sin(2 * .pi * Double($0) / 48) + (random.openUniform() - 0.5) * 0.02
        }
        // Four beats where the tracker slipped to the off-beat, and one it dropped.
        var tracked = drifting
        for k in 60..<64 { tracked[k] += period / 2 }
        tracked.remove(at: 90)
        let followed = BeatGrid.fit(tracked, sectionStarts: [0])
        #expect(!followed.isSteady)
        #expect(abs(followed.bpm - 66) < 0.1, "\(followed.bpm) BPM")
        #expect(followed.times.count == truth.count)
        // On the drift (within 15 ms of it; the slips were 455 ms off), the dropped beat back.
        let drift = truth.indices.map { truth[$0] + 0.04 * sin(2 * .pi * Double($0) / 48) }
        let worst = zip(followed.times, drift).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 0.015, "\(worst * 1000) ms")
        // A track that keeps no line at all (a tempo ramp) keeps its beats as found.
        var ramp = [0.5]
        for k in 0..<120 { ramp.append(ramp.last! + 0.5 * (1 - 0.002 * Double(k))) }
        #expect(BeatGrid.fit(ramp, sectionStarts: [0]).times == ramp)
    }

    @Test("sections whose fitted tempi differ by less than 2 % are merged")
    func mergedSections() {
        let beats = Self.steppedBeats(first: 120, second: 121, change: 60, seconds: 120)
        var random = SplitMix64(seed: 3)
        // Jitter above the steady limit, so the whole track is not fitted as one line first.
        let jittered = beats.map { $0 + (random.openUniform() - 0.5) * 0.06 }
        let fitted = BeatGrid.fit(jittered, sectionStarts: [0, 60])
        #expect(fitted.sections.count == 1, "\(fitted.sections)")
    }

    @Test("attack shift: a burst rising over five frames moves the beats to its start; clicks do not move them")
    func attackLag() {
        let beatFrames = stride(from: 20, to: 2000, by: 25).map(Double.init)
        var swell = [Float](repeating: 0, count: 2100)
        var click = swell
        for b in beatFrames.map({ Int($0) }) {
            for (k, v) in [Float(0.6), 0.7, 0.8, 0.9, 1].enumerated() { swell[b - 4 + k] = v }
            click[b - 1] = 0.5
            click[b] = 1
            click[b - 8] = 2  // an earlier, stronger hit (an off-beat hat) does not count
        }
        let tracker = BeatTracker()
        #expect(tracker.attackLag(beats: beatFrames, onset: swell, frameRate: Self.frameRate) == 3)
        #expect(tracker.attackLag(beats: beatFrames, onset: click, frameRate: Self.frameRate) == 0)
    }

    @Test("two songs back to back at 120 and 128 BPM: two tempo sections with their tempi, beats on both")
    func songsBackToBack() throws {
        func song(_ bpm: Double, seed: UInt64) -> Song {
            SongGenerator.render(
                SongSpec(style: .fourOnTheFloor, bpm: bpm, keyTonic: 9, keyIsMinor: true, bodyBars: 16, seed: seed))
        }
        let first = song(120, seed: 5), second = song(128, seed: 6)
        let rate = first.audio.sampleRate
        let cut = Int((Double(first.spec.totalBars * 4) * first.spec.beatSeconds * Double(rate)).rounded())
        let channels = first.audio.channels.indices.map { c in
            Array(first.audio.channels[c][..<cut]) + second.audio.channels[c]
        }
        let offset = Double(cut) / Double(rate)
        let reference = first.beatTimes.filter { $0 < offset - 0.01 } + second.beatTimes.map { $0 + offset }
        let a = try TrackAnalyzer().analyze(AudioBuffer(channels: channels, sampleRate: rate))
        #expect(a.beats.changesTempo)
        #expect(a.beats.sections.count == 2, "\(a.beats.sections)")
        if a.beats.sections.count == 2 {
            #expect(abs(a.beats.sections[0].bpm / 120 - 1) < 0.005, "\(a.beats.sections)")
            #expect(abs(a.beats.sections[1].bpm / 128 - 1) < 0.005, "\(a.beats.sections)")
            #expect(abs(a.beats.sections[1].start - offset) < 8, "\(a.beats.sections), change at \(offset)")
        }
        let f = BeatEvaluation.fMeasure(estimated: a.beats.times, reference: reference)
        #expect(f >= 0.95, "F = \(f)")
    }
}
