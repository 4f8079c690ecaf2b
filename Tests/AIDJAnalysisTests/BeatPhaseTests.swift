import AIDJCore
import Foundation
import Testing

@testable import AIDJAnalysis

@Suite("Beat phase: percussive and harmonic onsets tell the beat from the off-beat")
struct BeatPhaseTests {
    /// The split by brute force: each median over the 17 frames or bands around, edges repeated.
    func bruteForce(_ frames: [[Float]]) -> (percussive: [[Float]], harmonic: [[Float]]) {
        let r = HarmonicPercussiveSplit.reach
        let n = frames.count, bands = frames[0].count
        func median(_ values: [Float]) -> Float { values.sorted()[values.count / 2] }
        var percussive: [[Float]] = [], harmonic: [[Float]] = []
        for t in 0..<n {
            var p = [Float](), h = [Float]()
            for b in 0..<bands {
                let along = median((-r...r).map { frames[min(max(t + $0, 0), n - 1)][b] })
                let across = median((-r...r).map { frames[t][min(max(b + $0, 0), bands - 1)] })
                let share = across * across / (across * across + along * along)
                p.append(frames[t][b] * share)
                h.append(frames[t][b] * (1 - share))
            }
            percussive.append(p)
            harmonic.append(h)
        }
        return (percussive, harmonic)
    }

    @Test(
        "the streaming split equals the median filters computed whole, for short and long signals",
        arguments: [1, 5, 40])
    func splitMatchesBruteForce(frameCount: Int) {
        var random = SplitMix64(seed: UInt64(frameCount))
        let bands = 30
        // Powers with ties (a few repeated values), as quantized or silent bands have.
        let frames = (0..<frameCount).map { _ in
            (0..<bands).map { _ in Float(Int(Double(random.uniform()) * 12)) / 4 + 0.01 }
        }
        let split = HarmonicPercussiveSplit(bandCount: bands)
        var percussive: [[Float]] = [], harmonic: [[Float]] = []
        for frame in frames {
            if frame.withUnsafeBufferPointer({ split.push($0.baseAddress!) }) {
                percussive.append(Array(UnsafeBufferPointer(start: split.percussive, count: bands)))
                harmonic.append(Array(UnsafeBufferPointer(start: split.harmonic, count: bands)))
            }
        }
        split.flush {
            percussive.append(Array(UnsafeBufferPointer(start: split.percussive, count: bands)))
            harmonic.append(Array(UnsafeBufferPointer(start: split.harmonic, count: bands)))
        }
        let expected = bruteForce(frames)
        #expect(percussive.count == frameCount)
        for t in 0..<frameCount {
            for b in 0..<bands {
                #expect(abs(percussive[t][b] - expected.percussive[t][b]) <= 1e-5, "frame \(t), band \(b)")
                #expect(abs(harmonic[t][b] - expected.harmonic[t][b]) <= 1e-5, "frame \(t), band \(b)")
            }
        }
    }

    @Test("the median network of 17 gives the median of every input of zeros and ones (the 0-1 principle)")
    func medianNetwork() {
        let network = MedianNetwork(count: 17)
        #expect(network.comparators.count < MedianNetwork.sortingNetwork(17).count)
        var values = [SIMD8<Float>](repeating: SIMD8(), count: 17)
        for first in stride(from: 0, to: 1 << 17, by: 8) {
            for wire in 0..<17 {
                values[wire] = SIMD8((0..<8).map { Float((first + $0) >> wire & 1) })
            }
            let median = values.withUnsafeMutableBufferPointer { network.median($0.baseAddress!) }
            for lane in 0..<8 {
                let ones = (first + lane).nonzeroBitCount
                #expect(median[lane] == (ones >= 9 ? 1 : 0), "input \(first + lane)")
            }
        }
    }

    @Test("the frame analysis gives six phase envelopes per frame")
    func envelopesPerFrame() {
        let analyzer = FrameAnalyzer()
        analyzer.process([Float](repeating: 0.1, count: 22_050))
        let features = analyzer.finish()
        #expect(features.phaseOnsets.count == BeatPhase.envelopeCount * features.frameCount)
    }

    @Test("half a beat later: the midpoints, the last from the last interval")
    func halfBeatLater() {
        #expect(BeatPhase.halfBeatLater([1, 2, 4]) == [1.5, 3, 5])
    }

