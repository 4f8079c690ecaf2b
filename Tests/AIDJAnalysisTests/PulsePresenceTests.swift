import AIDJAudio
import AIDJCore
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJAnalysis

/// Whether a track has a beat at all (``PulsePresence``): the beat contrast on hand-built envelopes with known
/// answers, and the whole analysis on white noise and on a render of held chords.
@Suite("Beat or no beat")
struct PulsePresenceTests {
    static let frameRate = 22_050.0 / 512

    /// `count` frames of seeded uniform values in [0, 1).
    static func noise(_ count: Int, seed: UInt64) -> [Float] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in 0.5 + 0.5 * random.noise() }
    }

    /// A constant grid of `period` frames from frame 10 to the end, in seconds.
    static func grid(period: Double, frames: Int) -> [Double] {
        Array(stride(from: 10.0, to: Double(frames), by: period)).map { $0 / frameRate }
    }

    static func contrast(_ envelope: [Float], period: Double) -> Double? {
        PulsePresence.contrast(
            envelope: envelope, curve: TempoCurve(frameRate: frameRate, period: period),
            beats: grid(period: period, frames: envelope.count),
            sections: [TempoSection(start: 10 / frameRate, bpm: 60 * frameRate / period, isSteady: true)])
    }

    @Test("an onset on every beat over weak noise: contrast near 1")
    func clicks() throws {
        let period = 21.0
        let background = Self.noise(4_000, seed: 1)
        let envelope = background.indices.map { ($0 - 10) % 21 == 0 ? 10 : 0.2 * background[$0] }
        let value = try #require(Self.contrast(envelope, period: period))
        #expect(value > 0.8, "\(value)")
    }

    @Test("a swelling note on every beat (a hump 8 frames wide, no sharp attack): still a pulse")
    func swells() throws {
        let background = Self.noise(4_000, seed: 2)
        let envelope = background.indices.map { t -> Float in
            let since = Double((t - 10) % 21)
            return Float(exp(-pow((since - 6) / 4, 2))) + 0.5 * background[t]
        }
        let value = try #require(Self.contrast(envelope, period: 21))
        #expect(value >= 3 * PulsePresence.minimumContrast, "\(value)")
    }

    @Test("noise, 3 and 10 minutes: no pulse at any period a grid could take")
    func noise() throws {
        for (count, seed) in [(7_750, UInt64(3)), (25_840, 4)] {
            let envelope = Self.noise(count, seed: seed)
            for period in [15.0, 21.5, 28.7, 40] {
                let value = try #require(Self.contrast(envelope, period: period))
                #expect(value < PulsePresence.minimumContrast, "\(count) frames, period \(period): \(value)")
            }
        }
    }

    @Test("chord changes at irregular times, 3–9 s apart, though each one lands on a beat of the grid: no pulse")
    func irregularChanges() throws {
        var random = SplitMix64(seed: 5)
        let period = 21.0
        let count = 3_230  // 75 s
        var envelope = Self.noise(count, seed: 6).map { 0.3 * $0 }
        var beat = 3
        while 10 + beat * Int(period) + 20 < count {
            let frame = 10 + beat * Int(period)
            for i in 0..<20 { envelope[frame + i] += 8 * Float(exp(-Double(i) / 5)) }
            beat += 6 + Int(6 * (1 + random.noise()))  // 6–18 beats at 123 BPM: 2.9–8.8 s
        }
        let value = try #require(Self.contrast(envelope, period: period))
        #expect(value < PulsePresence.minimumContrast, "\(value)")
    }

    @Test("a tempo change: read at each section's period; a ramp: along the tempo curve; one period would not do")
    func followsTheTempo() throws {
        let count = 6_000
        let change = 3_000
        let background = Self.noise(count, seed: 7)
        func contrast(pulse: [Int], curve: TempoCurve, sections: [(frame: Int, period: Double)]) throws -> Double {
            let envelope = background.indices.map { pulse.contains($0) ? 10 : 0.2 * background[$0] }
            return try #require(
                PulsePresence.contrast(
                    envelope: envelope, curve: curve, beats: pulse.map { Double($0) / Self.frameRate },
                    sections: sections.map {
                        TempoSection(
                            start: Double($0.frame) / Self.frameRate, bpm: 60 * Self.frameRate / $0.period,
                            isSteady: true)
                    }))
        }
        let constant = TempoCurve(frameRate: Self.frameRate, period: 20)
        let stepped = Array(stride(from: 10, to: change, by: 20)) + Array(stride(from: change, to: count, by: 26))
        let bySections = try contrast(pulse: stepped, curve: constant, sections: [(10, 20), (change, 26)])
        let atOnePeriod = try contrast(pulse: stepped, curve: constant, sections: [(10, 20)])
        #expect(bySections > 0.8, "\(bySections)")
        #expect(atOnePeriod < 0.6, "\(atOnePeriod)")
        // A ramp from 20 to 26 frames a beat (129 to 99 BPM), the period growing at every beat; one section.
        var beat = 10.0, ramp: [Int] = []
        while beat < Double(count) {
            ramp.append(Int(beat.rounded()))
            beat += 20 + 6 * beat / Double(count)
        }
        let centres = stride(from: 0.0, to: Double(count), by: 43).map { $0 }
        let following = TempoCurve(
            frameRate: Self.frameRate, centres: centres, periods: centres.map { 20 + 6 * $0 / Double(count) },
            strengths: centres.map { _ in 1 })
        let alongTheCurve = try contrast(pulse: ramp, curve: following, sections: [(10, 23)])
        let atTheMean = try contrast(
            pulse: ramp, curve: TempoCurve(frameRate: Self.frameRate, period: 23),
            sections: [(10, 23)])
        // Single-frame clicks at rounded positions: the 1-frame tolerance leaves some of each peak out.
        #expect(alongTheCurve > 0.6 && alongTheCurve > 2 * atTheMean, "\(alongTheCurve) against \(atTheMean)")
    }

    @Test("too short to judge (under 16 beat intervals), or no beats: no answer, and a short grid keeps its beats")
    func degenerate() throws {
        let clicks = (0..<400).map { ($0 - 10) % 21 == 0 ? Float(10) : 0 }
        let beats = Array(stride(from: 10.0, to: 400, by: 21)).map { $0 / Self.frameRate }
        let curve = TempoCurve(frameRate: Self.frameRate, period: 21)
        let sections = [TempoSection(start: beats[0], bpm: 60 * Self.frameRate / 21, isSteady: true)]
        func contrast(_ envelope: [Float], _ count: Int) -> Double? {
            PulsePresence.contrast(
                envelope: envelope, curve: curve, beats: Array(beats.prefix(count)), sections: sections)
        }
        #expect(contrast(clicks, 16) == nil, "15 intervals")
        #expect(try #require(contrast(clicks, 17)) > 0.8, "16 intervals")
        #expect(contrast(clicks, 0) == nil)
        #expect(contrast([Float](repeating: 1, count: 400), 19) == nil, "a flat envelope")
    }

    @Test("white noise, 20 s, twelve clips: no beat grid, no tempo")
    func whiteNoise() throws {
        // Over 20 s the contrast of noise passed the fixed 0.06 in about half the clips; the span's chance level
        // (3.5/√frames, 0.119 here) keeps every one of these gridless, and noise's tonal novelty has no events for
        // a steady grid under it to count.
        for seed in UInt64(1)...12 {
            let analysis = try TrackAnalyzer().analyze(Signals.noise(seconds: 20, seed: seed))
            #expect(analysis.beats.times.isEmpty, "seed \(seed): \(analysis.beats.times.count) beats")
            #expect(analysis.bpm == 0 && analysis.bpmAlternates.isEmpty, "seed \(seed): \(analysis.bpm) BPM")
            #expect(analysis.mood.danceability == 0)
        }
    }

    @Test("the least contrast for a grid: 0.06 over long spans, the chance level 3.5/√frames over short ones")
    func minimumForSpan() {
        #expect(PulsePresence.minimumContrast(frames: 20_000) == PulsePresence.minimumContrast)
        #expect(PulsePresence.minimumContrast(frames: 3_403) == PulsePresence.minimumContrast)
        #expect(abs(PulsePresence.minimumContrast(frames: 862) - 3.5 / 862.0.squareRoot()) < 1e-12)
        #expect(PulsePresence.minimumContrast(frames: 400) > PulsePresence.minimumContrast(frames: 862))
        #expect(PulsePresence.minimumContrast(frames: 0).isFinite)
    }

    @Test("kurtosis: 1.8 for uniform noise, 3 for Gaussian, (1 − 3p + 3p²)/(p(1 − p)) for a spike in every 1/p frames")
    func kurtosis() throws {
        var random = SplitMix64(seed: 7)
        let uniform = (0..<20_000).map { _ in random.noise() }
        let gaussian = (0..<20_000).map { _ in random.normal() }
        #expect(abs(try #require(PulsePresence.kurtosis(uniform[...])) - 1.8) < 0.05)
        #expect(abs(try #require(PulsePresence.kurtosis(gaussian[...])) - 3) < 0.15)
        let p = 0.05
        let spikes = (0..<2_000).map { $0 % 20 == 0 ? Float(1) : 0 }
        let expected = (1 - 3 * p + 3 * p * p) / (p * (1 - p))
        #expect(abs(try #require(PulsePresence.kurtosis(spikes[...])) - expected) < 1e-6, "\(expected)")
        #expect(PulsePresence.kurtosis([Float](repeating: 2, count: 100)[...]) == nil, "no variation")
        #expect(PulsePresence.kurtosis([1, 2, 3][...]) == nil, "fewer than four")
    }

    @Test("under the chance level but over 0.06, a grid counts only where it is steady and the novelty has events")
    func steadyAndEventful() {
        let frames = 1_200  // 28 s: chance level 3.5/√1200 ≈ 0.101
        let chance = PulsePresence.minimumContrast(frames: frames)
        let between = (PulsePresence.minimumContrast + chance) / 2
        func pulse(_ contrast: Double, steady: Bool, kurtosis: Double?) -> Bool {
            PulsePresence.isPulse(contrast: contrast, frames: frames, isSteady: steady, noveltyKurtosis: kurtosis)
        }
        #expect(pulse(chance, steady: false, kurtosis: nil), "at the chance level nothing else is asked")
        #expect(pulse(between, steady: true, kurtosis: 20))
        #expect(!pulse(between, steady: false, kurtosis: 20), "a pad's wandering grid")
        #expect(!pulse(between, steady: true, kurtosis: 4), "noise's novelty has no events")
        #expect(!pulse(between, steady: true, kurtosis: nil))
        #expect(!pulse(0.05, steady: true, kurtosis: 20), "under the fixed minimum")
    }

    @Test("binomial upper tail: hand-worked values, the edges, and n in the thousands")
    func binomialTail() {
        func tail(_ n: Int, _ k: Int, _ p: Double) -> Double {
            PulsePresence.binomialTail(count: n, atLeast: k, probability: p)
        }
        #expect(abs(tail(10, 10, 0.5) - 1.0 / 1024) < 1e-15)
        #expect(abs(tail(4, 2, 0.5) - 11.0 / 16) < 1e-12, "(6 + 4 + 1) / 16")
        // Exact sums in rationals (Python's fractions): 16 of 20 at 0.45, 38 of 40 at 0.38, 1000 of 2000 at 0.5.
        #expect(abs(tail(20, 16, 0.45) / 0.0015307441509554323 - 1) < 1e-9)
        #expect(abs(tail(40, 38, 0.38) / 3.3288754189733095e-14 - 1) < 1e-9)
        #expect(abs(tail(2000, 1000, 0.5) - 0.5089195055729272) < 1e-9)
        #expect(tail(5, 0, 0.3) == 1 && tail(5, 6, 0.3) == 0 && tail(5, 3, 0) == 0 && tail(5, 3, 1) == 1)
    }

    /// A tonal novelty of low seeded noise with a spike at each of `frames`.
    static func novelty(count: Int, spikes frames: [Int], seed: UInt64) -> [Float] {
        var values = noise(count, seed: seed).map { 0.05 * $0 }
        for f in frames where values.indices.contains(f) { values[f] = 1 }
        return values
    }

    @Test("note changes on the beats and eighth notes of a steady grid: far beyond chance; at random times: not")
    func eventsOnTheGrid() throws {
        let period = 25.3, count = 2_000  // 102 BPM, 46 s
        let beats = Self.grid(period: period, frames: count)
        let span = 0..<count
        // A chord on every beat (every third a frame late) and a passing note on every other half-beat.
        var metrical: [Int] = []
        for (i, beat) in beats.enumerated() {
            metrical.append(Int((beat * Self.frameRate).rounded()) + (i % 3 == 0 ? 1 : 0))
            if i % 2 == 0 && i + 1 < beats.count {
                let half: Double = (beat + beats[i + 1]) / 2 * Self.frameRate
                metrical.append(Int(half.rounded()))
            }
        }
        let onGrid = Self.novelty(count: count, spikes: metrical, seed: 3)
        #expect(PulsePresence.events(onGrid, span: span).count == metrical.count)
        let chance = try #require(
            PulsePresence.eventChance(novelty: onGrid, span: span, beats: beats, frameRate: Self.frameRate))
        #expect(chance < 1e-20, "\(chance)")
        // As many changes at random frames (a pad's chords, noise's peaks), on several seeds: chance finds as many.
        for seed in UInt64(1)...8 {
            var random = SplitMix64(seed: seed)
            var scattered: [Int] = []
            for _ in metrical { scattered.append(5 + Int(Float(count - 10) * random.uniform())) }
            let novelty = Self.novelty(count: count, spikes: scattered, seed: seed)
            let chance = try #require(
                PulsePresence.eventChance(novelty: novelty, span: span, beats: beats, frameRate: Self.frameRate))
            #expect(chance > PulsePresence.maximumEventChance, "seed \(seed): \(chance)")
        }
        // Too few events to say anything.
        let few = Self.novelty(count: count, spikes: Array(metrical.prefix(5)), seed: 3)
        #expect(PulsePresence.eventChance(novelty: few, span: span, beats: beats, frameRate: Self.frameRate) == nil)
    }

    @Test("a steady grid whose events fall on it counts whatever its contrast; a wandering one does not")
    func steadyWithEventsOnTheGrid() {
        func pulse(_ contrast: Double, steady: Bool, chance: Double?) -> Bool {
            PulsePresence.isPulse(
                contrast: contrast, frames: 1_200, isSteady: steady, noveltyKurtosis: 5, eventChance: chance)
        }
        #expect(pulse(0.02, steady: true, chance: 1e-4))
        #expect(!pulse(0.02, steady: false, chance: 1e-4), "a grid that bends to the events it is tested on")
        #expect(!pulse(0.02, steady: true, chance: 0.05))
        #expect(!pulse(0.02, steady: true, chance: nil))
    }

    @Test("held chords on a GM pad, rendered through FluidR3 (fixtures/renders/ambient_fixture.ogg): no beat grid")
    func heldChords() throws {
        let path = RenderedFixtures.folder + "/ambient_fixture.ogg"
        let analysis = try TrackAnalyzer().analyze(path: path)
        #expect(analysis.beats.times.isEmpty, "\(analysis.beats.times.count) beats at \(analysis.bpm) BPM")
        #expect(analysis.bpm == 0)
        #expect(analysis.structure.allSatisfy { !$0.hasBeat })
    }
}