    /// 20 s of house at 124 BPM: a kick (a decaying 55 Hz thump with a click) on every beat, and between the
    /// beats a held bass note, a chord stab and an open hat. The chord changes every bar, and a soft pad holds it
    /// from the bar's first beat. (With harmony that only ever enters off the beat, the chord cue of ``BeatPhase``
    /// favours the off-beat.)
    func house() -> (samples: [Float], beats: [Double]) {
        let rate = 22_050.0, period = 60.0 / 124
        var samples = [Float](repeating: 0, count: Int(20 * rate))
        var random = SplitMix64(seed: 5)
        var beats: [Double] = []
        var t = 0.25
        var note = 0
        while t + period < 20 {
            beats.append(t)
            let kick = Int(t * rate)
            for i in 0..<Int(0.25 * rate) where kick + i < samples.count {
                let s = Double(i) / rate
                samples[kick + i] += Float(0.8 * exp(-s / 0.06) * sin(2 * .pi * 55 * s))
                if i < 40 { samples[kick + i] += Float(0.5 * (Double(random.uniform()) - 0.5)) }
            }
            let off = Int((t + period / 2) * rate)
            let bar = note / 4
            if note % 4 == 0 {
                let start = Int(t * rate)
                let pad = [220.0, 277.2, 329.6].map { $0 * pow(2, Double([0, 5, 7, 3][bar % 4]) / 12) }
                for i in 0..<Int(4 * period * rate) where start + i < samples.count {
                    let s = Double(i) / rate
                    samples[start + i] += Float(
                        pad.map { 0.04 * min(1, s / 0.02) * sin(2 * .pi * $0 * s) }.reduce(0, +))
                }
            }
            let bass = 110 * pow(2, Double([0, 3, 5, 7][bar % 4]) / 12)
            let chord = [220.0, 277.2, 329.6].map { $0 * pow(2, Double([0, 5, 7, 3][bar % 4]) / 12) }
            note += 1
            for i in 0..<Int(period / 2 * rate) where off + i < samples.count {
                let s = Double(i) / rate
                let rise = min(1, s / 0.005)
                var x = 0.35 * rise * sin(2 * .pi * bass * s)
                for f in chord { x += 0.12 * rise * exp(-s / 0.15) * sin(2 * .pi * f * s) }
                x += 0.05 * exp(-s / 0.08) * (Double(random.uniform()) - 0.5)
                samples[off + i] += Float(x)
            }
            t += period
        }
        return (samples, beats)
    }

    @Test("house: the kick's grid scores above the margin, the off-beat grid below minus the margin")
    func houseKickHoldsTheBeat() {
        let (samples, beats) = house()
        expectBeatHeld(samples, beats: beats)
    }

    /// Analyses `samples` and expects the grid on `beats` to score above the margin and the grid half a beat later
    /// below minus the margin (so it moves); returns the frames.
    @discardableResult
    func expectBeatHeld(_ samples: [Float], beats: [Double]) -> FrameFeatures {
        let analyzer = FrameAnalyzer()
        analyzer.process(samples)
        let features = analyzer.finish()
        let onBeat = BeatPhase.features(beats: beats, frames: features)!
        let offBeat = BeatPhase.features(beats: BeatPhase.halfBeatLater(beats), frames: features)!
        #expect(BeatPhase.score(onBeat) > BeatPhase.margin, "\(onBeat)")
        #expect(BeatPhase.score(offBeat) < -BeatPhase.margin, "\(offBeat)")
        #expect(!BeatPhase.isOffBeat(score: BeatPhase.score(onBeat)))
        #expect(BeatPhase.isOffBeat(score: BeatPhase.score(offBeat)))
        return features
    }

    /// 24 s at 140 BPM as FreedroidRPG's `hellforce` and `TheBeginning` are built: a kick on the first beat of
    /// each bar only, a held synth bass note with a sharp attack on every off-beat, and a snare on beats two and
    /// four. No chords. Below 200 Hz the off-beat bass hits three times a bar for the kick's once, so the mean
    /// low onset favours the off-beat; the bar's strongest low accent (the kick) and its strongest mid and high
    /// accents (the snare) are on beats.
    func backbeat() -> (samples: [Float], beats: [Double]) {
        let rate = 22_050.0, period = 60.0 / 140
        var samples = [Float](repeating: 0, count: Int(24 * rate))
        var random = SplitMix64(seed: 9)
        func add(at time: Double, seconds: Double, _ sample: (Double) -> Double) {
            let start = Int(time * rate)
            for i in 0..<Int(seconds * rate) where start + i < samples.count {
                samples[start + i] += Float(sample(Double(i) / rate))
            }
        }
        var beats: [Double] = []
        var t = 0.3
        while t + period < 24 {
            let position = beats.count % 4
            beats.append(t)
            if position == 0 {
                add(at: t, seconds: 0.25) { s in 0.8 * exp(-s / 0.06) * sin(2 * .pi * 55 * s) }
                add(at: t, seconds: 0.002) { _ in 0.5 * (Double(random.uniform()) - 0.5) }
            }
            if position == 1 || position == 3 {
                add(at: t, seconds: 0.15) { s in
                    exp(-s / 0.05) * (0.5 * (Double(random.uniform()) - 0.5) + 0.2 * sin(2 * .pi * 190 * s))
                }
            }
            let bass = 55 * pow(2, Double([0, 0, 3, 5][beats.count / 4 % 4]) / 12)
            add(at: t + period / 2, seconds: period / 2) { s in
                0.5 * min(1, s / 0.003) * exp(-s / 0.4) * (sin(2 * .pi * bass * s) + 0.3 * sin(4 * .pi * bass * s))
            }
            t += period
        }
        return (samples, beats)
    }

    @Test("backbeat over off-beat bass: the bar's strongest accents hold the beat, where the low onsets' mean does not")
    func backbeatHoldsTheBeat() {
        let (samples, beats) = backbeat()
        let features = expectBeatHeld(samples, beats: beats)
        // The low onsets, averaged over every beat and every off-beat, favour the off-beat bass.
        let count = features.phaseOnsets.count / BeatPhase.envelopeCount
        func low(_ times: [Double]) -> Float {
            times.map { t in
                let f = Int((t * features.frameRate).rounded())
                return (max(0, f - 2)...min(count - 1, f + 2)).map {
                    features.phaseOnsets[$0 * BeatPhase.envelopeCount]
                }
                .max()!
            }.reduce(0, +) / Float(times.count)
        }
        #expect(low(beats) < low(BeatPhase.halfBeatLater(beats)))
    }

    @Test("bar peaks: the largest mean over the beats' and over the half beats' positions of a 4/4 bar")
    func barPeaks() {
        // Two bars of eight half beats: the kick on the one (4), bass on every half beat (3), snare on two and
        // four (5, then 3 in the second bar: a mean of 4). A missing value does not count.
        let first: [Double?] = [4, 3, 5, 3, 1, 3, 5, 3]
        let second: [Double?] = [4, 3, 3, 3, 1, 3, 3, nil]
        let peaks = BeatPhase.barPeaks(first + second)
        #expect(peaks.beats == 4)
        #expect(peaks.later == 3)
        // The grid half a beat later reads the same values shifted by one: the two swap.
        let shifted = BeatPhase.barPeaks(Array((first + second).dropFirst()) + [3])
        #expect(shifted.beats == 3)
        #expect(shifted.later == 4)
        #expect(BeatPhase.barPeaks([]).beats == 0)
    }

    @Test("chord change: cosine distances of the half beats either side, read half the chroma's latency late")
    func chordChange() {
        // Beats every 20 frames; the chord (pitch class 0, then 4, then 7, ...) changes every other beat, held
        // between, and the chroma shows each change 3 frames late.
        var features = FrameFeatures(frameRate: 20, hopSize: 512)
        features.chromaLatency = 6
        let beats = (1..<20).map { Double($0) }
        for f in 0..<420 {
            var frame = [Float](repeating: 0, count: 12)
            frame[(max(0, f - 3) / 40 * 4) % 12] = 1
            features.chroma += frame
        }
        let change = BeatPhase.ChordChange(frames: features)
        // Beats 2, 4, ... change (distance 1), odd beats hold (0): 9 of 19 beats.
        #expect(abs(change.mean(at: beats) - 9.0 / 19) < 1e-12)
        #expect(change.mean(at: BeatPhase.halfBeatLater(beats)) == 0)
        // Points whose half beat runs past the frames do not count; nor does a grid of one point.
        #expect(change.mean(at: [20.5, 21.5]) == 0)
        #expect(change.mean(at: [2]) == 0)
        #expect(abs(change.mean(at: [2, 3]) - 0.5) < 1e-12)
    }

    @Test("too few beats: no verdict")
    func tooFewBeats() {
        var features = FrameFeatures(frameRate: 22_050 / 512, hopSize: 512)
        features.phaseOnsets = [Float](repeating: 1, count: 6 * 1000)
        #expect(BeatPhase.features(beats: [1, 2, 3], frames: features) == nil)
        #expect(!BeatPhase.isOffBeat(score: nil))
    }
}
